"""Templates of the row-per-record kinds (作业检查, 听评课记录, 薄弱点台账), from their fields."""

from __future__ import annotations

from toolkit.config import SchoolConfig
from toolkit.records.fields import RecordKind
from toolkit.render.templates.book import DataSheet, Instruction, TemplateBook
from toolkit.render.templates.columns import field_column, template_title
from toolkit.render.templates.instructions import general_lines, instruction_for


def write_record_template(path: str, kind: RecordKind, config: SchoolConfig) -> None:
    title = template_title(config, f"{kind.title}记录表")
    book = TemplateBook(path, kind.key, title)
    rows: list[Instruction] = [instruction_for(f, config) for f in kind.fields]
    book.instructions(f"{kind.title}记录表 填写说明", general_lines(kind.unit, kind.notes), rows)
    columns = [field_column(book, f, config) for f in kind.fields]
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
