"""Find a table's header row by its content and map columns to fields.

A header is the first row (within the top of the sheet) that names the anchor field and enough
columns of the record kind; a second header row underneath (``成绩`` merged over ``语文 数学``)
is folded in. Headers compare after squeezing spaces and full-width forms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from toolkit.problems import ProblemReport
from toolkit.text import cell_ref, column_letter, squeeze

# How many rows of titles, notes and blanks may stand above a header.
MAX_HEADER_SCAN = 40

_BRACKETED = re.compile(r"[(\[【][^)\]】]*[)\]】]")


def header_key(value: object) -> str:
    """A header cell as compared: no spaces, half-width, no ``(100分)`` or ``*`` decorations."""
    text = _BRACKETED.sub("", squeeze(value)).strip("*:：").lower()
    # Removing a space or lowering a letter can leave a base letter beside a combining mark
    # (``R¸`` → ``ŗ``) that normalises anew on a second pass: compose once more.
    return unicodedata.normalize("NFKC", text)


# A 满分 written in a subject's header: 语文(150), 数学（满分120分）, 英语 满分150.
_FULL_MARK_IN_HEADER = re.compile(
    r"(?:[(\[【]\s*(?:满分)?\s*(\d{2,3}(?:\.5)?)\s*分?\s*[)\]】]|满分\s*(\d{2,3}(?:\.5)?))"
)


def full_mark_in_header(label: str) -> float | None:
    """The 满分 a header states (``语文(150)`` → 150), or None: a stated 满分 is no guess."""
    found = _FULL_MARK_IN_HEADER.search(unicodedata.normalize("NFKC", label))
    if found is None:
        return None
    value = float(found.group(1) or found.group(2))
    return value if value >= 10 else None


@dataclass
class HeaderMatch:
    """Where a table's header is and what each column holds."""

    first_row: int  # 0-based row of the (first) header row
    last_row: int  # 0-based row of the last header row; data starts below
    fields: dict[str, int] = field(default_factory=dict)  # field name → column
    groups: dict[int, str] = field(default_factory=dict)  # column → group item (e.g. subject)
    labels: dict[int, str] = field(default_factory=dict)  # column → header text as typed
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # (name, first, dup)


class FieldMatcher:
    """Maps header text to field names through synonyms."""

    def __init__(self, synonyms: Mapping[str, Sequence[str]]) -> None:
        self._lookup: dict[str, str] = {}
        for name, words in synonyms.items():
            for word in (name, *words):
                self._lookup[header_key(word)] = name

    def __call__(self, value: object) -> str | None:
        return self._lookup.get(header_key(value))


def locate_header(
    rows: Sequence[Sequence[object]],
    fields: FieldMatcher,
    group: Callable[[object], str | None],
    *,
    anchor: str,
    min_groups: int = 1,
    min_fields: int = 0,
    start: int = 0,
    scan: int = MAX_HEADER_SCAN,
) -> HeaderMatch | None:
    """The first header at or below ``start``: a row naming ``anchor`` plus ``min_groups``
    group columns (possibly on the row underneath) and at least ``min_fields`` fields."""
    for r in range(start, min(len(rows), start + scan)):
        match = _match_row(rows[r], fields, group, r)
        if anchor not in match.fields or len(match.fields) < min_fields:
            continue
        if r + 1 < len(rows):
            _fold_second_row(match, rows[r + 1], group)
        if len(match.groups) >= min_groups:
            return match
    return None


def _match_row(
    row: Sequence[object], fields: FieldMatcher, group: Callable[[object], str | None], r: int
) -> HeaderMatch:
    match = HeaderMatch(first_row=r, last_row=r)
    seen_groups: dict[str, int] = {}
    for c, value in enumerate(row):
        if value is None or value == "":
            continue
        name = fields(value)
        if name is not None:
            if name in match.fields:
                match.duplicates.append((name, match.fields[name], c))
                match.labels[c] = str(value).strip()
            else:
                match.fields[name] = c
                match.labels[c] = str(value).strip()
            continue
        item = group(value)
        if item is not None:
            if item in seen_groups:
                match.duplicates.append((item, seen_groups[item], c))
            else:
                seen_groups[item] = c
                match.groups[c] = item
                match.labels[c] = str(value).strip()
    return match


# Sub-columns a marking platform writes under each subject merged over them (语文 over
# 得分 | 校次 | 班次, or 原始分 | 等级 | 赋分): the score is read from the first kind; the others
# are ranks, levels or converted scores, never a score, a class or a new table.
SCORE_SUBHEADERS = frozenset({"得分", "原始分", "分数", "成绩", "卷面分", "卷面", "实得分"})
OTHER_SUBHEADERS = frozenset(
    {"校次", "班次", "级次", "名次", "排名", "校排名", "班排名", "年级名次", "班级名次", "等级",
     "赋分", "标准分", "t分", "z分", "百分位"}
)  # fmt: skip


def _fold_sub_columns(match: HeaderMatch, below: Sequence[object]) -> bool:
    """A platform's second header row of sub-columns under each subject: the subject is read
    from its score sub-column. True when the row is such a sub-header (the header then spans
    both rows, and 姓名/班级 merged down over them are not a new table)."""
    starts = sorted({*match.fields.values(), *match.groups})
    found = False
    scores: dict[int, int] = {}  # subject column → its score sub-column
    for c, value in enumerate(below):
        if value is None or value == "":
            continue
        key = header_key(value)
        if key not in SCORE_SUBHEADERS and key not in OTHER_SUBHEADERS:
            continue
        owner = max((s for s in starts if s <= c), default=None)
        if owner is None or owner not in match.groups:
            continue
        found = True
        if key in SCORE_SUBHEADERS and owner not in scores:
            scores[owner] = c
    if not found:
        return False
    for owner, c in scores.items():
        subject = match.groups.pop(owner)
        match.groups[c] = subject
        match.labels[c] = f"{match.labels.get(owner, subject)}·{str(below[c]).strip()}"
    match.last_row = match.first_row + 1
    return True


def _fold_second_row(
    match: HeaderMatch, below: Sequence[object], group: Callable[[object], str | None]
) -> None:
    if _fold_sub_columns(match, below):
        return
    taken = set(match.fields.values()) | set(match.groups)
    known = set(match.groups.values())
    added = {}
    for c, value in enumerate(below):
        if c in taken or value is None or value == "":
            continue
        item = group(value)
        if item is not None and item not in known:
            added[c] = item
            known.add(item)
    if added:
        match.groups.update(added)
        match.labels.update({c: str(below[c]).strip() for c in added})
        match.last_row = match.first_row + 1


def report_duplicates(header: HeaderMatch, report: ProblemReport, file: str, sheet: str) -> None:
    """A warning for each column whose header repeats an earlier one (only the first is read)."""
    for name, first, dup in header.duplicates:
        report.add(
            "warning",
            "header.duplicate",
            file=file,
            sheet=sheet,
            cell=cell_ref(header.first_row, dup),
            column=name,
            first=column_letter(first),
        )
