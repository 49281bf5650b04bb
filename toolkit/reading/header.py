"""Find a table's header row by its content and map columns to fields.

A header is the first row (within the top of the sheet) that names the anchor field and enough
columns of the record kind; a second header row underneath (``成绩`` merged over ``语文 数学``)
is folded in. Headers compare after squeezing spaces and full-width forms.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from toolkit.base.problems import ProblemReport
from toolkit.base.text import cell_ref, column_letter, normalize, plain, squeeze
from toolkit.reading.vocabulary import OTHER_SUBHEADERS, QUIET_WORDS, SCORE_SUBHEADERS

# How many rows of titles, notes and blanks may stand above a header.
MAX_HEADER_SCAN = 40

_BRACKETED = re.compile(r"[(\[【][^)\]】]*[)\]】]")


def header_key(value: object) -> str:
    """A header cell as compared: no spaces, half-width, no ``(100分)`` or ``*`` decorations."""
    if type(value) is str:
        if plain(value):  # nothing to squeeze, strip or compose: lower case is the key
            return unicodedata.normalize("NFKC", value.lower())
        return _text_key(value)
    return _text_key.__wrapped__(value)  # a number or a date: not worth remembering


@functools.lru_cache(maxsize=1 << 16)
def _text_key(value: object) -> str:
    # Remembered: the walk asks twice of every name cell whether it is a header or a sub-row
    # label, and a sheet repeats its school and class texts on every row (docs/scale.md).
    text = _BRACKETED.sub("", squeeze(value)).strip("*:：").lower()
    # Removing a space or lowering a letter can leave a base letter beside a combining mark
    # (``R¸`` → ``ŗ``) that normalises anew on a second pass: compose once more.
    return unicodedata.normalize("NFKC", text)


# A 满分 written in a subject's header: 语文(150), 数学（满分120分）, 英语 满分150.
_FULL_MARK_IN_HEADER = re.compile(
    r"(?:[(\[【]\s*(?:满分)?\s*(\d{2,3}(?:\.5)?)\s*分?\s*[)\]】]|满分\s*(\d{2,3}(?:\.5)?)"
    r"|^[^\d\s·]+?(\d{2,3}(?:\.5)?)分?(?:·|$))"
)


def full_mark_in_header(label: str) -> float | None:
    """The 满分 a header states (``语文(150)``, ``语文150`` → 150), or None: a stated 满分 is
    no guess."""
    found = _FULL_MARK_IN_HEADER.search(unicodedata.normalize("NFKC", label))
    if found is None:
        return None
    value = float(found.group(1) or found.group(2) or found.group(3))
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


def unused_columns(
    rows: Sequence[Sequence[object]], header: HeaderMatch, quiet: Collection[int] = ()
) -> list[str]:
    """The header texts of the columns a table does not read (日语 without a config, 赋分, 班次 …)
    — ``quiet`` ones aside (序号, 备注) — so that none is dropped unmentioned: a platform's
    sub-column under a subject reads as ``语文·班次``."""
    used = {*header.fields.values(), *header.groups}
    quiet = {*quiet, *(c for c, v in enumerate(rows[header.first_row]) if _is_quiet(v))}
    top = rows[header.first_row]
    below = rows[header.last_row] if header.last_row > header.first_row else None
    names = []
    owner = ""
    for c, value in enumerate(top):
        text = normalize(value).strip() if value not in ("", None) else ""
        owner = text or owner  # a subject merged over its sub-columns names them all
        if c in used or c in quiet:
            continue
        sub = normalize(below[c]).strip() if below is not None and c < len(below) else ""
        if sub and sub != text:
            names.append(f"{owner}·{sub}" if owner else sub)
        elif text:
            names.append(text)
    return list(dict.fromkeys(names))


_QUIET_KEYS = frozenset(header_key(w) for w in QUIET_WORDS)


def _is_quiet(value: object) -> bool:
    return value not in ("", None) and header_key(value) in _QUIET_KEYS


def report_unused(
    rows: Sequence[Sequence[object]],
    header: HeaderMatch,
    quiet: Collection[int],
    report: ProblemReport,
    where: Mapping[str, str],
) -> None:
    """One note per table naming the columns it does not read (``header.unused``)."""
    unused = unused_columns(rows, header, quiet)
    if unused:
        report.add(
            "note",
            "header.unused",
            cell=cell_ref(header.first_row, 0),
            columns="、".join(unused),
            **where,
        )
