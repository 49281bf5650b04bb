"""The item analysis (试题分析) as one call: read → validate → analyse, returning a report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.items.metrics import ItemAnalysis, analyse_records
from toolkit.items.read import ItemRecords
from toolkit.reading.discover import InputFile, Source, as_sources, discover


@dataclass
class ItemReport:
    config: SchoolConfig
    problems: ProblemReport
    records: ItemRecords
    files: list[InputFile]  # the inputs found by the read step (rendering never looks again)
    today: dt.date
    analysis: ItemAnalysis | None = None

    @property
    def analysed(self) -> bool:
        return self.analysis is not None

    @property
    def exams(self) -> list[str]:
        return sorted({e for e in self.records.students["考试"].unique().tolist() if e})

    @property
    def title(self) -> str:
        exam = self.exams[0] if len(self.exams) == 1 else ""
        parts = [self.config.school, self.config.term_label, exam]
        return "".join(p for p in parts if p) + "试题分析"

    def row_totals(self) -> dict[str, int]:
        return self.records.row_totals()


def analyze_items(
    inputs: Iterable[Source],
    *,
    config: SchoolConfig | None = None,
    config_path: Path | str | None = None,
    skip_invalid: bool = False,
    today: dt.date | None = None,
    problems: ProblemReport | None = None,
) -> ItemReport:
    """Analyse item-score files. ``today`` is the 登记日期 of the suggested ledger rows."""

    problems = problems if problems is not None else ProblemReport()
    if config is None:
        config = load_config(config_path, problems)
    files = discover(as_sources(inputs), problems)  # once: the report carries what was found
    records = load_items(files, config, problems)
    report = ItemReport(config, problems, records, files, today or dt.date.today())
    if (problems.has_errors and not skip_invalid) or records.students.empty:
        return report
    report.analysis = analyse_records(records, config, report.today)
    return report


def load_items(
    inputs: Iterable[Source], config: SchoolConfig, problems: ProblemReport
) -> ItemRecords:
    """Read and validate every item-score file under ``inputs``."""
    from toolkit.base.validation import warm_up
    from toolkit.items.read import read_item_files
    from toolkit.items.validate import validate_items
    from toolkit.scores.schema import mark_schema

    files = discover(inputs, problems)
    warming = warm_up(mark_schema, {"分数": [1.0], "满分": [2.0]})
    records = read_item_files(files, config, problems)
    warming.join()
    return validate_items(records, problems)
