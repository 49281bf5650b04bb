"""What a sheet says about itself outside its table: the class or grade in its name, title rows,
file name or folder. Used when a table has no 班级 (or 年级) column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from toolkit.base.classnames import (
    ClassId,
    class_name,
    find_class,
    find_grade,
    parse_class_cell,
    parse_grade,
)
from toolkit.base.problems import ProblemReport
from toolkit.base.schoolnames import find_school
from toolkit.base.text import cell_ref, is_blank, normalize
from toolkit.reading.header import HeaderMatch
from toolkit.reading.workbook import Sheet, blank_row


@dataclass
class SheetContext:
    """The class a sheet names, and where that was found (for the note telling the user)."""

    grade: int | None = None
    number: int | None = None
    source: str = ""
    text: str = ""
    title: str = ""
    school: str = ""  # named in the title, file name or a folder name (a district's files)

    @property
    def label(self) -> str:
        """The class as the note shows it: ``三(2)班``, or ``2班`` when no grade was found."""
        if self.grade:
            return class_name(self.grade, self.number or 0)
        return f"{self.number}班"


def title_text(title_rows: Sequence[Sequence[object]]) -> str:
    return " ".join(normalize(v) for row in title_rows for v in row if isinstance(v, str) and v)


def sheet_context(sheet: Sheet, title_rows: Sequence[Sequence[object]]) -> SheetContext:
    """Class and grade from the sheet name, then the title rows, then the file path."""
    title = title_text(title_rows)
    path = PurePosixPath(sheet.file.display)
    sources = [
        ("工作表名", sheet.name),
        ("标题", title),
        ("文件名", path.stem),
        ("文件夹", " ".join(path.parent.parts)),
    ]
    ctx = SheetContext(title=title)
    for source, text in sources:
        found = find_class(text)
        if found is None:
            continue
        if ctx.number is None and found.number is not None:
            ctx.number, ctx.source, ctx.text = found.number, source, text
            if found.grade is not None:
                ctx.grade = found.grade
        if ctx.grade is None and found.grade is not None:
            ctx.grade = found.grade
    if ctx.grade is None:
        for _, text in sources:
            ctx.grade = find_grade(text)
            if ctx.grade:
                break
    # The nearest naming wins: the title, the file name, then folders from the innermost.
    places = [title, path.stem, *reversed(path.parent.parts)]
    ctx.school = next((name for text in places if (name := find_school(text))), "")
    return ctx


def read_stacked_tables(
    sheet: Sheet,
    header: HeaderMatch,
    block_columns: set[int],
    find_next: Callable[[int], HeaderMatch | None],
    read_table: Callable[[HeaderMatch, SheetContext], int | None],
) -> int:
    """Read every table on a sheet (one sheet may stack several classes, each with its titles
    and header); returns how many were read.

    Merged header cells are filled everywhere; merged data cells only in ``block_columns`` (a
    class or date covering a block of rows), never a name merged across two students.
    ``read_table`` returns the row where the next table starts, or None.
    """
    rows = sheet.rows
    sheet.fill_merged(rows=range(0, header.last_row + 1))
    sheet.fill_merged(rows=range(header.last_row + 1, len(rows)), cols=block_columns)
    tables = 0
    title_start = 0  # a table's titles stand between the previous table and its header
    current: HeaderMatch | None = header
    while current is not None:
        tables += 1
        next_start = read_table(
            current, sheet_context(sheet, rows[title_start : current.first_row])
        )
        if next_start is None:
            break
        title_start = next_start
        current = find_next(next_start)
    return tables


RowProblem = tuple[str, int, object]  # (rule code, column, cell value)


def row_class(
    row: Sequence[object],
    class_col: int | None,
    grade_col: int | None,
    default: ClassId,
    above: ClassId | None,
    no_grade: RowProblem,
) -> tuple[ClassId | RowProblem, ClassId | None]:
    """The class of one student row: its 班级 cell (blank = the class of the row above), its
    年级 cell, else ``default`` (the sheet's context).

    Returns the complete class, or the problem (rule code, column, value) that stops it, and
    the class cell to carry down to the next row. ``no_grade`` is the problem to give when
    there is no 班级 column and nothing names the grade.
    """
    grade, number = default.grade, default.number
    if grade_col is not None and grade_col < len(row) and not is_blank(row[grade_col]):
        grade = parse_grade(row[grade_col]) or grade
    if class_col is None:
        return (ClassId(grade, number) if grade is not None else no_grade), above
    raw = row[class_col] if class_col < len(row) else None
    parsed = parse_class_cell(raw) if not is_blank(raw) else above
    if parsed is None or parsed.number is None:
        return ("class.invalid", class_col, raw), above
    grade = parsed.grade or grade
    if grade is None:
        return ("class.grade_missing", class_col, raw), parsed
    return ClassId(grade, parsed.number), parsed


def reasons_given(report: ProblemReport) -> int:
    """Problems that tell the office why rows were not read (the list of unused columns is no
    reason)."""
    return sum(1 for p in report if p.code != "header.unused")


def report_nothing_read(
    sheet: Sheet,
    header: HeaderMatch,
    anchor_col: int,
    is_anchor: Callable[[object], bool],
    what: str,
    report: ProblemReport,
) -> None:
    """Rows under a header that gave nothing, without any reason given: an error naming the
    sheet, the rows and the likely cause. Call it when a sheet's tables read no row at all and
    added no problem, so that a file with data never yields nothing in silence."""
    rows = sheet.rows
    below = [r for r in range(header.last_row + 1, len(rows)) if not blank_row(rows[r])]
    if not below:
        return
    first = rows[below[0]]
    if anchor_col < len(first) and is_anchor(first[anchor_col]):
        why = "表头下一行又是表头：这是两行表头吗？请把两行表头合成一行（如“语文得分”）后重试"
    else:
        why = f"请检查表头下的行是否是{what}"
    report.add(
        "error",
        "sheet.nothing_read",
        file=sheet.file.display,
        sheet=sheet.name,
        cell=cell_ref(header.first_row, anchor_col),
        rows=len(below),
        what=what,
        why=why,
    )
