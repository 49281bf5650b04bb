"""Grade and class identity from the many ways teachers write it.

``三年级2班``, ``三(2)班``, ``3（2）班``, ``3.2``, ``3-2``, ``302`` (in a class column),
``初一(3)班``, ``高二3班`` and a bare ``2班`` (grade from elsewhere) are all understood.
Class cells are matched whole; titles and file names are searched, with the bare dotted form
(``3.2``) only accepted where a ``班`` follows, so dates and school years are not mistaken for
classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.base.text import normalize

_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_STAGE_OFFSET = {"初": 6, "高": 9}  # 初一 = grade 7, 高一 = grade 10
GRADE_NAMES = {
    1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级",
    7: "七年级", 8: "八年级", 9: "九年级", 10: "高一", 11: "高二", 12: "高三",
}  # fmt: skip
_SHORT_GRADE = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}

_CN_NUM = r"(?:十[一二]?|[一二两三四五六七八九])"
_GRADE = rf"(?P<grade>[初高][一二三]|{_CN_NUM}|1[0-2]|[1-9])"
_CLASS = rf"(?P<cls>\d{{1,2}}|{_CN_NUM})"

# Grade followed by a class: 三年级2班, 三年级(2)班, 3(2)班, 三2班, 初一(3)班, 五年级二班. A bare
# ``12班`` has no grade: digits run together only count with 年级 or brackets between them.
_CN_GRADE = rf"(?P<grade>[初高][一二三]|{_CN_NUM})"
# A grade is never the tail of a longer number or of a stage: ``十三(2)班`` is not 三(2)班, nor
# ``九十九班`` 十年级九班, nor ``初四(2)班`` (五四制) or ``高四`` 四(2)班 — such text is no class.
_NOT_AFTER_NUMBER = r"(?<![\d十一二两三四五六七八九〇零百初高])"
_GRADE_CLASS_PATTERNS = (
    re.compile(rf"{_NOT_AFTER_NUMBER}{_GRADE}(?:年级|年)[(\[]?{_CLASS}[)\]]?班"),
    re.compile(rf"{_NOT_AFTER_NUMBER}{_GRADE}[(\[]{_CLASS}[)\]]班?"),
    re.compile(rf"{_NOT_AFTER_NUMBER}{_CN_GRADE}{_CLASS}班"),
)
# Dotted/dashed: 3.2, 3-2, 3·2 (whole cell) or 3.2班 (in text)
_DOTTED = re.compile(rf"^{_GRADE}[.\-·_/]{_CLASS}班?$")
_DOTTED_BAN = re.compile(rf"(?<![\d.]){_GRADE}[.\-·_]{_CLASS}班")
# Three or four digits in a class column: 302 → grade 3 class 2, 1001 → grade 10 class 1
_COMPACT = re.compile(r"^(?P<grade>1[0-2]|0?[1-9])(?P<cls>\d{2})班?$")
_GRADE_ONLY = re.compile(rf"{_NOT_AFTER_NUMBER}{_GRADE}年级|(?P<stage>[初高][一二三])")
_CLASS_ONLY = re.compile(rf"^[(\[]?{_CLASS}[)\]]?班?$")
_CLASS_BAN = re.compile(rf"(?<![\d.十一二两三四五六七八九〇零百])[(\[]?{_CLASS}[)\]]?班")


_WHITESPACE = re.compile(r"\s+")
# ``初中三年级`` is 初三 (grade 9), ``高中二年级`` is 高二 (grade 11); ``初中四年级`` becomes 初四,
# which no pattern accepts.
_STAGE_GRADE = re.compile(r"(初|高)中([一二三四五六七八九])年级")


def _clean(value: object) -> str:
    # Every space goes, line breaks (Alt+Enter in a cell) and tabs too: 三年级⏎2班 is 三年级2班.
    text = _WHITESPACE.sub("", normalize(value)).replace("（", "(").replace("）", ")")
    return _STAGE_GRADE.sub(r"\1\2", text)


@dataclass(frozen=True, order=True)
class ClassId:
    """A class as (grade, number); either part may be unknown while parsing."""

    grade: int | None
    number: int | None

    @property
    def complete(self) -> bool:
        return self.grade is not None and self.number is not None


def cn_number(text: str) -> int | None:
    """``三`` → 3, ``十二`` → 12, ``7`` → 7; None when it is not a small number."""
    if text.isdecimal():  # not isdigit: ⓵ and ❶ are digits that int() refuses
        return int(text)
    if text.startswith("十"):
        return 10 + (_DIGITS.get(text[1:], 0) if len(text) > 1 else 0)
    return _DIGITS.get(text) if len(text) == 1 else None


def _grade(text: str) -> int | None:
    if text[:1] in _STAGE_OFFSET:
        value = cn_number(text[1:])
        return None if value is None else _STAGE_OFFSET[text[0]] + value
    value = cn_number(text)
    return value if value is not None and 1 <= value <= 12 else None


def _from_match(match: re.Match[str]) -> ClassId | None:
    grade = _grade(match.group("grade"))
    number = cn_number(match.group("cls"))
    if grade is None or not number:
        return None
    return ClassId(grade, number)


# A cohort class: 2023级3班, 23级(3)班, 初2023级3班, 高2024级1班.
_COHORT = re.compile(
    r"^[初高]?(?:19|20)?\d{2}级[(（]?(?P<cls>\d{1,2}|[一二三四五六七八九十]{1,3})[)）]?班?$"
)


def parse_class_cell(value: object) -> ClassId | None:
    """A whole cell of a 班级 column. Returns None when it is not a class at all."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _clean(value)
    if not text:
        return None
    for pattern in (_DOTTED, _COMPACT):
        match = pattern.match(text)
        if match:
            return _from_match(match)
    cohort = _COHORT.match(text)
    if cohort:
        # 2023级3班 names the year the class entered, not its grade: the grade comes from the
        # 年级 column, the sheet or the file (else the class is refused as 只有班号).
        number = cn_number(cohort.group("cls"))
        return ClassId(None, number) if number else None
    for pattern in _GRADE_CLASS_PATTERNS:
        match = pattern.search(text)
        if match:
            return _from_match(match)
    match = _CLASS_ONLY.match(text)
    if match:
        number = cn_number(match.group("cls"))
        return ClassId(None, number) if number else None
    grade = find_grade(text)
    return ClassId(grade, None) if grade else None


def find_class(text: object) -> ClassId | None:
    """Search free text (a title row, a sheet or file name) for a class; None if absent."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    whole = _DOTTED.match(cleaned)  # a sheet named just ``5.3``
    if whole:
        return _from_match(whole)
    for pattern in (*_GRADE_CLASS_PATTERNS, _DOTTED_BAN):
        match = pattern.search(cleaned)
        if match:
            found = _from_match(match)
            if found:
                return found
    grade = find_grade(cleaned)
    match = _CLASS_BAN.search(cleaned)
    number = (cn_number(match.group("cls")) or None) if match else None  # 0班 is no class
    if grade is None and number is None:
        return None
    return ClassId(grade, number)


def find_grade(text: object) -> int | None:
    """Search free text for a grade (``三年级``, ``初二``, ``7年级``)."""
    cleaned = _clean(text)
    match = _GRADE_ONLY.search(cleaned)
    if not match:
        return None
    return _grade(match.group("grade") or match.group("stage"))


def grade_name(grade: int) -> str:
    """3 → ``三年级``, 10 → ``高一``."""
    return GRADE_NAMES.get(grade, f"{grade}年级")


def class_name(grade: int, number: int) -> str:
    """(3, 2) → ``三(2)班``; senior high (10, 2) → ``高一(2)班``."""
    short = _SHORT_GRADE.get(grade) or GRADE_NAMES.get(grade, str(grade))
    return f"{short}({number})班"


def parse_grade(raw: object) -> int | None:
    """A 年级 cell: ``三年级``, ``3``, ``初一``, ``七年级`` → 3, 3, 7, 7."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        return raw if 1 <= raw <= 12 else None
    text = normalize(raw).replace(" ", "")
    grade = find_grade(text)
    if grade is None:
        number = cn_number(text.removesuffix("年级").removesuffix("年"))
        grade = number if number is not None and 1 <= number <= 12 else None
    return grade
