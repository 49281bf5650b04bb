"""Score workbooks → tidy records: one row per student, one row per student × subject mark.

Each record keeps the file, sheet and cell it came from. Nothing here judges ranges or
duplicates (that is ``validate.py``); reading only decides what each cell *is*.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from toolkit.base.classnames import ClassId
from toolkit.base.problems import Problem, ProblemReport
from toolkit.base.rows import row_totals
from toolkit.base.text import as_typed, cell_ref, clean_name, column_letter, normalize
from toolkit.config.model import SchoolConfig
from toolkit.reading.context import (
    SheetContext,
    read_stacked_tables,
    reasons_given,
    report_nothing_read,
    row_class,
)
from toolkit.reading.discover import InputFile
from toolkit.reading.header import (
    SCORE_SUBHEADERS,
    HeaderMatch,
    full_mark_in_header,
    header_key,
    locate_header,
    report_duplicates,
    report_unused,
)
from toolkit.reading.parallel import read_files
from toolkit.reading.scorecell import parse_score
from toolkit.reading.walker import TableRows, walk_rows
from toolkit.reading.workbook import Sheet, is_report, read_sheets
from toolkit.scores.schema import CLASS_COLUMN_ORDER, CONTEXT_FIELDS, FIELDS
from toolkit.scores.views import merge_views

STUDENT_COLUMNS = [
    "学校", "年级", "班级", "学号", "姓名", "识别", "原总分", "总分单元格",
    "文件", "工作表", "行", "姓名单元格",
]  # fmt: skip
# A 评语 column's text per student (the feedback slip's), after the columns above; "" without one.
COMMENT_COLUMN = "评语"
UNNAMED_SCHOOL = "未注明学校"
# 等级: the level a cell held (状态 "level"), "" for a score or an absence.
MARK_COLUMNS = ["sid", "学科", "分数", "状态", "问题", "原值", "满分", "满分来源", "单元格", "等级"]
# Where a mark's 满分 came from: the config, the column's header (语文(150)), or the default,
# which is a guess that the data may contradict (validate.py then says so once per subject).
FULL_MARK_SOURCES = ("config", "header", "default")


@dataclass
class FileRecords:
    """What one file yielded; files are read independently (and may be read in parallel)."""

    students: list[tuple[Any, ...]] = field(default_factory=list)
    marks: list[tuple[Any, ...]] = field(default_factory=list)  # sid is local to the file
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0
    # The marks as columns (MARK_COLUMNS' order) once the file is read: a file's result is
    # copied from a worker process, and a column of a million marks travels and stacks faster
    # than a million tuples (docs/scale.md).
    mark_columns: list[list[Any]] | None = None

    def pack(self) -> None:
        """Turn the marks into columns."""
        self.mark_columns = self.columns()
        self.marks = []

    def columns(self) -> list[list[Any]]:
        if self.mark_columns is not None:
            return self.mark_columns
        if not self.marks:
            return [[] for _ in MARK_COLUMNS]
        return [list(column) for column in zip(*self.marks, strict=True)]


@dataclass
class ScoreRecords:
    """All files' records as frames, plus what reading found wrong."""

    students: pd.DataFrame
    marks: pd.DataFrame
    rows_read: int = 0
    rows_skipped: int = 0
    files: list[str] = field(default_factory=list)
    rows_by_file: dict[str, int] = field(default_factory=dict)  # rows read per file

    def row_totals(self) -> dict[str, int]:
        """Rows read from the inputs: how many counted, how many skipped (with a reason)."""
        counted = len(self.students)
        return row_totals(self.rows_read, counted)


def read_score_files(
    files: Sequence[InputFile], config: SchoolConfig, report: ProblemReport
) -> ScoreRecords:
    """Read every file; the problems go to ``report`` in file order."""
    results = read_files(read_score_file, files, config)
    return combine(results, [f.display for f in files], report)


def combine(
    results: Sequence[FileRecords], names: list[str], report: ProblemReport
) -> ScoreRecords:
    """Every file's students and marks in file order, each file's local ``sid`` renumbered;
    the problems go to ``report``."""
    students: list[tuple[Any, ...]] = []
    marks: list[list[Any]] = [[] for _ in MARK_COLUMNS]
    sids = []
    read = skipped = 0
    for result in results:
        offset = len(students)
        students.extend(result.students)
        sid, *rest = result.columns()
        sids.append(np.asarray(sid, dtype=np.int64) + offset)
        for column, values in zip(marks[1:], rest, strict=True):
            column.extend(values)
        report.extend(result.problems)
        read += result.rows_read
        skipped += result.rows_skipped
    marks[0] = np.concatenate(sids) if sids else []
    columns = [*STUDENT_COLUMNS, COMMENT_COLUMN]
    student_frame = pd.DataFrame(
        students, columns=columns[: len(students[0])] if students else columns
    )
    if COMMENT_COLUMN not in student_frame:  # rows made without one (by hand, in tests)
        student_frame[COMMENT_COLUMN] = ""
    student_frame.index.name = "sid"
    mark_frame = pd.DataFrame(dict(zip(MARK_COLUMNS, marks, strict=True)))
    mark_frame["分数"] = mark_frame["分数"].astype(float)
    mark_frame["满分"] = mark_frame["满分"].astype(float)
    student_frame["原总分"] = pd.to_numeric(student_frame["原总分"], errors="coerce")
    settle_schools([student_frame], report)
    by_file = dict(zip(names, (r.rows_read for r in results), strict=True))
    return ScoreRecords(student_frame, mark_frame, read, skipped, names, by_file)


def settle_schools(students: Sequence[pd.DataFrame], report: ProblemReport) -> None:
    """Give every student row a school. One school named anywhere (a 学校 column, a title, a
    file or folder name) is every row's school: a school's files need not all say it. With
    several, a file that names none is listed under 未注明学校, with a warning."""
    named = set().union(*(set(frame["学校"]) for frame in students)) - {""}
    for frame in students:
        blank = frame["学校"] == ""
        if not named or not blank.any():
            continue
        if len(named) == 1:
            frame.loc[blank, "学校"] = next(iter(named))
            continue
        for file in frame.loc[blank, "文件"].unique():
            report.add("warning", "school.unknown", file=file, school=UNNAMED_SCHOOL)
        frame.loc[blank, "学校"] = UNNAMED_SCHOOL


def read_score_file(file: InputFile, config: SchoolConfig) -> FileRecords:
    report = ProblemReport()
    out = FileRecords()
    tables = 0
    for sheet in read_sheets(file, report):
        tables += _read_sheet(sheet, config, report, out)
    out.students, out.marks, views = merge_views(out.students, out.marks, report)
    out.rows_skipped += views
    if tables == 0 and not report.errors and not is_report(report, file):
        report.add("error", "file.no_table", file=file.display)
    out.problems = list(report)
    out.pack()
    return out


# ---------------------------------------------------------------------------------------------


def _read_sheet(sheet: Sheet, config: SchoolConfig, report: ProblemReport, out: FileRecords) -> int:
    """Read every table on the sheet (a sheet may stack several classes); returns their count."""
    rows = sheet.rows
    # A platform's sheet per subject (语文 | 数学 | …) heads its score column 得分 or 分数.
    named = config.subject_of(sheet.name.strip())
    find = partial(_find_header, rows, config=config, sheet_subject=named)
    header = find(0)
    if header is None:
        if any(any(v not in ("", None) for v in row) for row in rows):
            report.add("note", "sheet.no_table", file=sheet.file.display, sheet=sheet.name)
        return 0
    blocks = _side_by_side(header, rows[header.first_row])
    if len(blocks) > 1:
        # Classes printed side by side (1班 in A–F, 2班 in H–M): each block is its own table.
        report.add(
            "note",
            "sheet.side_by_side",
            file=sheet.file.display,
            sheet=sheet.name,
            count=len(blocks),
            columns="、".join(f"{column_letter(lo)}–{column_letter(hi - 1)}" for lo, hi in blocks),
        )
        return sum(_read_sheet(_masked(sheet, lo, hi), config, report, out) for lo, hi in blocks)
    context_cols = {header.fields[f] for f in CONTEXT_FIELDS if f in header.fields}

    before, reasons = out.rows_read, reasons_given(report)
    tables = read_stacked_tables(
        sheet,
        header,
        context_cols,
        find,
        lambda table, ctx: _read_table(sheet, table, ctx, config, report, out, find),
    )
    if out.rows_read == before and reasons_given(report) == reasons:
        anchor = header.fields["姓名"]
        report_nothing_read(sheet, header, anchor, lambda v: FIELDS(v) == "姓名", "学生", report)
    return tables


def _side_by_side(header: HeaderMatch, top: Sequence[object]) -> list[tuple[int, int]]:
    """The column ranges of tables set side by side on one header row (姓名 more than once),
    each starting as far before its 姓名 as the first table does; one range when there is one."""
    names = sorted([header.fields["姓名"], *(c for f, _, c in header.duplicates if f == "姓名")])
    if len(names) < 2:
        return [(0, len(top))]
    first = next(c for c, v in enumerate(top) if v not in ("", None))
    lead = names[0] - first
    starts = [max(0, n - lead) for n in names]
    starts[0] = 0
    return list(zip(starts, [*starts[1:], max(len(top), starts[-1] + 1)], strict=True))


def _masked(sheet: Sheet, lo: int, hi: int) -> Sheet:
    """The sheet with only columns ``lo``–``hi - 1`` kept (the others blanked), so that every
    cell keeps its reference."""
    rows = [[v if lo <= c < hi else "" for c, v in enumerate(row)] for row in sheet.rows]
    merged = [m for m in sheet.merged if lo <= m[0][1] < hi]
    return Sheet(sheet.file, sheet.name, rows, merged, sheet.template)


# Columns a score sheet may carry that are not analysed and need no mention.
_QUIET_COLUMNS = frozenset({"序号", "性别", "备注", "考试", "名次"})


def _class_rank(label: str) -> int:
    key = header_key(label)
    order = [header_key(w) for w in CLASS_COLUMN_ORDER]
    return order.index(key) + 1 if key in order else 0


def _choose_class_column(header: HeaderMatch, report: ProblemReport, where: dict[str, str]) -> None:
    """Of several class columns (行政班级 and 教学班, 新班级 and 原班级), the analysis goes by the
    administrative or new class; the choice is noted, the other column named as not analysed."""
    first = header.fields.get("班级")
    others = [dup for name, _, dup in header.duplicates if name == "班级"]
    if first is None or not others:
        return
    candidates = [first, *others]
    chosen = min(candidates, key=lambda c: (_class_rank(header.labels.get(c, "")), c))
    header.fields["班级"] = chosen
    header.labels.setdefault(chosen, "班级")
    header.duplicates = [d for d in header.duplicates if d[0] != "班级"]
    report.add(
        "note",
        "class.column_chosen",
        cell=cell_ref(header.first_row, chosen),
        columns="、".join(header.labels.get(c, "") for c in candidates),
        chosen=header.labels.get(chosen, ""),
        **where,
    )


def _find_header(
    rows: Sequence[Sequence[object]],
    start: int,
    config: SchoolConfig,
    sheet_subject: str | None = None,
) -> HeaderMatch | None:
    def subject(value: object) -> str | None:
        found = config.subject_of(value)
        if found is None and sheet_subject and header_key(value) in SCORE_SUBHEADERS:
            return sheet_subject
        return found

    return locate_header(rows, FIELDS, subject, anchor="姓名", start=start)


def _read_table(
    sheet: Sheet,
    header: HeaderMatch,
    ctx: SheetContext,
    config: SchoolConfig,
    report: ProblemReport,
    out: FileRecords,
    find_next: Callable[[int], HeaderMatch | None],
) -> int | None:
    """Read data rows under ``header``; returns the row where another table starts, if any."""
    where = {"file": sheet.file.display, "sheet": sheet.name}
    cols = header.fields
    name_col = cols["姓名"]
    class_col, grade_col, school_col = cols.get("班级"), cols.get("年级"), cols.get("学校")
    id_col, total_col = cols.get("学号"), cols.get("总分")
    comment_col = cols.get("评语")  # kept as typed, for the feedback slip; "" without one
    subjects = sorted(header.groups.items())
    # A subject column with no entry at all was not examined (a template's spare subject, a
    # class that did not sit it): counting every student absent would be wrong.
    below = sheet.rows[header.last_row + 1 :]
    empty = [
        (c, subject)
        for c, subject in subjects
        if not any(c < len(row) and row[c] not in ("", None) for row in below)
    ]
    if len(empty) == len(subjects):
        report.add("note", "sheet.no_scores", cell=cell_ref(header.first_row, 0), **where)
        return None
    for c, subject in empty:
        report.add(
            "note",
            "score.column_empty",
            cell=cell_ref(header.first_row, c),
            column=header.labels.get(c, subject),
            **where,
        )
    subjects = [pair for pair in subjects if pair not in empty]
    _choose_class_column(header, report, where)
    cols = header.fields
    class_col = cols.get("班级")
    # A second rank column (班次 beside 校次) repeats a column never read: not worth a warning.
    header.duplicates = [d for d in header.duplicates if d[0] not in _QUIET_COLUMNS]
    report_duplicates(header, report, **where)
    quiet = {header.fields[f] for f in _QUIET_COLUMNS if f in header.fields}
    report_unused(sheet.rows, header, quiet, report, where)
    if class_col is None:
        if ctx.number is None:
            report.add("error", "class.unknown", cell=cell_ref(header.first_row, name_col), **where)
            return None
        report.add("note", "class.source", source=ctx.source, text=ctx.label, **where)
    # A school's config names its one school; a district's files name theirs.
    school = config.school or ctx.school
    last_class: ClassId | None = None
    default = ClassId(ctx.grade, ctx.number)
    stated = {c: full_mark_in_header(header.labels.get(c, "")) for c, _ in subjects}
    table = TableRows(
        sheet,
        start=header.last_row + 1,
        columns=sorted({*header.fields.values(), *(c for c, _ in subjects)}),
        label_cols=range(0, name_col + 2),
        anchor_col=name_col,
        data_cols=[c for c, _ in subjects],
    )

    full_marks: dict[tuple[int | None, int], tuple[float, str]] = {}

    def read_marks(sid: int, r: int, row: Sequence[object], grade: int | None) -> None:
        """Each score cell of the row as a mark (none for a subject the student does not take:
        选科); its 满分 looked up once per grade and column."""
        for c, subject in subjects:
            raw = row[c]
            if type(raw) is float and raw == raw:
                # A number cell, the bulk of a district's marks, is its own score (as
                # parse_score says), without the call.
                score, status, code, level = raw, "valid", "", ""
            else:
                parsed = parse_score(raw, config.level_words)
                if parsed.status == "not_taking" or parsed.code == "score.excluded":
                    # Not 应考 in this subject (选科), or a score struck out: noted at the cell.
                    said = "score.not_taking" if parsed.status == "not_taking" else parsed.code
                    cell = cell_ref(r, c)
                    report.add("note", said, cell=cell, value=raw, subject=subject, **where)
                    if parsed.status == "not_taking":
                        continue
                score, status, code, level = parsed.score, parsed.status, parsed.code, parsed.level
            full = full_marks.get((grade, c))
            if full is None:
                full = full_marks[grade, c] = _full_mark(config, grade, subject, stated[c])
            out.marks.append((sid, subject, score, status, code, raw, *full, cell_ref(r, c), level))

    def read_student(r: int, row: Sequence[object]) -> None:
        nonlocal school, last_class
        name = clean_name(row[name_col])
        if school_col is not None and normalize(row[school_col]):
            school = normalize(row[school_col])
        found, last_class = row_class(
            row, class_col, grade_col, default, last_class, ("class.grade_missing", name_col, name)
        )
        if not isinstance(found, ClassId):
            code, col, value = found
            out.rows_skipped += 1
            report.add("error", code, cell=cell_ref(r, col), value=value, **where)
            return
        student_id = id_text(row[id_col]) if id_col is not None else ""
        total = row[total_col] if total_col is not None else None
        out.students.append(
            (
                school,
                found.grade,
                found.number,
                student_id,
                name,
                student_id or f"姓名:{name}",
                _number_or_none(total),
                cell_ref(r, total_col) if total_col is not None else "",
                sheet.file.display,
                sheet.name,
                r + 1,
                cell_ref(r, name_col),
                as_typed(row[comment_col]) if comment_col is not None else "",
            )
        )
        read_marks(len(out.students) - 1, r, row, found.grade)

    return walk_rows(
        table,
        starts_table=lambda row: FIELDS(row[name_col]) == "姓名",
        next_table_at=lambda r: find_next(r) is not None,
        read_row=read_student,
        tally=out,
        report=report,
    )


def _full_mark(
    config: SchoolConfig, grade: int | None, subject: str, stated: float | None
) -> tuple[float, str]:
    """A subject's 满分 and where it came from: the config, else the header, else the default."""
    if config.has_rule(grade, subject):
        return config.rule(grade, subject).full_mark, "config"
    if stated is not None:
        return stated, "header"
    return config.rule(grade, subject).full_mark, "default"


def id_text(value: object) -> str:
    """学号 as text: 20260301.0 (a number cell) → ``20260301``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize(value).replace(" ", "")


def _number_or_none(value: object) -> float | None:
    if isinstance(value, bool) or value in ("", None):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = normalize(value).removesuffix("分")
    try:
        return float(text)
    except ValueError:
        return None
