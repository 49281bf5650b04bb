"""Open a workbook with python-calamine and hand out its sheets as plain grids.

calamine is used directly rather than through ``pandas.read_excel``: we need the grid anchored
at A1 (so every value keeps its cell reference), the merged ranges and sheet visibility, none
of which ``read_excel`` exposes, and skipping pandas' per-sheet frame building is faster.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from toolkit.problems import ProblemReport
from toolkit.reading.discover import InputFile

Cell = Any
MergedRange = tuple[tuple[int, int], tuple[int, int]]  # ((row0, col0), (row1, col1)), inclusive

# Sheets a toolkit template carries besides its data: the hidden kind marker, the hidden lists
# its dropdowns draw on, and the instructions. They are never read as data.
MARKER_SHEET = "_xueqing"
LISTS_SHEET = "_下拉选项"
INSTRUCTIONS_SHEET = "填写说明"
MARKER_TAG = "xueqing-template"
REPORT_KIND = "report"  # the marker kind of a summary workbook the toolkit wrote


def is_report(report: ProblemReport, file: InputFile) -> bool:
    """Whether ``file`` was skipped as one of the toolkit's own reports."""
    return any(p.code == "file.report" and p.file == file.display for p in report)


# The header of the per-column table on a template's 填写说明 sheet. Its rows name the columns
# one per row (姓名, 语文, …) beside an example, so a score or item reader would take them for
# a table: the sheet is recognised by this header even when the marker sheet was deleted.
INSTRUCTIONS_HEADER = ("列名", "必填", "填写说明", "可填的值", "示例")
_INSTRUCTIONS_SCAN = 40  # rows searched for that header (the general lines come first)


@dataclass(frozen=True)
class TemplateMarker:
    """What a template says it is: its record kind and the template version."""

    kind: str
    version: int


@dataclass
class Sheet:
    """One worksheet: rows from A1 (0-based), merged ranges, and where it came from."""

    file: InputFile
    name: str
    rows: list[list[Cell]]
    merged: list[MergedRange] = field(default_factory=list)
    template: TemplateMarker | None = None  # set when the workbook is a toolkit template

    def fill_merged(self, *, rows: range | None = None, cols: set[int] | None = None) -> None:
        """Copy each merged range's value into every cell it covers.

        Restricted to ranges starting in ``rows`` and, for ranges spanning several rows,
        lying in ``cols``: a merged class column means one class, but a name merged across
        two data rows must not become two students.
        """
        for (r0, c0), (r1, c1) in self.merged:
            if rows is not None and r0 not in rows:
                continue
            if r1 > r0 and cols is not None and not set(range(c0, c1 + 1)) <= cols:
                continue
            if r0 >= len(self.rows) or c0 >= len(self.rows[r0]):
                continue
            value = self.rows[r0][c0]
            for r in range(r0, min(r1, len(self.rows) - 1) + 1):
                row = self.rows[r]
                for c in range(c0, min(c1, len(row) - 1) + 1):
                    row[c] = value


def read_sheets(file: InputFile, report: ProblemReport) -> Iterator[Sheet]:
    """Yield the visible sheets of ``file``; unreadable files and hidden sheets are reported."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(file.path))
    except Exception as exc:  # calamine raises several types; all mean "cannot open"
        report.add("error", "file.unreadable", file=file.display, reason=_why_unreadable(file, exc))
        return
    try:
        marker = _marker(workbook)
        if marker is not None and marker.kind == REPORT_KIND:
            # Our own output saved among the inputs (-o 作业检查/汇总.xlsx): not a teacher's sheet.
            report.add("note", "file.report", file=file.display)
            return
        for meta in workbook.sheets_metadata:
            if meta.name in (MARKER_SHEET, LISTS_SHEET) or (
                marker is not None and meta.name == INSTRUCTIONS_SHEET
            ):
                continue
            if str(getattr(meta, "visible", "Visible")).rsplit(".", 1)[-1] != "Visible":
                report.add("note", "sheet.hidden", file=file.display, sheet=meta.name)
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
                merged = list(sheet.merged_cell_ranges or [])
            except Exception as exc:
                report.add(
                    "error",
                    "file.unreadable",
                    file=file.display,
                    sheet=meta.name,
                    reason=f"工作表无法读取（{exc}）",
                )
                continue
            if meta.name.strip() == INSTRUCTIONS_SHEET and _is_instructions(rows):
                continue  # a template's instructions whose marker sheet was deleted
            yield Sheet(file, meta.name, rows, merged, marker)
    finally:
        workbook.close()


def _is_instructions(rows: list[list[Cell]]) -> bool:
    """Whether a 填写说明 sheet is a template's: it has the per-column table's header."""
    width = len(INSTRUCTIONS_HEADER)
    return any(
        tuple(str(v).strip() for v in row[:width]) == INSTRUCTIONS_HEADER
        for row in rows[:_INSTRUCTIONS_SCAN]
    )


def read_marker(file: InputFile) -> TemplateMarker | None:
    """The template marker of ``file``, or None (not a template, or unreadable)."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(file.path))
    except Exception:  # unreadable files are reported by whoever reads them
        return None
    try:
        return _marker(workbook)
    finally:
        workbook.close()


def _marker(workbook: Any) -> TemplateMarker | None:
    if MARKER_SHEET not in workbook.sheet_names:
        return None
    try:
        rows = workbook.get_sheet_by_name(MARKER_SHEET).to_python(skip_empty_area=False)
    except Exception:
        return None
    first = [*rows[0], "", "", ""][:3] if rows else ["", "", ""]
    if str(first[0]).strip() != MARKER_TAG or not str(first[1]).strip():
        return None
    try:
        version = int(float(first[2]))
    except (TypeError, ValueError):
        version = 0
    return TemplateMarker(str(first[1]).strip(), version)


def _why_unreadable(file: InputFile, exc: Exception) -> str:
    text = str(exc)
    if file.path.stat().st_size == 0:
        return "文件是空的（0 字节）"
    if "password" in text.lower() or "encrypt" in text.lower():
        return "文件有密码保护，请去掉密码后再提交"
    if file.path.suffix.lower() in {".xlsx", ".xlsm"} and not zipfile.is_zipfile(file.path):
        return "文件已损坏或不是 Excel 文件（可能是改了扩展名的其他文件）"
    return f"文件已损坏或格式不受支持（{text.splitlines()[0] if text else type(exc).__name__}）"
