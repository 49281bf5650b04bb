"""标注版回执: a copy of each input file with problems, its bad cells marked where they are.

The office sends the copy back to whoever filled the sheet; they fix it in the layout they know.
So the copy is the user's own workbook edited with openpyxl — formatting, column widths, data
validation and merged cells kept — rather than a new workbook: xlsxwriter cannot edit a file.
Each bad cell is filled (red for an error, yellow for a warning) and given a comment saying what
is wrong and what is allowed; a first sheet 问题清单 lists every problem with a link to its cell.
An .xls (or .ods) cannot be edited by openpyxl: its values are copied into a new .xlsx instead,
and 问题清单 says that the original formatting is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.base.ownership import MARK
from toolkit.base.problems import SEVERITY_LABEL, Problem, ProblemReport
from toolkit.reading.csv_sheet import CSV_SUFFIX, CsvError, read_csv_rows
from toolkit.reading.discover import InputFile
from toolkit.reading.workbook import ANNOTATION_SHEET, ANNOTATION_TITLE
from toolkit.render.output import check_target, write_atomically

EDITABLE_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}  # Excel's own 差 / 适中 cell styles
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_AUTHOR = "xueqing"


@dataclass(frozen=True)
class AnnotatedCopy:
    """One annotated return: the input, the copy written, what it marks, and any caveat."""

    source: InputFile
    path: Path
    problems: int
    marked_cells: int
    note: str = ""


@dataclass(frozen=True)
class NotAnnotated:
    """An input with problems that could not be copied (unreadable, password, …)."""

    source: InputFile
    reason: str


def write_annotated_copies(
    sources: Sequence[InputFile], problems: ProblemReport, out_dir: Path
) -> tuple[list[AnnotatedCopy], list[NotAnnotated]]:
    """Write a marked copy of every source that has errors or warnings into ``out_dir``.

    Raises :class:`~toolkit.render.output.OutputError` when a copy would overwrite an input or
    cannot be written.
    """
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.severity in _FILLS and problem.file:
            by_file.setdefault(problem.file, []).append(problem)
    written: list[AnnotatedCopy] = []
    skipped: list[NotAnnotated] = []
    taken: set[Path] = set()
    inputs = [s.path for s in sources]
    for source in sources:
        found = by_file.get(source.display)
        if not found:
            continue
        if any(p.code == "file.unreadable" for p in found):
            skipped.append(NotAnnotated(source, "文件无法读取，不能标注"))
            continue
        target = _target(out_dir, source, taken)
        check_target(target, inputs)
        try:
            book, note = _open_copy(source)
        except _CannotCopy as exc:
            skipped.append(NotAnnotated(source, str(exc)))
            continue
        _clear_earlier_marks(book)
        marked = _mark(book, found)
        _add_problem_sheet(book, source, found, note)
        book.properties.lastModifiedBy = MARK  # ours to replace when the check is run again
        write_atomically(target, book.save)
        written.append(AnnotatedCopy(source, target, len(found), marked, note))
    return written, skipped


class _CannotCopy(Exception):
    pass


def _target(out_dir: Path, source: InputFile, taken: set[Path]) -> Path:
    """The copy keeps the input's name (and its folder under the one given); an .xls becomes
    .xlsx; two inputs that would land on one name are told apart by a suffix."""
    relative = Path(source.display)
    if relative.is_absolute() or ".." in relative.parts:
        relative = Path(source.path.name)
    suffix = source.path.suffix.lower()
    name = relative.stem + (suffix if suffix in EDITABLE_SUFFIXES else ".xlsx")
    target = out_dir / relative.parent / name
    counter = 2
    while target.resolve() in taken:
        target = out_dir / relative.parent / f"{relative.stem}（{counter}）{target.suffix}"
        counter += 1
    taken.add(target.resolve())
    return target


def _open_copy(source: InputFile) -> tuple[Any, str]:
    """The workbook to mark, and a caveat to show on 问题清单 ("" for an edited copy)."""
    import openpyxl

    suffix = source.path.suffix.lower()
    if suffix in EDITABLE_SUFFIXES:
        try:
            return openpyxl.load_workbook(source.path, keep_vba=suffix == ".xlsm"), ""
        except Exception as exc:  # openpyxl raises many types for files it cannot parse
            raise _CannotCopy(f"文件无法打开（{type(exc).__name__}）") from exc
    return _values_copy(source), (
        f"原文件是 {suffix} 格式，无法直接修改：标注版另存为 .xlsx，只保留了内容和合并单元格，"
        "没有保留原来的格式。请在原文件中按本表修改，或在本文件中修改后提交本文件。"
    )


def _values_copy(source: InputFile) -> Any:
    """A new workbook holding the values and merged ranges of every sheet of ``source``."""
    import openpyxl
    import python_calamine

    if source.path.suffix.lower() == CSV_SUFFIX:
        return _csv_copy(source)
    try:
        original = python_calamine.CalamineWorkbook.from_path(str(source.path))
    except Exception as exc:  # calamine raises several types; all mean "cannot open"
        raise _CannotCopy("文件无法打开") from exc
    book = openpyxl.Workbook()
    book.remove(book.active)
    try:
        for meta in original.sheets_metadata:
            sheet = original.get_sheet_by_name(meta.name)
            target = book.create_sheet(meta.name[:31])
            for row in sheet.to_python(skip_empty_area=False):
                target.append([_as_cell(v) for v in row])
            for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
                target.merge_cells(
                    start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1
                )
            if str(getattr(meta, "visible", "Visible")).rsplit(".", 1)[-1] != "Visible":
                target.sheet_state = "hidden"
    finally:
        original.close()
    for sheet in book.worksheets:
        _keep_text(sheet.iter_rows())
    return book


def _csv_copy(source: InputFile) -> Any:
    """A CSV as a one-sheet workbook, named as ``read_sheets`` names it so the marks land."""
    import openpyxl

    try:
        rows = read_csv_rows(source.path)
    except (CsvError, OSError) as exc:
        raise _CannotCopy("文件无法打开") from exc
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = source.path.stem[:31]
    for row in rows:
        sheet.append([_as_cell(v) for v in row])
    _keep_text(sheet.iter_rows())
    return book


def _as_cell(value: Any) -> Any:
    return None if value == "" else value


def _keep_text(rows: Iterable[Iterable[Any]]) -> None:
    """openpyxl turns any text starting with ``=`` into a formula: keep what was typed as text."""
    for row in rows:
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _clear_earlier_marks(book: Any) -> None:
    """A copy annotated before and sent in again: its old list and marks would mislead."""
    from openpyxl.styles import PatternFill

    for sheet in list(book.worksheets):
        if sheet.title.startswith(ANNOTATION_SHEET) and sheet["A1"].value == ANNOTATION_TITLE:
            book.remove(sheet)
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == _AUTHOR:
                    cell.comment = None
                    cell.fill = PatternFill()


def _mark(book: Any, problems: list[Problem]) -> int:
    """Fill each bad cell and comment it; returns the number of cells marked."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    per_cell: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        located = _locate(book, problem)
        if located is not None:
            per_cell.setdefault(located, []).append(problem)
    for (sheet_name, ref), found in per_cell.items():
        cell = book[sheet_name][ref]
        worst = "error" if any(p.severity == "error" for p in found) else "warning"
        cell.fill = PatternFill("solid", start_color=_FILLS[worst], end_color=_FILLS[worst])
        text = "\n".join(f"【{SEVERITY_LABEL[p.severity]}】{p.message}" for p in found)
        if cell.comment is not None:  # the user's own (ours were cleared above)
            text += f"\n（原批注：{cell.comment.text}）"
        comment = Comment(text, _AUTHOR)
        comment.width, comment.height = 320, 40 + 20 * (len(text) // 18 + text.count("\n"))
        cell.comment = comment
    return len(per_cell)


def _locate(book: Any, problem: Problem) -> tuple[str, str] | None:
    """The sheet and top-left cell a problem points at, when it points at one in ``book``."""
    match = _CELL.match(problem.cell or "")
    if not problem.sheet or problem.sheet not in book.sheetnames or match is None:
        return None
    ref = f"{match[1]}{match[2]}"
    sheet = book[problem.sheet]
    for merged in sheet.merged_cells.ranges:
        if ref in merged:  # only a merged range's first cell can hold a fill and a comment
            return problem.sheet, merged.start_cell.coordinate
    return problem.sheet, ref


def _add_problem_sheet(book: Any, source: InputFile, problems: list[Problem], note: str) -> None:
    """问题清单 as the first, active sheet: one row per problem, linked to its cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    sheet = book.create_sheet(ANNOTATION_SHEET, 0)
    for other in book.worksheets:
        other.sheet_view.tabSelected = False
    book.active = 0
    sheet.sheet_view.tabSelected = True
    errors = sum(p.severity == "error" for p in problems)
    lines = [
        [ANNOTATION_TITLE],
        [
            f"{source.display}：{errors} 处错误（红色），{len(problems) - errors} 处警告（黄色）。"
            "点击“单元格”列的链接跳到问题所在的格，按批注修改；改完后可删除本工作表。"
        ],
    ]
    if note:
        lines.append([note])
    lines.append([])
    header = ["序号", "类别", "工作表", "单元格", "原值", "问题说明"]
    lines.append(header)
    for number, problem in enumerate(problems, 1):
        lines.append(
            [
                number,
                SEVERITY_LABEL[problem.severity],
                problem.sheet,
                problem.cell,
                problem.as_dict()["value"],
                problem.message,
            ]
        )
    for line in lines:
        sheet.append(line)
    _keep_text(sheet.iter_rows())  # a teacher's "=…" shown in 原值 stays text
    header_row = len(lines) - len(problems)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
    for offset, problem in enumerate(problems, header_row + 1):
        sheet.cell(offset, 2).fill = PatternFill(
            "solid", start_color=_FILLS[problem.severity], end_color=_FILLS[problem.severity]
        )
        located = _locate(book, problem)
        if located is not None:
            link = sheet.cell(offset, 4)
            quoted = located[0].replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{located[1]}")
            link.style = "Hyperlink"
        sheet.cell(offset, 6).alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEF", (6, 6, 14, 9, 16, 60), strict=True):
        sheet.column_dimensions[column].width = width
    # Printed, the list fits the page width (landscape) and runs on over as many pages as needed.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)


__all__ = ["AnnotatedCopy", "NotAnnotated", "write_annotated_copies"]
