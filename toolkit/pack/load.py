"""Read a whole term's folder once: every record kind, every exam's scores and item scores.

The monthly pack and the term analysis both start here. Problems in some files never hide the
rest: every kind is read and validated, rows with errors are kept out of the figures and listed
(the packs always run as ``--skip-invalid`` would).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.items.read import ItemRecords
from toolkit.kinds.registry import RECORD_KINDS
from toolkit.pack.rules import exam_rule_warnings
from toolkit.reading.discover import InputFile, Source
from toolkit.records.read import RecordTable
from toolkit.scores.read import ScoreRecords
from toolkit.scores.report import ScoreReport

from .collect import TermFiles, collect, config_in
from .exams import Exam, order_exams, term_season

# The routine checks of every month (their dates make the term's months), and every record kind
# a term's folder is read for: 乐考 too, held once at the term's end.
MONTHLY_KEYS = ("homework", "observation", "weakpoints")
RECORD_KEYS = (*MONTHLY_KEYS, "lekao")


@dataclass
class TermData:
    """A term's files, read and validated, and what was found wrong on the way."""

    found: TermFiles
    config: SchoolConfig
    config_path: Path | None
    problems: ProblemReport
    records: dict[str, RecordTable] = field(default_factory=dict)
    scores: dict[str, ScoreRecords] = field(default_factory=dict)  # by exam name
    score_files: dict[str, list[InputFile]] = field(default_factory=dict)
    items: dict[str, ItemRecords] = field(default_factory=dict)  # by exam name
    exams: list[Exam] = field(default_factory=list)  # score exams in the order they were sat

    def valid(self, key: str) -> pd.DataFrame:
        """The records of ``key`` without errors (empty when the folder has none)."""
        table = self.records.get(key)
        return table.valid if table is not None else pd.DataFrame()

    @property
    def months(self) -> list[str]:
        """Every month any routine record falls in, in order."""
        from toolkit.records.period import month_of

        found: set[str] = set()
        for key in MONTHLY_KEYS:
            valid = self.valid(key)
            if len(valid):
                found |= set(month_of(valid[RECORD_KINDS[key].date_field]).dropna())
        return sorted(found)

    def row_totals(self) -> list[tuple[str, dict[str, int]]]:
        """Per source (a record kind, each exam's scores and item scores): the rows read,
        counted and skipped — they add up, and every skipped row is in ``problems``."""
        from toolkit.records.fields import KIND_TITLES

        sources: list[tuple[str, Any]] = [
            *((KIND_TITLES[key], table) for key, table in self.records.items()),
            *((f"成绩（{exam}）", records) for exam, records in self.scores.items()),
            *((f"小题分（{exam}）", items) for exam, items in self.items.items()),
        ]
        return [(name, source.row_totals()) for name, source in sources]

    def rows(self) -> dict[str, int]:
        """The totals of :meth:`row_totals` over every source."""
        from toolkit.base.rows import sum_rows

        return sum_rows(counts for _, counts in self.row_totals())

    def score_report(self, exam: Exam, previous: Exam | None) -> ScoreReport:
        """``exam``'s score analysis, with 进退步 against ``previous``; its tables are empty
        (``analysed`` false) when no student was read for the exam."""
        from toolkit.scores.report import compute

        records = self.scores[exam.name]
        report = ScoreReport(
            self.config, self.problems, self.score_files[exam.name], records, exam.name
        )
        if previous is not None:
            report.previous_exam = previous.name
        if not records.students.empty:
            compute(report, self.scores[previous.name] if previous else None)
        return report

    @property
    def last_day(self) -> dt.date | None:
        """The end of the latest month with records: the term's default 截至 date."""
        from toolkit.records.period import month_end

        return month_end(self.months[-1]) if self.months else None


def load_term(
    inputs: Iterable[Source],
    *,
    config: SchoolConfig | None = None,
    config_path: Path | str | None = None,
    problems: ProblemReport | None = None,
) -> TermData:
    """Find, recognise, read and validate every file under ``inputs``."""
    from toolkit.items.report import load_items
    from toolkit.kinds.registry import load_records
    from toolkit.scores.report import load_scores

    problems = problems if problems is not None else ProblemReport()
    found = collect(inputs, problems)
    chosen = config_in(found, config_path)
    if config is None:
        config = load_config(chosen, problems)
    data = TermData(found, config, chosen, problems)
    for key in RECORD_KEYS:
        files = found.of(key)
        if files:
            table = load_records(key, files, config, problems)
            data.records[key] = table
            found.count(table.frame)
    for exam in found.exams("scores"):
        files, records = load_scores(found.of("scores", exam), config, problems)
        data.scores[exam], data.score_files[exam] = records, files
        found.count(records.students)
    for exam in found.exams("items"):
        records = load_items(found.of("items", exam), config, problems)
        data.items[exam] = records
        found.count(records.students)
    exam_rule_warnings(found, config, problems)
    months = [int(m[5:]) for m in data.months]
    data.exams = order_exams(data.scores, term_season(config.term, months))
    return data
