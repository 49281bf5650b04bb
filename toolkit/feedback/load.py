"""The inputs of ``xueqing feedback``: one exam's scores, and its item scores when given.

Files are recognised as the term pack recognises them (``pack.collect``: score or item sheet,
and the exam each names in its folder, file or sheet names); the scores are read as ``xueqing
scores`` reads them (``scores.report.load_scores``). The inputs may hold several exams: one is
chosen with ``--exam``, and without it the run is refused with the exams found. When the inputs
hold one exam, a file that names none belongs to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.feedback.slips import FeedbackSlips, build_slips
from toolkit.items.read import ItemRecords
from toolkit.pack.collect import FoundFile, TermFiles, collect
from toolkit.pack.exams import order_exams, term_season
from toolkit.reading.discover import InputFile, Source
from toolkit.reading.exam_names import exam_in
from toolkit.records.read import RecordTable
from toolkit.scores.report import ScoreReport, guess_exam


class ExamChoiceError(Exception):
    """The exam cannot be chosen (several found, or the one asked for is not there); the
    message is shown to the user as it is."""

    def __init__(self, message: str, exams: list[str]) -> None:
        super().__init__(message)
        self.exams = exams


@dataclass
class FeedbackInputs:
    """One exam's score records (as a report, not yet analysed) and its item records, and the
    乐考 of grades 1–2 when the inputs hold it."""

    report: ScoreReport
    items: ItemRecords | None
    item_files: list[InputFile] = field(default_factory=list)
    exams: list[str] = field(default_factory=list)  # the score exams the inputs name
    lekao: RecordTable | None = None  # 乐考 records read (grades 1–2)
    lekao_files: list[InputFile] = field(default_factory=list)

    @property
    def files(self) -> list[InputFile]:
        return [*self.report.files, *self.item_files, *self.lekao_files]

    @property
    def empty(self) -> bool:
        """No student to write a slip for."""
        no_lekao = self.lekao is None or self.lekao.valid.empty
        return self.report.records.students.empty and no_lekao

    def row_totals(self) -> dict[str, int]:
        from toolkit.base.rows import sum_rows

        sources = [self.report.records, *([self.items] if self.items is not None else [])]
        sources += [self.lekao] if self.lekao is not None else []
        return sum_rows(source.row_totals() for source in sources)

    def slips(self, classes: Iterable[tuple[int, int]] | None = None) -> FeedbackSlips:
        scored = slips_of(self.report, self.items, classes)
        if self.lekao is None or self.lekao.valid.empty:
            return scored
        from toolkit.feedback.lekao_slips import lekao_slips
        from toolkit.kinds.registry import KINDS
        from toolkit.records.period import Period

        config = self.report.config
        summary = KINDS["lekao"].summarise(self.lekao.valid, config, Period.of())
        played = lekao_slips(summary, config, classes)
        return FeedbackSlips(played.classes + scored.classes, scored.unmatched)


def slips_of(
    report: ScoreReport,
    items: ItemRecords | None,
    classes: Iterable[tuple[int, int]] | None = None,
) -> FeedbackSlips:
    """The slips of a score report's exam (every class, or ``classes``)."""
    records = report.records
    return build_slips(
        records.students,
        records.marks,
        report.config,
        exam=report.exam,
        item_students=items.students if items is not None else None,
        item_marks=items.marks if items is not None else None,
        classes=classes,
    )


def choose_exam(named: list[str], wanted: str) -> str:
    """The exam of the slips: the one asked for, else the only one named; "" when the files name
    none (``wanted`` then only labels them, as ``xueqing scores --exam`` does)."""
    listed = "、".join(named)
    if wanted and named:
        key = exam_in(wanted) or wanted
        exact = [n for n in named if n in (wanted, key)]
        containing = [n for n in named if key in n]
        if exact or len(containing) == 1:
            return (exact or containing)[0]
        raise ExamChoiceError(
            f"输入中没有“{wanted}”的成绩。找到的考试：{listed}；请用 --exam 指定其中一次。", named
        )
    if len(named) > 1:
        raise ExamChoiceError(
            f"输入中有 {len(named)} 次考试的成绩（{listed}）：反馈单一次写一次考试，"
            f"请加 --exam 指定其中一次（如 --exam {named[-1]}）。",
            named,
        )
    return named[0] if named else ""


def load_feedback(
    inputs: Iterable[Source],
    *,
    config: SchoolConfig,
    exam: str = "",
    problems: ProblemReport | None = None,
) -> FeedbackInputs:
    """Find the inputs' score and item files, choose the exam and read its files. Raises
    :class:`ExamChoiceError` when the exam cannot be chosen."""
    from toolkit.items.report import load_items
    from toolkit.scores.report import load_scores

    problems = problems if problems is not None else ProblemReport()
    probe = ProblemReport()
    found = collect(inputs, probe)
    season = term_season(config.term)
    named = [e.name for e in order_exams(found.exams("scores"), season)]
    try:
        chosen = choose_exam(named, exam)
    except ExamChoiceError:
        problems.extend(probe)
        raise
    every = (set(named) | set(found.exams("items"))) - {""}
    # One exam in the inputs: a file that names none is of it (and its warning is void).
    single = every <= {chosen} if chosen else len(every) <= 1
    label = chosen or exam or (next(iter(every)) if single and every else "")
    score_files = _of(found, "scores", chosen, unnamed=single or not chosen)
    item_files = _of(found, "items", label, unnamed=single) if label or single else []
    used = {f.file.display for f in (*score_files, *item_files)}
    problems.extend(p for p in probe if not (p.code == "exam.unknown" and p.file in used))
    files, records = load_scores([f.file for f in score_files], config, problems)
    report = ScoreReport(config, problems, files, records, label or guess_exam(files))
    items = None
    if item_files:
        items = load_items([f.file for f in item_files], config, problems)
    played = [f.file for f in found.files if f.kind == "lekao"]
    lekao = None
    if played:  # grades 1–2: 乐考 in place of a paper test
        from toolkit.kinds.registry import load_records

        lekao = load_records("lekao", played, config, problems)
    return FeedbackInputs(report, items, [f.file for f in item_files], named, lekao, played)


def _of(found: TermFiles, kind: str, exam: str, *, unnamed: bool) -> list[FoundFile]:
    """The files of ``kind`` for ``exam`` (when named), and those that name no exam."""
    return [
        f
        for f in found.files
        if f.kind == kind and ((exam and f.exam == exam) or (unnamed and not f.exam))
    ]
