"""The record kinds the toolkit reads, and how a file's kind is recognised: by the marker a
template carries, else by which kind's header its sheets have."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.homework import schema as homework
from toolkit.observation import schema as observation
from toolkit.records.fields import KIND_TITLES, RecordKind
from toolkit.weakpoints import schema as weakpoints

if TYPE_CHECKING:
    from toolkit.config import SchoolConfig
    from toolkit.items.read import ItemRecords
    from toolkit.pack.collect import TermFiles
    from toolkit.problems import ProblemReport
    from toolkit.reading.discover import InputFile, Source
    from toolkit.records.read import RecordTable

RECORD_KINDS: dict[str, RecordKind] = {
    k.key: k for k in (homework.HOMEWORK, observation.OBSERVATION, weakpoints.WEAKPOINTS)
}
# Each kind's cross-column rules: (pandera schema, severity, column pointed at).
RECORD_RULES: dict[str, Callable[[], list[tuple[Any, str, str]]]] = {
    "homework": homework.rules,
    "observation": observation.rules,
    "weakpoints": weakpoints.rules,
}
__all__ = [
    "KIND_TITLES",
    "RECORD_KINDS",
    "CheckResult",
    "Recognised",
    "check_inputs",
    "load_items",
    "load_records",
    "recognise",
    "sum_rows",
]


def load_records(
    key: str, inputs: Iterable[Source], config: SchoolConfig, problems: ProblemReport
) -> RecordTable:
    """Read and validate every file under ``inputs`` as record kind ``key``.

    Rows with an error keep their place, marked in ``问题``; ``table.valid`` holds the rest.
    """
    from toolkit.reading.discover import discover
    from toolkit.records.read import read_records
    from toolkit.records.validate import check_known_classes, validate_records

    files = discover(inputs, problems)
    table = read_records(RECORD_KINDS[key], files, config, problems)
    validate_records(table, config, problems, RECORD_RULES[key]())  # type: ignore[arg-type]
    check_known_classes(table, config, problems)
    return table


def load_items(
    inputs: Iterable[Source], config: SchoolConfig, problems: ProblemReport
) -> ItemRecords:
    """Read and validate every item-score file under ``inputs``."""
    from toolkit.items.read import read_item_files
    from toolkit.items.validate import validate_items
    from toolkit.reading.discover import discover

    files = discover(inputs, problems)
    return validate_items(read_item_files(files, config, problems), problems)


@dataclass(frozen=True)
class Recognised:
    kind: str | None
    how: str  # "标记" (template marker), "表头" (headers) or "" when not recognised


def recognise(file: object, sheets: list[Any] | None = None) -> Recognised:
    """The kind of an input file (an :class:`~toolkit.reading.discover.InputFile`), from its
    sheets when the caller has read them already."""
    from toolkit.config import SchoolConfig
    from toolkit.items.read import find_block
    from toolkit.items.schema import FIELDS as ITEM_FIELDS
    from toolkit.items.schema import item_label
    from toolkit.problems import ProblemReport
    from toolkit.reading.header import locate_header
    from toolkit.reading.workbook import read_marker, read_sheets
    from toolkit.records.read import find_header
    from toolkit.scores.schema import FIELDS as SCORE_FIELDS

    if sheets is None:
        marker = read_marker(file)  # type: ignore[arg-type]
    else:
        marker = next((s.template for s in sheets if s.template is not None), None)
    if marker is not None and marker.kind in KIND_TITLES:
        return Recognised(marker.kind, "标记")
    config = SchoolConfig()
    best: tuple[int, str] | None = None
    for sheet in sheets if sheets is not None else read_sheets(file, ProblemReport()):  # type: ignore[arg-type]
        rows = sheet.rows[:60]
        for key, kind in RECORD_KINDS.items():
            header = find_header(kind, rows)
            if header is not None:
                score = len(header.fields) * 10
                best = max(best or (score, key), (score, key))
        items = locate_header(rows, ITEM_FIELDS, item_label, anchor="姓名", min_groups=3)
        if items is not None and not find_block(rows, items).full:
            items = None  # numbers under a score header are scores: an item sheet has 满分
        scores = locate_header(rows, SCORE_FIELDS, config.subject_of, anchor="姓名")
        if items is not None and (scores is None or len(items.groups) > len(scores.groups)):
            best = max(best or (0, "items"), (len(items.groups) * 10 + 5, "items"))
        elif scores is not None:
            best = max(
                best or (0, "scores"), ((len(scores.groups) + len(scores.fields)) * 10, "scores")
            )
    return Recognised(best[1], "表头") if best else Recognised(None, "")


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
    from toolkit.config import load_config
    from toolkit.pack.collect import CONFIG, REPORT, collect
    from toolkit.problems import ProblemReport
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
    rows = sum_rows(source.row_totals() for source in sources)
    return CheckResult(found, [entry.file for entry in found.files], rows)


def sum_rows(totals: Iterable[dict[str, int]]) -> dict[str, int]:
    """Rows read, counted and skipped, added up over several sources."""
    total = dict.fromkeys(("读取", "计入", "跳过"), 0)
    for counts in totals:
        for key in total:
            total[key] += counts[key]
    return total
