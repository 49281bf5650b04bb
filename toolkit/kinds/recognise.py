"""How a file's kind is recognised: by the marker a template carries, else by which kind's
header its sheets have."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.kinds.registry import RECORD_KINDS
from toolkit.records.fields import KIND_TITLES


@dataclass(frozen=True)
class Recognised:
    kind: str | None
    how: str  # "标记" (template marker), "表头" (headers) or "" when not recognised


def recognise(file: object, sheets: list[Any] | None = None) -> Recognised:
    """The kind of an input file (an :class:`~toolkit.reading.discover.InputFile`), from its
    sheets when the caller has read them already."""
    from toolkit.base.problems import ProblemReport
    from toolkit.config.model import SchoolConfig
    from toolkit.items.read import find_block
    from toolkit.items.schema import FIELDS as ITEM_FIELDS
    from toolkit.items.schema import item_label
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
            header = find_header(kind, rows, config=config)
            if header is not None:  # a wide form's item columns (乐考's 项目) count as fields
                score = (len(header.fields) + len(header.groups)) * 10
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
