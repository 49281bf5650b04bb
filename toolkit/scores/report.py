"""The score analysis as one call: read → validate → aggregate, returning a report object.

Commands (and the planned web page) call :func:`analyze` and render what it returns.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.base.classnames import grade_name
from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.config.read import is_config_workbook, load_config
from toolkit.reading.discover import InputFile, Source, discover, distinct_names
from toolkit.reading.exam_names import exam_in, split_by_exam
from toolkit.reading.vocabulary import EXAM_WORDS
from toolkit.reading.workbook import sheet_names
from toolkit.scores import metrics
from toolkit.scores.full_marks import adopt_stated_full_marks
from toolkit.scores.read import ScoreRecords, read_score_files, settle_schools
from toolkit.scores.validate import validate_scores


@dataclass
class ScoreReport:
    """Everything the score workbook shows, and the problems found on the way."""

    config: SchoolConfig
    problems: ProblemReport
    files: list[InputFile]
    records: ScoreRecords
    exam: str = ""
    summary: pd.DataFrame | None = None
    levels: pd.DataFrame | None = None  # 等级分布: the summary's rows in levels
    students: pd.DataFrame | None = None
    subjects: list[str] = field(default_factory=list)
    bands: pd.DataFrame | None = None
    critical: pd.DataFrame | None = None
    care: pd.DataFrame | None = None  # 关爱学生: the lowest share of each class × subject
    progress: metrics.Progress | None = None
    previous_exam: str = ""
    # The 学校对比 table (each school and the 全区 per grade × subject): several schools only.
    school_summary: pd.DataFrame | None = None
    # One school's report of a district's: its 学校对比 rows beside the 全区 rows (全区对照),
    # and how many schools the district has.
    reference: pd.DataFrame | None = None
    reference_schools: int = 0

    @property
    def analysed(self) -> bool:
        return self.summary is not None

    @property
    def title(self) -> str:
        parts = [self.config.school, self.config.term_label, self.exam]
        return "".join(p for p in parts if p) + "成绩分析"

    @property
    def ranks_students(self) -> bool:
        """Whether any grade of this exam ranks its pupils (学生排名 is not 不排名)."""
        grades = self.records.students["年级"].dropna().unique()
        return any(self.config.ranks_students(int(g)) for g in grades)

    @property
    def schools(self) -> list[str]:
        return list(metrics.school_order(self.records.students["学校"]))

    def row_totals(self) -> dict[str, int]:
        return self.records.row_totals()


def load_scores(
    inputs: Iterable[Source], config: SchoolConfig, problems: ProblemReport
) -> tuple[list[InputFile], ScoreRecords]:
    """Find, read and validate score files: what ``check`` shows and ``analyze`` builds on."""
    files = discover(inputs, problems)
    records = read_score_files(files, config, problems)
    adopt_stated_full_marks(records.marks, records.students, config, problems)
    return files, validate_scores(records, problems)


def analyze(
    inputs: Iterable[Source],
    *,
    config: SchoolConfig | None = None,
    config_path: Path | str | None = None,
    previous: Sequence[Path | str] = (),
    skip_invalid: bool = False,
    exam: str = "",
    problems: ProblemReport | None = None,
    pupils: bool = True,
) -> ScoreReport:
    """Analyse score files. Tables are computed when there are no errors, or with
    ``skip_invalid`` (invalid cells then count as missing and stay listed as problems).
    ``pupils=False`` leaves the pupil tables to :func:`fill_pupils` (see :func:`compute`)."""
    problems = problems if problems is not None else ProblemReport()
    if config is None:
        config = load_config(config_path, problems)
    # Found together, so that a file of the previous exam named like one of this exam's
    # (期中/五年级成绩.xlsx, 期末/五年级成绩.xlsx) is told apart in every message.
    current, earlier = distinct_names(discover(inputs, problems), discover(previous, problems))
    current, earlier = _without_configs(current, problems), _without_configs(earlier, problems)
    current = one_exam(current, exam, problems)
    files, records = load_scores(current, config, problems)
    report = ScoreReport(config, problems, files, records, exam or guess_exam(files))
    previous_records = None
    if previous:
        previous_files, previous_records = load_scores(earlier, config, problems)
        report.previous_exam = guess_exam(previous_files) or "上次考试"
        # Matched by school too: one exam's files may name the school where the other's do not.
        settle_schools([records.students, previous_records.students], problems)
    if problems.has_errors and (not skip_invalid or problems.unskippable):
        return report
    if records.students.empty:
        return report
    compute(report, previous_records, pupils=pupils)
    return report


def _without_configs(files: list[InputFile], problems: ProblemReport) -> list[InputFile]:
    """The score files, less a school config kept among them (noted, never a missing table)."""
    kept = []
    for file in files:
        if file.path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".ods"} and is_config_workbook(
            file.path
        ):
            problems.add("note", "file.config", file=file.display)
        else:
            kept.append(file)
    return kept


def one_exam(files: list[InputFile], exam: str, problems: ProblemReport) -> list[InputFile]:
    """Files of one exam: a workbook holding a sheet per exam (12月月考 | 期中) is read for the
    exam asked for (``--exam``), its other sheets noted; without ``exam`` it is refused, never
    read as one exam full of twice-listed students."""
    kept = []
    for file in files:
        names = sheet_names(file.path) if file.sheets is None else []
        split = split_by_exam(file, names)
        if not split:
            kept.append(file)
            continue
        wanted = exam_in(exam) or exam
        chosen = split.get(wanted) if wanted else None
        if chosen is None:
            problems.add(
                "error",
                "file.several_exams",
                file=file.display,
                exams="、".join(split),
                first=next(iter(split)),
            )
            continue
        kept.append(chosen)
        for name in names:
            if chosen.sheets is not None and name not in chosen.sheets:
                problems.add(
                    "note", "sheet.other_exam", file=chosen.display, sheet=name, exam=wanted
                )
    return kept


def config_among(inputs: Iterable[Source]) -> Path | None:
    """The school config kept among ``inputs``, when there is exactly one (as ``term`` uses)."""
    found = [f.path for f in discover(inputs, ProblemReport()) if is_config_workbook(f.path)]
    return found[0] if len(found) == 1 else None


def compute(
    report: ScoreReport, previous: ScoreRecords | None = None, *, pupils: bool = True
) -> None:
    """Fill the report's tables from its records (and ``previous``'s, for 进退步).

    ``pupils=False`` leaves out the pupil tables (students, 临界生, 关爱学生) for
    :func:`fill_pupils`: a district's comparison shows none of them, so its writer makes them
    while the comparison is being written (docs/scale.md). 进退步 needs them, so a report with
    a previous exam gets them here."""
    config, records = report.config, report.records
    scored = metrics.scored_marks(records.students, records.marks, config)
    for grade, subject in sorted(metrics.level_subjects(scored)):
        marks = scored[(scored["年级"] == grade) & (scored["学科"] == subject)]["状态"]
        report.problems.add(
            "note",
            "score.in_levels",
            grade=grade_name(grade),
            subject=subject,
            levels=int((marks == "level").sum()),
            scores=int((marks == "valid").sum()),
        )
    report.summary = metrics.class_summary(scored, config)
    report.levels = metrics.level_distribution(report.summary)
    if len(report.schools) > 1:
        report.school_summary = metrics.school_summary(scored, config)
    report.subjects = metrics.subjects_of(scored, config)
    report.bands = metrics.score_bands(scored, config)
    if pupils or previous is not None:
        _pupil_tables(report, scored)
    if previous is not None and not previous.students.empty:
        previous_scored = metrics.scored_marks(previous.students, previous.marks, config)
        previous_table, _ = metrics.student_table(previous.students, previous_scored, config)
        report.progress = metrics.compare(
            report.students,
            previous_table,
            report.summary,
            metrics.class_summary(previous_scored, config),
            metrics.student_levels(records.students, scored, config),
            metrics.student_levels(previous.students, previous_scored, config),
        )
        if report.progress.unmatched:
            report.problems.add("warning", "previous.unmatched", count=report.progress.unmatched)


def fill_pupils(report: ScoreReport) -> None:
    """Make the pupil tables of a report analysed with ``pupils=False`` (nothing to do when it
    has them, or has no tables at all)."""
    if report.students is not None or not report.analysed:
        return
    records = report.records
    _pupil_tables(report, metrics.scored_marks(records.students, records.marks, report.config))


def _pupil_tables(report: ScoreReport, scored: pd.DataFrame) -> None:
    config, students = report.config, report.records.students
    report.students, report.subjects = metrics.student_table(students, scored, config)
    report.critical = metrics.critical_students(scored, students, config)
    report.care = metrics.care_students(scored, students, config)


def guess_exam(files: Sequence[InputFile]) -> str:
    """The exam named by every file's path (``期末``, ``期中``, …), or "" when they differ."""
    found = {
        next((w for w in EXAM_WORDS if w in f.display), "")
        for f in files
        if re.search("|".join(EXAM_WORDS), f.display)
    }
    return found.pop() if len(found) == 1 else ""


class SchoolRows:
    """Where each school's rows are in a district's tables, found once per table: a district's
    fifty schools would otherwise compare every table's 学校 column fifty times."""

    def __init__(self) -> None:
        self._found: dict[int, tuple[pd.DataFrame, dict[object, np.ndarray]]] = {}

    def of(
        self,
        frame: pd.DataFrame,
        school: str,
        keys: Callable[[], pd.Series] | None = None,
    ) -> np.ndarray:
        """The positions of ``school``'s rows in ``frame`` (by ``keys()``, default its 学校
        column), in order."""
        found = self._found.get(id(frame))
        if found is None or found[0] is not frame:
            by = frame["学校"] if keys is None else keys()
            found = self._found[id(frame)] = (frame, by.groupby(by.to_numpy()).indices)
        return found[1].get(school, np.array([], dtype=np.intp))


def school_report(report: ScoreReport, school: str, rows: SchoolRows | None = None) -> ScoreReport:
    """One school's analysis out of a district's (docs/口径.md 学校对比): its rows of every
    table, exactly as they are in the district's (class figures are the school's own), the
    problems of its files, and its 学校对比 rows beside the 全区 rows as the district reference.
    ``rows``: the positions found for an earlier school, kept for the next."""
    rows = rows or SchoolRows()
    records = report.records
    students = records.students.iloc[rows.of(records.students, school)]
    files = set(students["文件"])

    def school_of_mark() -> pd.Series:
        return records.students["学校"].reindex(records.marks["sid"].to_numpy())

    marks = records.marks.iloc[rows.of(records.marks, school, school_of_mark)]
    rows_read = sum(records.rows_by_file.get(f, 0) for f in files) or len(students)
    problems = ProblemReport([p for p in report.problems if not p.file or p.file in files])

    def of(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        return frame.iloc[rows.of(frame, school)].reset_index(drop=True)

    progress = None
    if report.progress is not None:
        progress = metrics.Progress(
            report.progress.students[report.progress.students.index.isin(students.index)],
            of(report.progress.classes),  # type: ignore[arg-type]
            0,
        )
    reference = None
    if report.school_summary is not None:
        table = report.school_summary
        grades = set(students["年级"])
        keep = (table["学校"] == school) | (
            (table["学校"] == metrics.DISTRICT_LABEL) & table["年级"].isin(grades)
        )
        reference = table[keep].reset_index(drop=True)
    config = dataclasses.replace(report.config, school=school)
    assert report.students is not None
    return ScoreReport(
        config=config,
        problems=problems,
        files=[f for f in report.files if f.display in files],
        records=ScoreRecords(students, marks, rows_read, rows_read - len(students), sorted(files)),
        exam=report.exam,
        summary=of(report.summary),
        levels=of(report.levels),
        students=report.students.iloc[rows.of(report.students, school)],
        subjects=report.subjects,
        bands=of(report.bands),
        critical=of(report.critical),
        care=of(report.care),
        progress=progress,
        previous_exam=report.previous_exam,
        reference=reference,
        reference_schools=len(report.schools),
    )
