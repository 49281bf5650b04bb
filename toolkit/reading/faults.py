"""Cells whose content calamine cannot give us, put back into the grid as marked text.

python-calamine reads an Excel error value (``#DIV/0!``) and a formula saved without its result
(files written by programs, never opened in Excel) both as an empty string — a blank score cell
would then count as 缺考 and a blank date as 未填写, silently. :mod:`toolkit.reading.xlsx_parts`
finds those cells in the sheet XML; the reader puts them back as these ``str`` subclasses so that
each cell parser can reject them with a precise message, and only where the column is used.
"""

from __future__ import annotations

# Excel's own limit on a cell's text; longer text can only come from a program or a fault.
CELL_TEXT_LIMIT = 32_767


class CellFault(str):
    """A cell's text that is not a value the teacher typed; ``code`` names the problem."""

    code = "cell.fault"


class ExcelError(CellFault):
    """An error value cached by a formula: ``#DIV/0!``, ``#N/A``, ``#VALUE!``, …"""

    code = "cell.error_value"


class UncomputedFormula(CellFault):
    """A formula with no cached result, as its text (``=SUM(B2:D2)``)."""

    code = "cell.formula_no_value"
