"""One walk over a table's rows for every record kind: what each non-empty row is decided here,
once; what a record row holds is the kind's own parser.

A row under a header is one of: layout (blank, or the second line of cells merged down), the
header of another table (the caller reads it from there), a class block's title, a summary row
(平均分, 合计), a line labelling the student above (赋分, 等级), a footnote (制表人：…), a row
with values but no name (an error), or a record, handed to the kind's ``read_row``. Every
non-empty row is counted as read, and every row not handed on is counted as skipped with a
problem that says why (docs/guarantees.md, "没有一行被悄悄丢掉").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from toolkit.base.classnames import find_class
from toolkit.base.problems import ProblemReport
from toolkit.base.text import cell_ref, normalize, plain
from toolkit.reading.header import header_key
from toolkit.reading.vocabulary import OTHER_SUBHEADERS, SCORE_SUBHEADERS, SUMMARY_WORDS
from toolkit.reading.workbook import Sheet, blank_row

# One pattern for "starts or ends with a summary word": this runs on every row.
_SUMMARY_EDGE = re.compile("^(?:{0})|(?:{0})$".format("|".join(map(re.escape, SUMMARY_WORDS))))
# Every summary word holds a Chinese character, so no ASCII text (NFKC leaves it ASCII) is one.
_NO_ASCII_WORD = not any(word.isascii() for word in SUMMARY_WORDS)
# Name cells that label a line of the student above (赋分, 等级, 校次), never a student.
_SUB_ROW_LABELS = SCORE_SUBHEADERS | OTHER_SUBHEADERS


class Tally(Protocol):
    rows_read: int
    rows_skipped: int


@dataclass
class TableRows:
    """What the walk needs to know of one table."""

    sheet: Sheet
    start: int  # the first data row (0-based)
    columns: Collection[int]  # every column the table reads
    label_cols: range  # where a summary row's label may stand
    # The column naming each record (姓名): a row without it holds no record. None when the
    # kind's parser judges a blank anchor itself (a routine record's missing 任课教师).
    anchor_col: int | None = None
    data_cols: Collection[int] = ()  # the value columns (subjects, items), among ``columns``
    lone_cell_is_note: bool = False  # one filled cell in a wide table is a footnote
    header_again_is_row: bool = False  # a repeated header line is skipped, not a new table

    def __post_init__(self) -> None:
        # Whether a row has data is read off its filled cells, so every value column must be
        # one the walk looks at.
        if not set(self.data_cols) <= set(self.columns):
            raise ValueError("TableRows.data_cols must be among its columns")


def summary_label(row: Sequence[object], cols: range) -> str | None:
    """The summary row's label (平均分, 合计…) among ``cols`` of ``row``, or None."""
    for c in cols:
        text = _label_of(row[c] if c < len(row) else None)
        if text is not None:
            return text
    return None


class _SummaryRows:
    """The rows (from ``start``) with a summary label among ``cols``, found a stretch of rows
    at a time: each distinct value of a column in the stretch is asked once (a grade's school
    and class texts stand on every row). Stretches double as the walk goes on, so that a short
    table is looked past its end by no more rows than it has."""

    def __init__(self, rows: Sequence[Sequence[object]], cols: range, start: int) -> None:
        self._rows, self._cols = rows, cols
        self._until, self._size = start, 64
        self._found: set[int] = set()

    def __contains__(self, r: int) -> bool:
        while r >= self._until:
            self._scan()
        return r in self._found

    def _scan(self) -> None:
        start, end = self._until, min(self._until + self._size, len(self._rows))
        stretch = self._rows[start:end]
        for c in self._cols:
            values = [row[c] if c < len(row) else None for row in stretch]
            try:
                labelled = {v for v in set(values) if _label_of(v) is not None}
            except TypeError:  # a value that cannot be hashed: each asked in turn
                self._found.update(start + i for i, v in enumerate(values) if _label_of(v))
                continue
            if labelled:
                self._found.update(start + i for i, v in enumerate(values) if v in labelled)
        self._until, self._size = max(end, start + 1), min(2 * self._size, 4096)


def _label_of(value: object) -> str | None:
    """A cell's text as a summary label, or None."""
    if not isinstance(value, str) or (value.isascii() and _NO_ASCII_WORD):
        return None  # numbers, dates and ASCII text (学号) are never a label
    return _summary_of(value)


def _summary_of(value: str) -> str | None:
    if plain(value):
        # Its own normal form, checked as it is: a grade's names mostly occur once, and
        # remembering them would only push the school and class texts out.
        return value if _SUMMARY_EDGE.search(value) else None
    return _summary_text(value)


@functools.lru_cache(maxsize=1 << 16)
def _summary_text(value: str) -> str | None:
    # Remembered: every row's label cells are asked, and a sheet repeats its school and class.
    text = normalize(value).replace(" ", "")
    return text if text and _SUMMARY_EDGE.search(text) else None


def walk_rows(
    table: TableRows,
    *,
    starts_table: Callable[[Sequence[object]], bool],
    next_table_at: Callable[[int], bool],
    read_row: Callable[[int, Sequence[object]], None],
    tally: Tally,
    report: ProblemReport,
) -> int | None:
    """Walk the table's rows, handing each record row to ``read_row`` (which counts a row it
    refuses as skipped). Returns the row where another table starts, or None at the end."""
    sheet = table.sheet
    rows = sheet.rows
    where = {"file": sheet.file.display, "sheet": sheet.name}
    width = max([*table.columns, *table.data_cols, *table.label_cols], default=0) + 1
    anchor = table.anchor_col

    columns = list(table.columns)
    wanted = set(table.data_cols or table.columns)
    data = [c for c in columns if c in wanted]

    summaries = _SummaryRows(rows, table.label_cols, table.start)

    def skip(code: str, r: int, c: int, value: object, severity: str = "note") -> None:
        tally.rows_skipped += 1
        report.add(severity, code, cell=cell_ref(r, c), value=value, **where)  # type: ignore[arg-type]

    for r in range(table.start, len(rows)):
        row = rows[r]
        if blank_row(row):
            continue  # blank rows between records are layout, not data
        if len(row) < width:
            row = [*row, *([""] * (width - len(row)))]
        if starts_table(row):
            if not table.header_again_is_row:
                return r  # another table's header: the caller reads it from here
            tally.rows_read += 1
            skip("row.header_again", r, min(table.columns), "")
            continue
        # A record row's first value cell is filled (most often with a number, settled without
        # a generator): the search stops there, and the row's other cells are looked at only
        # when it may be something else.
        has_data = (bool(data) and type(row[data[0]]) is float) or any(
            not _blank(row[c]) for c in data
        )
        named = anchor is None or not _blank(row[anchor])
        if named and anchor is not None and not has_data and _is_note(row[anchor]):
            named = False  # 制表人：张老师 in the name column, nothing beside it: a footnote
        if (not named and not has_data) or not (has_data or _filled(row, columns)):
            if _continues_merged_cells(sheet, r, row):
                continue  # the second line of a cell merged over two rows
            text = " ".join(normalize(v) for v in row if isinstance(v, str))
            if find_class(text) and next_table_at(r):
                return r  # a title row of the next class block
            tally.rows_read += 1
            c = next(c for c, v in enumerate(row) if not _blank(v))
            skip("row.stray", r, c, row[c])
            continue
        tally.rows_read += 1
        label = summary_label(row, table.label_cols) if r in summaries else None
        if label is not None:
            skip("row.summary", r, table.label_cols.start if anchor is None else anchor, label)
            continue
        if anchor is not None and header_key(row[anchor]) in _SUB_ROW_LABELS:
            skip("row.sub_row", r, anchor, normalize(row[anchor]))
            continue
        if table.lone_cell_is_note and (
            (len(filled := _filled(row, columns)) == 1 and len(columns) > 2)
            or _merged_across(sheet, r, columns)
        ):
            # One lone cell under a table is a footnote (填表人、审核), not a record; so is a
            # note merged across the table's width (its value fills every column it covers).
            skip("row.stray", r, filled[0], row[filled[0]])
            continue
        if not named:
            skip("row.no_name", r, anchor, None, "error")  # type: ignore[arg-type]
            continue
        read_row(r, row)
    return None


# A name cell that is a note: a label and a colon (制表人：…), or a sentence, not a name.
_NOTE = re.compile(r"[：:]|^(?:注|说明|备注|制表|审核|阅卷|填表|统计)|.{13,}")


def _is_note(value: object) -> bool:
    return isinstance(value, str) and bool(_NOTE.search(normalize(value).strip()))


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not normalize(value))


def _filled(row: Sequence[object], columns: Sequence[int]) -> list[int]:
    """The columns of ``columns`` whose cell in ``row`` is not blank."""
    return [c for c in columns if not _blank(row[c])]


def _continues_merged_cells(sheet: Sheet, r: int, row: Sequence[object]) -> bool:
    """Whether every filled cell of row ``r`` is a merged range's copy from a row above (a class
    merged down its block, beside a name merged over two rows): layout, not a title row."""
    filled = [c for c, v in enumerate(row) if v is not None and v != ""]
    covered = {c for (r0, c0), (r1, c1) in sheet.merged if r0 < r <= r1 for c in range(c0, c1 + 1)}
    return bool(filled) and set(filled) <= covered


def _merged_across(sheet: Sheet, r: int, cols: Collection[int]) -> bool:
    """Whether row ``r`` is one merged cell spanning three or more of the table's columns."""
    wanted = set(cols)
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= r <= r1 and len(wanted & set(range(c0, c1 + 1))) >= 3:
            return True
    return False
