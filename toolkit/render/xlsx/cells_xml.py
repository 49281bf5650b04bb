"""A worksheet that writes its formatted number and text cells' XML in one step.

xlsxwriter assembles each cell's ``<c>`` element at close in ``Worksheet._write_cell``: a list
of attribute pairs, each escaped, then a generic tag writer. Nearly every cell we write is a
number or a shared text with a format of its own, whose reference (``B7``) and style index
can hold nothing to escape, so that element is written here directly: a school's workbook has
about 90,000 cells and this is where most of its writing time goes (docs/scale.md). The XML
is the library's own, character for character (``tests/test_cells_xml.py`` compares the
parts); every other cell goes to the library's method.
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import Worksheet


class CellWorksheet(Worksheet):  # type: ignore[misc]
    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        style = cell.format
        kind = cell.__class__.__name__
        if style is None or kind not in _DIRECT or (kind == "String" and self.constant_memory):
            super()._write_cell(row, col, cell)
            return
        ref = xl_rowcol_to_cell_fast(row, col)
        index = style._get_xf_index()
        if kind == "String":  # a shared string: its index in the table, never the text
            self.fh.write(f'<c r="{ref}" s="{index}" t="s"><v>{cell.string}</v></c>')
        else:
            self.fh.write(f'<c r="{ref}" s="{index}"><v>{cell.number:.16G}</v></c>')


_DIRECT = frozenset({"Number", "Datetime", "String"})


class Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """An xlsxwriter workbook whose worksheets are :class:`CellWorksheet`."""

    worksheet_class = CellWorksheet
