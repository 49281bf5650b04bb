"""Templates of the row-per-record kinds (作业检查, 听评课记录, 薄弱点台账), from their fields.

A template can come pre-filled: ``xueqing items`` writes its suggested weak points as rows of
the 薄弱点台账 template, which the grade leader completes and returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from toolkit.base.classnames import class_name, grade_name
from toolkit.config.model import SchoolConfig
from toolkit.records.fields import Field, RecordKind
from toolkit.render.templates.book import DataSheet, Instruction, TemplateBook
from toolkit.render.templates.columns import field_column, template_title
from toolkit.render.templates.instructions import general_lines, instruction_for


def write_record_template(
    path: str,
    kind: RecordKind,
    config: SchoolConfig,
    rows: pd.DataFrame | None = None,
    what: str = "",
) -> None:
    """The template of ``kind``; ``rows`` (columns named as the fields) are written in it."""
    title = template_title(config, what or f"{kind.title}记录表")
    book = TemplateBook(path, kind.key, title)
    instructions: list[Instruction] = [instruction_for(f, config) for f in kind.fields]
    book.instructions(
        f"{kind.title}记录表 填写说明", general_lines(kind.unit, kind.notes), instructions
    )
    columns = [field_column(book, f, config) for f in kind.fields]
    if rows is not None and len(rows):
        for column, f in zip(columns, kind.fields, strict=True):
            column.values = [_cell(f, record) for record in rows.to_dict("records")]
    sheet = book.data_sheet(
        DataSheet(
            name=kind.title,
            title=title,
            hint=(
                f"从第 4 行起填写，一行是{kind.unit}。深蓝表头为必填列；"
                "带下拉箭头的列请从列表中选择。各列说明见“填写说明”表。"
            ),
            columns=columns,
        )
    )
    sheet.activate()
    book.close()


def _cell(f: Field, record: dict[str, Any]) -> object:
    """A record's value as a teacher would type it in the template (三年级, 三(2)班, dates)."""
    value = record.get(f.name)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if f.type == "grade":
        return grade_name(int(value))
    if f.type == "class":
        return class_name(int(record["年级"]), int(value))
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value
