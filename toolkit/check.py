"""``xueqing check``: every file recognised as ``monthly`` and ``term`` do, read and validated
with its kind's loader, and the rows read, counted and skipped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.base.rows import sum_rows
from toolkit.items.report import load_items
from toolkit.kinds.registry import RECORD_KINDS, load_records
from toolkit.pack.rules import exam_rule_warnings
from toolkit.records.fields import KIND_TITLES

if TYPE_CHECKING:
    from toolkit.base.problems import ProblemReport
    from toolkit.config.model import SchoolConfig
    from toolkit.pack.collect import TermFiles
    from toolkit.reading.discover import InputFile, Source


@dataclass
class CheckResult:
    """What ``check`` found: each file as recognised and read (kind, exam, classes, records),
    the files in reading order, and the rows read, counted and skipped."""

    found: TermFiles
    sources: list[InputFile]
    rows: dict[str, int]


def check_inputs(
    inputs: Iterable[Source], config: SchoolConfig, problems: ProblemReport
) -> CheckResult:
    """Recognise every file as ``monthly`` and ``term`` do, and read and validate each with its
    kind's loader — scores and item scores one exam at a time, as they are analysed, so that
    a student in both 期中 and 期末 is not a duplicate. A file recognised as nothing is read
    as scores, whose reader says what it missed; a school config found among the inputs is
    checked as a config.
    """
    from toolkit.base.problems import ProblemReport
    from toolkit.config.read import load_config
    from toolkit.pack.collect import CONFIG, REPORT, collect
    from toolkit.scores.report import load_scores

    recognising = ProblemReport()
    found = collect(inputs, recognising)
    # check reads every file it can: one with no exam is checked on its own, an unrecognised one
    # as scores (whose reader explains what is missing) — so those two warnings do not apply.
    problems.extend(p for p in recognising if p.code not in ("exam.unknown", "file.unrecognised"))
    unreadable = {p.file for p in recognising if p.code == "file.unreadable"}
    groups: dict[tuple[str, str], list[InputFile]] = {}
    for entry in found.files:
        if entry.kind == CONFIG:
            load_config(entry.file.path, problems)
        elif entry.kind != REPORT and entry.file.display not in unreadable:
            groups.setdefault((entry.kind or "scores", entry.exam), []).append(entry.file)
    order = list(KIND_TITLES)
    sources: list[Any] = []
    for kind, _exam in sorted(groups, key=lambda group: order.index(group[0])):
        group = groups[(kind, _exam)]
        if kind == "scores":
            source: Any = load_scores(group, config, problems)[1]
        elif kind == "items":
            source = load_items(group, config, problems)
        else:
            source = load_records(kind, group, config, problems)
        found.count(source.frame if kind in RECORD_KINDS else source.students)
        sources.append(source)
    exam_rule_warnings(found, config, problems)
    rows = sum_rows(source.row_totals() for source in sources)
    return CheckResult(found, [entry.file for entry in found.files], rows)
