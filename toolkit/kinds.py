"""The record kinds the toolkit reads, and how a file's kind is recognised: by the marker a
template carries, else by which kind's header its sheets have."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.homework.schema import HOMEWORK
from toolkit.observation.schema import OBSERVATION
from toolkit.records.fields import RecordKind
from toolkit.weakpoints.schema import WEAKPOINTS

RECORD_KINDS: dict[str, RecordKind] = {k.key: k for k in (HOMEWORK, OBSERVATION, WEAKPOINTS)}
KIND_TITLES: dict[str, str] = {
    "scores": "质量监测成绩",
    "items": "小题分",
    **{key: kind.title for key, kind in RECORD_KINDS.items()},
}


@dataclass(frozen=True)
class Recognised:
    kind: str | None
    how: str  # "标记" (template marker), "表头" (headers) or "" when not recognised


def recognise(file: object) -> Recognised:
    """The kind of an input file (an :class:`~toolkit.reading.discover.InputFile`)."""
    from toolkit.config import SchoolConfig
    from toolkit.items.schema import FIELDS as ITEM_FIELDS
    from toolkit.items.schema import item_label
    from toolkit.problems import ProblemReport
    from toolkit.reading.header import locate_header
    from toolkit.reading.workbook import read_marker, read_sheets
    from toolkit.records.read import find_header
    from toolkit.scores.schema import FIELDS as SCORE_FIELDS

    marker = read_marker(file)  # type: ignore[arg-type]
    if marker is not None and marker.kind in KIND_TITLES:
        return Recognised(marker.kind, "标记")
    config = SchoolConfig()
    best: tuple[int, str] | None = None
    for sheet in read_sheets(file, ProblemReport()):  # type: ignore[arg-type]
        rows = sheet.rows[:60]
        for key, kind in RECORD_KINDS.items():
            header = find_header(kind, rows)
            if header is not None:
                score = len(header.fields) * 10
                best = max(best or (score, key), (score, key))
        items = locate_header(rows, ITEM_FIELDS, item_label, anchor="姓名", min_groups=3)
        scores = locate_header(rows, SCORE_FIELDS, config.subject_of, anchor="姓名")
        if items is not None and (scores is None or len(items.groups) > len(scores.groups)):
            best = max(best or (0, "items"), (len(items.groups) * 10 + 5, "items"))
        elif scores is not None:
            best = max(
                best or (0, "scores"), ((len(scores.groups) + len(scores.fields)) * 10, "scores")
            )
    return Recognised(best[1], "表头") if best else Recognised(None, "")
