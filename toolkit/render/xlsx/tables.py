"""Write a DataFrame as a formatted table: title, header, typed cells, widths, freeze, print.

Cells are written one by one with the writer for their type, so a teacher's ``=HYPERLINK(…)``
stays a string and the sheet can be streamed row by row (xlsxwriter's constant-memory mode).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from toolkit.render.xlsx.styles import Styles, a4_landscape, column_width

TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 0, 1, 2
WIDTH_SAMPLE = 2000  # rows measured for column widths; enough to see every kind of value


@dataclass
class TableLayout:
    """Where a written table sits, for charts and conditional formats to refer to."""

    sheet: Any
    name: str
    header_row: int
    first_row: int
    last_row: int  # inclusive; first_row - 1 when the table is empty
    columns: dict[str, int]


def write_table(
    workbook: Any,
    styles: Styles,
    name: str,
    frame: pd.DataFrame,
    roles: Mapping[str, str],
    *,
    title: str,
    subtitle: str = "",
    emphasis: Sequence[bool] | None = None,
    freeze_columns: int = 0,
    widths: Mapping[str, int] | None = None,
) -> TableLayout:
    """Add sheet ``name`` holding ``frame``; ``emphasis`` marks rows (e.g. 年级 rows) bold."""
    sheet = workbook.add_worksheet(name)
    columns = list(frame.columns)
    last_col = max(len(columns) - 1, 0)
    series = [frame.iloc[:, c] for c in range(len(columns))]  # by position: names may repeat
    cells = [values.tolist() for values in series]
    for c, column in enumerate(columns):
        width = (widths or {}).get(column) or column_width(column, cells[c][:WIDTH_SAMPLE])
        sheet.set_column(c, c, width)
    sheet.set_row(TITLE_ROW, 28)
    if last_col > 0:
        sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, title, styles.title)
    else:
        sheet.write_string(TITLE_ROW, 0, title, styles.title)
    if subtitle:
        sheet.write_string(SUBTITLE_ROW, 0, subtitle, styles.subtitle)
    sheet.set_row(HEADER_ROW, 30)
    for c, column in enumerate(columns):
        sheet.write_string(HEADER_ROW, c, str(column), styles.header)
    settled = {column: settle_role(roles.get(column, "text"), frame[column]) for column in columns}
    formats = {
        (column, flag): styles.get(settled[column], grade_row=flag)
        for column in columns
        for flag in (False, True)
    }
    marks = list(emphasis) if emphasis is not None else [False] * len(frame)
    first = HEADER_ROW + 1
    writers = [_column_writer(sheet, values, cells[c]) for c, values in enumerate(series)]
    plain = [formats[(column, False)] for column in columns]
    bold = [formats[(column, True)] for column in columns]
    positions = range(len(columns))
    # Row by row (constant-memory mode streams rows), with each column's writer chosen once:
    # a district's student sheet is a million cells.
    for offset, values in enumerate(zip(*cells, strict=True)):
        r, row_formats = first + offset, bold if marks[offset] else plain
        for write, c, value, fmt in zip(writers, positions, values, row_formats, strict=True):
            write(r, c, value, fmt)
    last = first + len(frame) - 1
    sheet.freeze_panes(first, freeze_columns)
    if len(frame):
        sheet.autofilter(HEADER_ROW, 0, last, last_col)
    a4_landscape(sheet, (HEADER_ROW, HEADER_ROW), title)
    return TableLayout(sheet, name, HEADER_ROW, first, last, {c: i for i, c in enumerate(columns)})


def settle_role(role: str, values: pd.Series) -> str:
    """The role a column is written with: a column named like text (or a score column) that
    holds numbers gets a number format from them — whole numbers ``int``, others ``decimal``
    (a score ``score``: 0.0#) — so that no number is ever written under a text format."""
    if role not in ("text", "wrap", "score"):
        return role
    numbers = _numbers(values)
    if numbers is None or not len(numbers):
        return role
    if bool((numbers % 1 == 0).all()):
        return "int"
    return "score" if role == "score" else "decimal"


def _numbers(values: pd.Series) -> pd.Series | None:
    """The real numbers among ``values`` (not bools, not NaN)."""
    kind = values.dtype.kind
    if kind in "iuf":
        return values.dropna().astype(float)
    if kind != "O":
        return None
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return None  # text and blanks only (姓名, 学号), known without a loop over the cells
    found = [
        float(v)
        for v in values
        if isinstance(v, (int, float, np.number))
        and not isinstance(v, (bool, np.bool_))
        and not math.isnan(float(v))
    ]
    return pd.Series(found, dtype=float)


def write_cell(sheet: Any, row: int, col: int, value: Any, cell_format: Any) -> None:
    """Write ``value`` with the writer for its type; user text is never a formula or URL."""
    number, string, blank = sheet.write_number, sheet.write_string, sheet.write_blank
    _write_typed(sheet, number, string, blank, row, col, value, cell_format)


def _write_typed(
    sheet: Any,
    number: CellWriter,
    string: CellWriter,
    blank: CellWriter,
    row: int,
    col: int,
    value: Any,
    cell_format: Any,
) -> None:
    """``value`` written with the writer for its type, of ``number``, ``string`` and ``blank``
    (the sheet's public writers, or its undecorated ones for a table's column)."""
    kind = type(value)  # the common exact types first: this runs for every mixed-column cell
    if kind is str:
        string(row, col, value, cell_format)
    elif kind is float:
        _write_finite(number, blank, row, col, value, cell_format)
    elif kind is int:
        number(row, col, value, cell_format)
    else:
        _write_other(sheet, row, col, value, cell_format)


def _write_other(sheet: Any, row: int, col: int, value: Any, cell_format: Any) -> None:
    if value is None or value is pd.NA or value is pd.NaT:
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_string(row, col, "是" if value else "否", cell_format)
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            sheet.write_blank(row, col, None, cell_format)
        else:
            sheet.write_number(row, col, value, cell_format)
    elif isinstance(value, (dt.datetime, dt.date)):
        sheet.write_datetime(row, col, value, cell_format)
    else:
        number = _numpy_number(value)
        if number is not None:
            sheet.write_number(row, col, number, cell_format)
        else:
            sheet.write_string(row, col, str(value), cell_format)


def _write_finite(
    number: CellWriter, blank: CellWriter, row: int, col: int, value: float, cell_format: Any
) -> None:
    """A float as a number, NaN and infinities as a blank cell."""
    if value != value or value in _INFINITE:  # NaN is the only value != itself
        blank(row, col, None, cell_format)
    else:
        number(row, col, value, cell_format)


CellWriter = Callable[[int, int, Any, Any], Any]  # (row, col, value, format)


def _column_writer(sheet: Any, column: pd.Series, values: list[Any]) -> CellWriter:
    """The cell writer for every value of ``column`` (``values``: its cells), as
    :func:`write_cell` would write each: numbers and text skip the type dispatch."""
    number, string, blank = (_undecorated(sheet, name) for name in ("number", "string", "blank"))
    kind = column.dtype.kind
    if kind == "f":
        return partial(_write_finite, number, blank)
    if kind in "iu":
        return number
    if set(map(type, values)) == {str}:  # 姓名, 学号, 班级 names: text in every row
        return string
    return partial(_write_typed, sheet, number, string, blank)


_INFINITE = (math.inf, -math.inf)


def _undecorated(sheet: Any, kind: str) -> CellWriter:
    """xlsxwriter's ``write_<kind>`` without its decorator, which first tries whether the row
    is "A1" text: ours are numbers, and a district's comparison writes 750,000 cells (the
    decorator took 5–7% of writing a workbook). The public method should a version of
    xlsxwriter lack the undecorated one (tests/test_table_cells.py holds the two the same)."""
    return getattr(sheet, f"_write_{kind}", None) or getattr(sheet, f"write_{kind}")


def _numpy_number(value: Any) -> float | None:
    """numpy scalars (int64, float64) as plain numbers; NaN becomes None."""
    kind = getattr(value, "dtype", None)
    if kind is None or kind.kind not in "iuf":
        return None
    number = float(value)
    return None if math.isnan(number) else number
