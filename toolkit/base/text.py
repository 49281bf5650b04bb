"""Text normalisation shared by every reader: what teachers type is not what code compares."""

from __future__ import annotations

import functools
import math
import re
import unicodedata

# Zero-width and BOM characters survive copy-paste from chat apps and web pages.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"\s+")


def normalize(value: object) -> str:
    """NFKC (full-width → half-width), invisible characters removed, outer spaces trimmed."""
    if value is None:
        return ""
    if type(value) is str:
        if plain(value):
            return value  # nothing to change: most names, 学号 and school texts
        return _normalized(value)
    return _normalized.__wrapped__(str(value))  # a number's text: not worth remembering


def plain(text: str) -> bool:
    """Whether ``text`` is letters and digits only, already in NFKC: no space, bracket, mark
    or invisible character, so that every normalisation here leaves it as it is. Checked in C,
    faster than remembering: a grade's sheet holds 100,000 names that each occur once."""
    return text.isalnum() and unicodedata.is_normalized("NFKC", text)


@functools.lru_cache(maxsize=1 << 16)
def _normalized(text: str) -> str:
    # Remembered: a sheet repeats its school, class and subject texts on every row, and the
    # reader looks at each several times (docs/scale.md).
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).strip()


def as_typed(value: object) -> str:
    """Free text as the teacher typed it (full-width ，（） kept), with invisible characters
    removed and outer spaces trimmed: 问题、措施、建议 are shown back to people, not matched."""
    if value is None:
        return ""
    return str(value).translate(_INVISIBLE).strip()


def squeeze(value: object) -> str:
    """``normalize`` plus every inner space removed: for header matching (``姓 名`` = ``姓名``)."""
    return _SPACES.sub("", normalize(value))


def clean_name(value: object) -> str:
    """A person's name: normalised, inner runs of spaces folded (``张 三`` stays readable)."""
    text = normalize(value)
    return text if text.isalnum() else _SPACES.sub(" ", text)


def display_width(text: str) -> int:
    """Columns a string takes in Excel: East Asian wide and full-width characters count two."""
    if text.isascii():  # no ASCII character is wide: most cells (numbers, 学号) end here
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@functools.cache  # a sheet has few columns, and every cell reference asks
def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based row and column → A1 reference."""
    return f"{column_letter(col)}{row + 1}"


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not normalize(value)
