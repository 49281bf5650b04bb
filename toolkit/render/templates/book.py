"""What every fill-in template shares: the workbook, its hidden marker and lists, the 填写说明
sheet, and data sheets with a title, a protected header, typed and validated data cells.

Per-kind layouts (``records.py``, ``scores.py``, ``items.py``) describe columns; this module
turns a column description into formats, widths and data validation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.base.text import column_letter, display_width
from toolkit.reading.workbook import (
    INSTRUCTIONS_HEADER,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    MARKER_SHEET,
    MARKER_TAG,
)
from toolkit.render.output import TEXT_ONLY
from toolkit.render.xlsx.styles import FONT, HEADER_FILL, Styles, a4_landscape, wrapped_lines

TEMPLATE_VERSION = 1
# Fixed document date: the same config gives byte-identical templates (the committed generic
# templates are checked against a fresh build).
DOCUMENT_DATE = dt.datetime(2026, 1, 1)
TITLE_ROW, HINT_ROW = 0, 1
OPTIONAL_FILL = "#5B7FA6"  # header of optional columns: lighter than required ones
EDITABLE_HEADER_FILL = "#2E75B6"  # header cells the user may change (a subject, an item number)
INPUT_FILL = "#FFFFFF"
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
PROTECTION = {
    "format_cells": True,
    "format_columns": True,
    "format_rows": True,
    "insert_rows": True,
    "delete_rows": True,
    "sort": True,
    "autofilter": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


@dataclass
class Column:
    """One column of a template's data sheet."""

    header: str
    role: str = "text"  # number format role: text, int, decimal, percent, date, score
    width: int = 0
    required: bool = True
    validation: dict[str, Any] | None = None  # xlsxwriter data_validation options
    header_validation: dict[str, Any] | None = None  # the header itself is editable
    values: Sequence[object] = ()  # pre-filled values (学号, 姓名 from the roster)


@dataclass
class Instruction:
    """One row of 填写说明: a column, whether it is required, what it means and allows."""

    column: str
    required: bool
    meaning: str
    allowed: str = ""
    example: object = ""


@dataclass
class DataSheet:
    name: str
    title: str
    hint: str
    columns: list[Column]
    header_row: int = 2
    blank_rows: int = 60  # rows drawn as a form below the pre-filled ones
    validated_rows: int = 1000  # rows the validation covers
    extra_header: list[tuple[str, list[tuple[object, dict[str, Any] | None]]]] = field(
        default_factory=list
    )  # (label, [(value, validation)] by column) rows under the header (小题分's 满分, 知识点)
    info: list[tuple[str, object, dict[str, Any] | None]] = field(default_factory=list)
    # (label, value, validation) pairs written on the hint row's right (小题分: 学科, 考试)


class TemplateBook:
    """One template workbook under construction (xlsxwriter)."""

    def __init__(self, path: str, kind: str, title: str) -> None:
        import xlsxwriter

        self.workbook = xlsxwriter.Workbook(path, TEXT_ONLY)
        self.workbook.set_properties(
            {"title": title, "author": "xueqing", "created": DOCUMENT_DATE, "comments": kind}
        )
        self.styles = Styles(self.workbook)
        self._kind = kind
        self._lists: Any = None
        self._list_columns: dict[tuple[str, ...], str] = {}
        self._formats: dict[tuple[Any, ...], Any] = {}

    # -- lists and marker ----------------------------------------------------------------------

    def list_source(self, values: Sequence[str]) -> str:
        """A range on the hidden lists sheet holding ``values``, for a dropdown's source.

        Always a range, never an inline list: inline lists are capped at 255 characters and
        a school's teachers or classes exceed that.
        """
        key = tuple(values)
        if key not in self._list_columns:
            if self._lists is None:
                self._lists = self.workbook.add_worksheet(LISTS_SHEET)
                self._lists.hide()
            col = len(self._list_columns)
            for r, value in enumerate(values):
                self._lists.write_string(r, col, str(value))
            letter = column_letter(col)
            self._list_columns[key] = (
                f"='{LISTS_SHEET}'!${letter}$1:${letter}${max(len(values), 1)}"
            )
        return self._list_columns[key]

    def close(self) -> None:
        marker = self.workbook.add_worksheet(MARKER_SHEET)
        marker.write_string(0, 0, MARKER_TAG)
        marker.write_string(0, 1, self._kind)
        marker.write_number(0, 2, TEMPLATE_VERSION)
        marker.write_string(1, 0, "此工作表供 xueqing 识别模板类型，请勿删除。")
        marker.hide()
        self.workbook.close()

    # -- formats -------------------------------------------------------------------------------

    def fmt(self, role: str = "text", **extra: Any) -> Any:
        """An input cell's format: bordered, unlocked, with the role's number format (a score as
        typed: the reports' 0.0# would show a typed 95 as 95.0)."""
        role = "score_input" if role == "score" else role
        return self.styles.get(role, **{"locked": False, "bg_color": INPUT_FILL, **extra})

    def header_format(self, *, required: bool, editable: bool = False) -> Any:
        key = ("header", required, editable)
        if key not in self._formats:
            fill = EDITABLE_HEADER_FILL if editable else HEADER_FILL if required else OPTIONAL_FILL
            self._formats[key] = self.workbook.add_format(
                {
                    "font_name": FONT,
                    "font_size": 10,
                    "bold": True,
                    "font_color": "#FFFFFF",
                    "bg_color": fill,
                    "border": 1,
                    "border_color": "#BFBFBF",
                    "align": "center",
                    "valign": "vcenter",
                    "text_wrap": True,
                    "locked": not editable,
                }
            )
        return self._formats[key]

    @property
    def label_format(self) -> Any:
        return self.styles.get("text", bold=True, bg_color="#F2F2F2", align="center")

    # -- sheets --------------------------------------------------------------------------------

    def instructions(self, title: str, lines: Sequence[str], rows: Sequence[Instruction]) -> None:
        """The 填写说明 sheet: general lines, then one row per column (never a header row of
        the kind, so the example can never be read as data)."""
        sheet = self.workbook.add_worksheet(INSTRUCTIONS_SHEET)
        header = list(INSTRUCTIONS_HEADER)
        widths = [16, 6, 46, 34, 18]
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
        sheet.merge_range(0, 0, 0, len(header) - 1, title, self.styles.title)
        sheet.set_row(0, 28)
        wrap = self.styles.get("text", text_wrap=True, border=0)
        r = 1
        for line in lines:
            sheet.merge_range(r, 0, r, len(header) - 1, line, wrap)
            sheet.set_row(r, 18 * max(1, -(-display_width(line) // 118)))
            r += 1
        r += 1
        for c, text in enumerate(header):
            sheet.write_string(r, c, text, self.styles.header)
        sheet.repeat_rows(r)
        body = self.styles.get("text", text_wrap=True)
        for item in rows:
            r += 1
            example = item.example
            if isinstance(example, float) and 0 < example < 1:
                example = f"{example:.0%}"
            cells = [
                item.column,
                "是" if item.required else "",
                item.meaning,
                item.allowed,
                "" if example is None else str(example),
            ]
            for c, text in enumerate(cells):
                sheet.write_string(r, c, text, body)
            # Wrapped text does not grow its row when the file is opened; size it here.
            lines = max(wrapped_lines(t, w) for t, w in zip(cells, widths, strict=True))
            sheet.set_row(r, 16 * lines)
        a4_landscape(sheet, None, title)
        sheet.set_portrait()

    def data_sheet(self, spec: DataSheet) -> Any:
        sheet = self.workbook.add_worksheet(spec.name)
        columns = spec.columns
        last_col = len(columns) - 1
        header_row = spec.header_row
        first_data = header_row + 1 + len(spec.extra_header)
        prefilled = max((len(c.values) for c in columns), default=0)
        form_rows = prefilled + spec.blank_rows
        last_validated = first_data + max(spec.validated_rows, form_rows) - 1

        widths = [column.width or max(8, display_width(column.header) + 4) for column in columns]
        # The 14-point title must fit over the table: widen narrow tables (a class sheet has
        # only 学号, 姓名 and three subjects) rather than clip the school's name.
        needed = display_width(spec.title) * 1.5 + 4
        if sum(widths) < needed:
            widths = [w * needed / sum(widths) for w in widths]
        for c, (column, width) in enumerate(zip(columns, widths, strict=True)):
            sheet.set_column(c, c, round(width, 1), self.fmt(column.role))
        sheet.set_row(TITLE_ROW, 30)
        sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, max(last_col, 1), spec.title, self.styles.title)
        # Sheet-wide facts (小题分: 学科, 考试, 年级) as label | value pairs from A2, then the hint.
        for k, (label, value, validation) in enumerate(spec.info):
            c = 2 * k
            sheet.write_string(HINT_ROW, c, label, self.label_format)
            _write_value(sheet, HINT_ROW, c + 1, value, self.fmt("text", bg_color="#FFF2CC"))
            if validation:
                sheet.data_validation(HINT_ROW, c + 1, HINT_ROW, c + 1, validation)
        hint_start = 2 * len(spec.info)
        hint_end = max(last_col, hint_start + 1)
        hint = self.styles.get("text", border=0, font_color="#595959", text_wrap=True)
        sheet.merge_range(HINT_ROW, hint_start, HINT_ROW, hint_end, spec.hint, hint)
        sheet.set_row(HINT_ROW, 30)

        sheet.set_row(header_row, 32)
        for c, column in enumerate(columns):
            editable = column.header_validation is not None
            fmt = self.header_format(required=column.required, editable=editable)
            sheet.write_string(header_row, c, column.header, fmt)
            if column.header_validation:
                sheet.data_validation(header_row, c, header_row, c, column.header_validation)
        for k, (label, cells) in enumerate(spec.extra_header):
            r = header_row + 1 + k
            sheet.write_string(r, 0, label, self.label_format)
            for c in range(1, len(columns)):
                value, validation = cells[c] if c < len(cells) else (None, None)
                _write_value(sheet, r, c, value, self.fmt(columns[c].role, bg_color="#FFF2CC"))
                if validation:
                    sheet.data_validation(r, c, r, c, validation)

        for c, column in enumerate(columns):
            fmt = self.fmt(column.role)
            for k in range(form_rows):
                value = column.values[k] if k < len(column.values) else None
                _write_value(sheet, first_data + k, c, value, fmt)
            if column.validation:
                sheet.data_validation(first_data, c, last_validated, c, column.validation)

        sheet.freeze_panes(first_data, _frozen_columns(columns))
        a4_landscape(sheet, (header_row, first_data - 1), spec.title)
        sheet.protect("", PROTECTION)
        return sheet


def _frozen_columns(columns: Sequence[Column]) -> int:
    """Keep 学号/姓名 in view while scrolling right through the subjects."""
    names = [c.header for c in columns]
    return names.index("姓名") + 1 if "姓名" in names else 0


def _write_value(sheet: Any, r: int, c: int, value: object, fmt: Any) -> None:
    if value is None or value == "":
        sheet.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        sheet.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value, fmt)
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmt)
    else:
        sheet.write_string(r, c, str(value), fmt)  # text, never a formula


# -- validation builders ----------------------------------------------------------------------


def _messages(title: str, prompt: str, error: str, style: str = "stop") -> dict[str, Any]:
    """Excel caps input/error titles at 32 characters and messages at 255."""
    return {
        "input_title": title[:32],
        "input_message": prompt[:255],
        "error_title": "输入有误"[:32],
        "error_message": error[:255],
        "error_type": style,
        "ignore_blank": True,
    }


def list_validation(source: str, title: str, prompt: str, *, strict: bool = True) -> dict[str, Any]:
    style = "stop" if strict else "warning"
    error = "请从下拉列表中选择。" if strict else "不在列表中。确实要填写这个值吗？"
    return {"validate": "list", "source": source, **_messages(title, prompt, error, style)}


def number_validation(
    title: str, low: float, high: float, *, whole: bool, unit: str = ""
) -> dict[str, Any]:
    kind = "整数" if whole else "数字"
    span = f"{low:g}–{high:g}{unit}"
    return {
        "validate": "integer" if whole else "decimal",
        "criteria": "between",
        "minimum": low,
        "maximum": high,
        **_messages(title, f"请填写 {span} 的{kind}。", f"应为 {span} 的{kind}。"),
    }


def percent_validation(title: str) -> dict[str, Any]:
    return {
        "validate": "decimal",
        "criteria": "between",
        "minimum": 0,
        "maximum": 1,
        **_messages(title, "请填写百分比，如 35%。", "应为 0%–100% 的百分比，如 35%。"),
    }


def date_validation(title: str) -> dict[str, Any]:
    return {
        "validate": "date",
        "criteria": "between",
        "minimum": FIRST_DATE,
        "maximum": LAST_DATE,
        **_messages(title, "请填写日期，如 2026-03-15。", "应为日期，如 2026-03-15。"),
    }


def prompt_only(title: str, prompt: str) -> dict[str, Any]:
    return {"validate": "any", "input_title": title[:32], "input_message": prompt[:255]}


def score_validation(
    cell: str, title: str, full_mark: float | str, absent_words: Sequence[str]
) -> dict[str, Any]:
    """0..满分 or an absence word (缺考): a custom rule, since a number range would refuse 缺考.

    ``cell`` is the top-left cell of the range (relative references shift down the column);
    ``full_mark`` a number or a cell reference (小题分's 满分 row).
    """
    words = ",".join(f'{cell}="{w}"' for w in absent_words)
    top = full_mark if isinstance(full_mark, str) else f"{full_mark:g}"
    shown = "满分" if isinstance(full_mark, str) else f"{full_mark:g}"
    return {
        "validate": "custom",
        "value": f"=OR({words},AND(ISNUMBER({cell}),{cell}>=0,{cell}<={top}))",
        **_messages(
            title,
            f"请填写 0–{shown} 的分数；缺考填“缺考”。",
            f"应为 0–{shown} 的分数，或“{'”“'.join(absent_words)}”。",
        ),
    }
