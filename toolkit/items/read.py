"""Item-score workbooks → tidy records: one row per student, and the marks as a columnar block.

The header row names 姓名 and the items (1, 2, 第3题, 13(1)); rows labelled 满分 and 知识点 just
under it (or just above) describe each item. The subject comes from a 学科 cell above the
table, else the sheet name, title or file name. Reading only decides what each cell is;
ranges are checked by ``validate.py``.

The walk decides which rows are students; their item cells are then parsed a column at a time
(``scorecell.parse_scores``) into a students × items block of floats and small-integer
statuses (``block.MarkBlock``). The long frame of marks (``ItemRecords.marks``) is built from
the block only when asked for.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from toolkit.base.classnames import ClassId, parse_grade
from toolkit.base.problems import Problem, ProblemReport
from toolkit.base.rows import row_totals
from toolkit.base.text import cell_ref, clean_name, is_blank, normalize
from toolkit.config.model import SUBJECT_SYNONYMS, SchoolConfig
from toolkit.items.block import INVALID, VALID, MarkBlock
from toolkit.items.block import MARK_COLUMNS as MARK_COLUMNS  # the long frame's, as before
from toolkit.items.schema import BLOCK_LABELS, FIELDS, INFO_LABELS, item_label
from toolkit.reading.context import (
    RowProblem,
    SheetContext,
    reasons_given,
    report_nothing_read,
    row_class,
    sheet_context,
)
from toolkit.reading.discover import InputFile
from toolkit.reading.header import HeaderMatch, locate_header, report_unused
from toolkit.reading.scorecell import LEVEL, parse_score, parse_scores
from toolkit.reading.walker import TableRows, walk_rows
from toolkit.reading.workbook import Sheet, is_report, read_sheets
from toolkit.scores.read import id_text

STUDENT_COLUMNS = [
    "年级",
    "班级",
    "学号",
    "姓名",
    "学科",
    "考试",
    "文件",
    "工作表",
    "行",
    "姓名单元格",
]
# 学校 comes after the others, kept apart: frames built without it (one school's) still read
# as one school, and the school is only shown when the input holds several.
RECORD_COLUMNS = [*STUDENT_COLUMNS, "学校"]
ITEM_COLUMNS = ["年级", "学科", "考试", "题号", "满分", "知识点", "文件", "工作表", "满分单元格"]
_BLOCK_SCAN = 4  # rows above/below the header searched for the 满分/知识点 block
_ABOVE: Any = object()  # the class carried down from the row above, whatever it is
_NONE: Any = ("", 0, "")  # no problem to give: the row has a 班级 cell


@dataclass
class ItemRecords:
    """The students (one row each, indexed by ``sid``), the items (one row per item per sheet:
    题号, 满分, 知识点) and the marks, held as a columnar :class:`MarkBlock`; ``marks`` is the
    long frame (``MARK_COLUMNS``: one row per student × item), built from the block when first
    asked for."""

    students: pd.DataFrame
    block: MarkBlock
    items: pd.DataFrame
    rows_read: int = 0
    rows_skipped: int = 0
    files: list[str] = field(default_factory=list)
    _marks: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def marks(self) -> pd.DataFrame:
        """One row per student × item: sid, 题号, 分数, 状态, 问题, 原值, 满分, 知识点, 单元格."""
        if self._marks is None:
            self._marks = self.block.frame(self.items)
        return self._marks

    def changed(self) -> None:
        """Say the block changed (validation marks marks invalid): ``marks`` is built again."""
        self._marks = None

    def row_totals(self) -> dict[str, int]:
        """Rows read from the inputs: how many counted, how many skipped (with a reason)."""
        counted = len(self.students)
        return row_totals(self.rows_read, counted)


@dataclass
class _FileItems:
    students: list[tuple[Any, ...]] = field(default_factory=list)
    tables: list[MarkBlock] = field(default_factory=list)  # one per table, in reading order
    items: list[tuple[Any, ...]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0


def read_item_files(
    files: Sequence[InputFile], config: SchoolConfig, report: ProblemReport
) -> ItemRecords:
    results = [read_item_file(f, config) for f in files]
    students: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    read = skipped = 0
    for result in results:
        students.extend(result.students)
        items.extend(result.items)
        report.extend(result.problems)
        read += result.rows_read
        skipped += result.rows_skipped
    block = MarkBlock.stack([table for result in results for table in result.tables])
    student_frame = pd.DataFrame(students, columns=RECORD_COLUMNS)
    student_frame.index.name = "sid"
    item_frame = pd.DataFrame(items, columns=ITEM_COLUMNS)
    item_frame["满分"] = item_frame["满分"].astype(float)
    return ItemRecords(student_frame, block, item_frame, read, skipped, [f.display for f in files])


def read_item_file(file: InputFile, config: SchoolConfig) -> _FileItems:
    report = ProblemReport()
    out = _FileItems()
    tables = 0
    for sheet in read_sheets(file, report):
        header = locate_header(sheet.rows, FIELDS, item_label, anchor="姓名", min_groups=1)
        if header is None:
            if any(any(not is_blank(v) for v in row) for row in sheet.rows):
                report.add(
                    "note", "sheet.no_records", file=file.display, sheet=sheet.name, kind="小题分"
                )
            continue
        tables += 1
        before, reasons = out.rows_read, reasons_given(report)
        _read_table(sheet, header, config, report, out)
        if out.rows_read == before and reasons_given(report) == reasons:
            name_col = header.fields["姓名"]
            report_nothing_read(sheet, header, name_col, _is_name_head, "学生", report)
    if tables == 0 and not report.errors and not is_report(report, file):
        report.add("error", "file.no_records", file=file.display, kind="小题分")
    out.problems = list(report)
    return out


def _is_name_head(value: object) -> bool:
    return FIELDS(value) == "姓名"


@dataclass
class _Block:
    full: dict[int, tuple[object, int]] = field(default_factory=dict)  # col → (raw, row)
    points: dict[int, str] = field(default_factory=dict)
    last_row: int = -1  # the last block row below the header (data starts after)


def find_block(rows: Sequence[Sequence[object]], header: HeaderMatch) -> _Block:
    block = _Block(last_row=header.last_row)
    item_cols = sorted(header.groups)
    label_cols = range(0, item_cols[0])
    candidates = [
        *range(max(0, header.first_row - _BLOCK_SCAN), header.first_row),
        *range(header.last_row + 1, min(len(rows), header.last_row + 1 + _BLOCK_SCAN)),
    ]
    for r in candidates:
        row = rows[r]
        labels = {BLOCK_LABELS(row[c]) for c in label_cols if c < len(row)} - {None}
        if not labels:
            continue
        label = labels.pop()
        if r > header.last_row:
            block.last_row = max(block.last_row, r)
        for c in item_cols:
            value = row[c] if c < len(row) else None
            if label == "满分":
                block.full[c] = (value, r)
            elif label == "知识点" and not is_blank(value):
                block.points[c] = normalize(value)
    return block


def _sheet_info(rows: Sequence[Sequence[object]], until: int) -> dict[str, str]:
    """学科/考试/年级/学校 written above the table as ``label | value`` pairs (or
    ``学科：数学``)."""
    info: dict[str, str] = {}
    for row in rows[:until]:
        for c, value in enumerate(row):
            text = normalize(value)
            if not text:
                continue
            for sep in ("：", ":"):
                if sep in text:
                    label, _, rest = text.partition(sep)
                    name = INFO_LABELS(label)
                    if name and rest.strip():
                        info.setdefault(name, rest.strip())
            name = INFO_LABELS(text)
            if name and c + 1 < len(row) and not is_blank(row[c + 1]):
                info.setdefault(name, normalize(row[c + 1]))
    return info


def _subject(config: SchoolConfig, info: dict[str, str], sheet: Sheet, ctx: SheetContext) -> str:
    if info.get("学科"):
        return config.subject_of(info["学科"]) or info["学科"]
    for text in (sheet.name, ctx.title, sheet.file.display):
        for word in _words(text):
            found = config.subject_of(word)
            if found:
                return found
    return ""


def _words(text: str) -> list[str]:
    """Candidate subject words in a title or file name (``三年级数学小题分`` → ``数学``)."""
    found = []
    cleaned = normalize(text)
    for name, synonyms in SUBJECT_SYNONYMS.items():
        for word in (name, *synonyms):
            # One character (生 of 学生) or a Latin word is a column head, not a title's subject.
            if len(word) > 1 and not word.isascii() and word in cleaned:
                found.append(word)
    return sorted(found, key=len, reverse=True)


def _read_table(
    sheet: Sheet, header: HeaderMatch, config: SchoolConfig, report: ProblemReport, out: _FileItems
) -> None:
    where = {"file": sheet.file.display, "sheet": sheet.name}
    rows = sheet.rows
    sheet.fill_merged(rows=range(0, header.last_row + 1))
    block = find_block(rows, header)
    ctx = sheet_context(sheet, rows[: header.first_row])
    info = _sheet_info(rows, header.first_row)
    subject = _subject(config, info, sheet, ctx)
    exam = info.get("考试", "")
    info_grade = parse_grade(info["年级"]) if info.get("年级") else None
    cols = header.fields
    name_col = cols["姓名"]
    class_col, id_col, grade_col = cols.get("班级"), cols.get("学号"), cols.get("年级")
    school_col = cols.get("学校")
    # A district's export names each student's school; otherwise the sheet's or the config's.
    sheet_school = info.get("学校") or config.school
    data_rows = range(block.last_row + 1, len(rows))
    sheet.fill_merged(
        rows=data_rows, cols={c for c in (class_col, grade_col, school_col) if c is not None}
    )
    used = {
        c
        for c in header.groups
        if any(c < len(rows[r]) and not is_blank(rows[r][c]) for r in data_rows)
    }
    if not used:  # a sheet not filled in yet (a template's other grades)
        report.add("note", "sheet.no_scores", cell=cell_ref(header.first_row, 0), **where)
        return
    report_unused(rows, header, (), report, where)
    if not subject:
        report.add("error", "items.no_subject", cell=cell_ref(header.first_row, 0), **where)
    full_marks: dict[int, float] = {}
    for c in sorted(used):
        raw, r = block.full.get(c, (None, header.last_row))
        parsed = parse_score(raw)
        if parsed.status != "valid" or not parsed.score or parsed.score <= 0:
            report.add(
                "error",
                "items.no_full_mark",
                cell=cell_ref(r, c),
                value=raw,
                item=header.groups[c],
                **where,
            )
            continue
        full_marks[c] = parsed.score
    if class_col is None and ctx.number is None:
        report.add("error", "class.unknown", cell=cell_ref(header.first_row, name_col), **where)
        return
    if class_col is None:
        report.add("note", "class.source", source=ctx.source, text=ctx.label, **where)
    sheet_grade = info_grade or ctx.grade
    for c, full in full_marks.items():
        r = block.full.get(c, (None, header.last_row))[1]
        out.items.append(
            (
                sheet_grade,
                subject,
                exam,
                header.groups[c],
                full,
                block.points.get(c, ""),
                where["file"],
                where["sheet"],
                cell_ref(r, c),
            )
        )
    last_class: ClassId | None = None
    student_rows: list[int] = []  # the rows read as students, in order

    default = ClassId(sheet_grade, ctx.number)
    classes: dict[tuple[object, ...], tuple[ClassId | RowProblem, object]] = {}

    def row_class_of(row: Sequence[object], name: str) -> ClassId | RowProblem:
        """``row_class``, once per distinct 年级 and 班级 cell: a grade's 120,000 rows hold a
        few hundred classes."""
        nonlocal last_class
        raw = row[class_col] if class_col is not None and class_col < len(row) else None
        grade = row[grade_col] if grade_col is not None and grade_col < len(row) else None
        # Told apart by type and, but for text, by repr (1 and True, 0.0 and -0.0 are not one).
        key = (
            grade if type(grade) is str else (type(grade), repr(grade)),
            raw if type(raw) is str else (type(raw), repr(raw)),
        )
        known = classes.get(key)
        if known is None:
            if class_col is None or is_blank(raw):  # the class of the row above, or the sheet's
                no_grade = ("class.grade_missing", name_col, name)
                found, last_class = row_class(
                    row, class_col, grade_col, default, last_class, no_grade
                )
                return found
            known = classes[key] = row_class(row, class_col, grade_col, default, _ABOVE, _NONE)
        found, carried = known
        if carried is not _ABOVE:
            last_class = carried  # type: ignore[assignment]
        return found

    def read_student(r: int, row: Sequence[object]) -> None:
        name = clean_name(row[name_col])
        found = row_class_of(row, name)
        if not isinstance(found, ClassId):
            code, col, value = found
            out.rows_skipped += 1
            report.add("error", code, cell=cell_ref(r, col), value=value, **where)
            return
        student_id = id_text(row[id_col]) if id_col is not None else ""
        school = normalize(row[school_col]) if school_col is not None else ""
        out.students.append(
            (
                found.grade,
                found.number,
                student_id,
                name,
                subject,
                exam,
                where["file"],
                where["sheet"],
                r + 1,
                cell_ref(r, name_col),
                school or sheet_school,
            )
        )
        student_rows.append(r)

    table = TableRows(
        sheet,
        start=block.last_row + 1,
        columns=sorted({*cols.values(), *header.groups}),
        label_cols=range(0, name_col + 2),
        anchor_col=name_col,
        data_cols=sorted(header.groups),
        header_again_is_row=True,  # one table per sheet: a repeated header line is no student
    )
    walk_rows(
        table,
        starts_table=lambda row: FIELDS(row[name_col]) == "姓名",
        next_table_at=lambda _r: False,
        read_row=read_student,
        tally=out,
        report=report,
    )
    out.tables.append(_marks(rows, student_rows, full_marks))


def _marks(
    rows: Sequence[Sequence[object]], student_rows: list[int], full_marks: dict[int, float]
) -> MarkBlock:
    """The table's marks, students × items, parsed at once. The cell as typed is kept only
    where a problem will quote it: an unreadable cell, or a number outside 0..满分 (the rule
    that validation applies)."""
    n, k = len(student_rows), len(full_marks)
    cells = _cells(rows, student_rows, list(full_marks))
    parsed = parse_scores(cells)
    status, score = parsed.status, parsed.score
    noted, noted_code = parsed.noted, parsed.noted_code.copy()
    level = status[noted] == LEVEL  # an item is marked in points, never in levels
    status[noted[level]] = INVALID
    noted_code[level] = "score.invalid"
    # The rule codes numbered in the order they first occur item by item, as when each item's
    # column was parsed apart (a code is only ever a cell's that is no valid number).
    coded = (noted_code != "") & (status[noted] != VALID)
    at, texts = noted[coded], noted_code[coded]
    order = _by_item(at, k)
    at, texts = at[order], texts[order]
    codes = ["", *dict.fromkeys(texts)]
    code = np.zeros(n * k, dtype=np.int16)
    for index, text in enumerate(codes[1:], start=1):
        code[at[texts == text]] = index
    fulls = np.fromiter(full_marks.values(), float, k)  # each item's, against its column
    by_student = score.reshape(n, k)
    outside = ((by_student < 0) | (by_student > fulls)).ravel()
    quoted = np.flatnonzero((status == INVALID) | outside)
    quoted = quoted[_by_item(quoted, k)]
    return MarkBlock(
        np.repeat(np.arange(n, dtype=np.int64), k),
        np.tile(np.arange(k, dtype=np.int64), n),
        score,
        status,
        code,
        codes,
        np.array(student_rows, dtype=np.int64),
        np.array(list(full_marks), dtype=np.int64),
        {int(i): cells[i] for i in quoted},
    )


def _by_item(marks: np.ndarray, k: int) -> np.ndarray:
    """The order that takes ``marks`` (student by student, ``k`` items each) item by item."""
    return np.lexsort((marks // max(k, 1), marks % max(k, 1)))


def _cells(rows: Sequence[Sequence[object]], picked: list[int], columns: list[int]) -> np.ndarray:
    """The ``columns`` of the ``picked`` rows, student by student (the order calamine made the
    cells in, so the parse walks through memory one cell after another), as one object array;
    a short row padded with "", as the walk pads it."""
    width = max(columns, default=-1) + 1
    chosen = [rows[r] for r in picked]
    if all(len(row) >= width for row in chosen):
        first, last = min(columns, default=0), width
        if columns == list(range(first, last)):  # the usual: the items side by side
            stretches = (row[first:last] for row in chosen)
        else:
            pick = operator.itemgetter(*columns)
            stretches = (pick(row) if len(columns) > 1 else (pick(row),) for row in chosen)
        return np.fromiter(
            itertools.chain.from_iterable(stretches), dtype=object, count=len(chosen) * len(columns)
        )
    grid = np.full((len(chosen), width), "", dtype=object)
    for i, row in enumerate(chosen):
        cut = list(row[:width])
        grid[i, : len(cut)] = cut
    return grid[:, columns].ravel()
