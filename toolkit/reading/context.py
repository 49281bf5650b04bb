"""What a sheet says about itself outside its table: the class or grade in its name, title rows,
file name or folder. Used when a table has no 班级 (or 年级) column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from toolkit.classnames import find_class, find_grade
from toolkit.reading.header import HeaderMatch
from toolkit.reading.workbook import Sheet
from toolkit.text import normalize


@dataclass
class SheetContext:
    """The class a sheet names, and where that was found (for the note telling the user)."""

    grade: int | None = None
    number: int | None = None
    source: str = ""
    text: str = ""
    title: str = ""


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
