"""One cell of a record → a typed value, or the reason it is not one.

Only what the cell *is* is decided here (a date, a whole number, one of the allowed words);
whether the value is allowed (0 ≤ 得分 ≤ 100) is a rule of the kind's schema.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.base.classnames import ClassId, parse_class_cell, parse_grade
from toolkit.base.text import as_typed, clean_name, is_blank, normalize
from toolkit.reading.faults import CellFault
from toolkit.records.fields import NO_WORDS, YES_WORDS, Field

if TYPE_CHECKING:
    from toolkit.config.model import SchoolConfig

# Excel serial day numbers for 2000-01-01 and 2099-12-31: a number cell in a date column inside
# this range is a date whose format was lost (typed into a General cell, or saved by WPS).
_SERIAL_MIN, _SERIAL_MAX = 36526, 73050
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_TEXT = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_COMPACT = re.compile(r"^(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_CLASS_SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass(frozen=True, slots=True)
class CellValue:
    """A parsed cell: ``value`` is None when the cell is blank or could not be read."""

    value: Any = None
    reason: str = ""  # why it could not be read (what was expected); "" when fine
    code: str = "field.invalid"  # the problem to report when ``reason`` is set

    @property
    def blank(self) -> bool:
        return self.value is None and not self.reason


BLANK = CellValue()


def parse_cell(field: Field, raw: object, config: SchoolConfig) -> CellValue:
    """Interpret ``raw`` as ``field`` expects."""
    if is_blank(raw):
        return BLANK
    if isinstance(raw, CellFault):  # #DIV/0!, or a formula never computed: not a blank
        return CellValue(reason="有效的值", code=raw.code)
    parser = _PARSERS[field.type]
    return parser(field, raw, config)


def _text(_field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime) and raw.time() == dt.time():
        raw = raw.date()
    return CellValue(as_typed(raw))


def _person(_field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    return CellValue(clean_name(raw))


def parse_date(raw: object) -> dt.date | None:
    """A date from a date cell, an Excel serial number or text like 2026-3-15 / 2026年3月15日."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        if _SERIAL_MIN <= raw <= _SERIAL_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        return None
    text = normalize(raw)
    match = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text.replace(" ", ""))
    if not match:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _date(_field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    value = parse_date(raw)
    return CellValue(value) if value else CellValue(reason="日期，如 2026-03-15")


def _number_text(field: Field, raw: object) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        try:
            return None if math.isnan(raw) else float(raw)
        except OverflowError:  # an int beyond float range is no count or score
            return None
    if isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        return None
    text = normalize(raw).replace(" ", "")
    for suffix in (field.unit, "分"):
        if suffix and text.endswith(suffix):
            text = text[: -len(suffix)]
    return float(text) if _NUMBER.match(text) else None


def _int(field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    number = _number_text(field, raw)
    if number is None or not number.is_integer():
        return CellValue(reason="整数")
    return CellValue(int(number))


def _decimal(field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    number = _number_text(field, raw)
    return CellValue(reason="数字") if number is None else CellValue(number)


def parse_percent(raw: object) -> float | None:
    """A share in [0, 1]: ``0.35``, ``35%``, or ``35`` (a number above 1 is in percent points).

    A cell formatted as a percentage holds 0.35; a teacher typing into a General cell writes
    35 meaning 35%. Numbers up to 1 are fractions, so ``1`` is 100%, not 1%.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        if math.isnan(raw):
            return None
        number = float(raw)
    else:
        text = normalize(raw).replace(" ", "")
        if text.endswith("%"):
            body = text[:-1]
            return float(body) / 100 if _NUMBER.match(body) else None
        if not _NUMBER.match(text):
            return None
        number = float(text)
    return number / 100 if number > 1 else number


def _percent(_field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    value = parse_percent(raw)
    return CellValue(reason="百分比，如 35%") if value is None else CellValue(value)


def _yesno(_field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    if isinstance(raw, bool):
        return CellValue(raw)
    text = normalize(raw).replace(" ", "").lower()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if text in YES_WORDS:
        return CellValue(True)
    if text in NO_WORDS:
        return CellValue(False)
    return CellValue(reason="“是”或“否”")


def _choice(field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    text = normalize(raw).replace(" ", "")
    if text in field.choices:
        return CellValue(text)
    lowered = {key.lower(): value for key, value in field.aliases.items()}
    canonical = lowered.get(text.lower())
    if canonical is not None:
        return CellValue(canonical)
    return CellValue(reason=f"以下之一：{field.allowed()}")


def _grade(_field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    grade = parse_grade(raw)
    return CellValue(reason="年级，如 三年级、初一") if grade is None else CellValue(grade)


def _class(_field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    found = parse_class_cell(raw)
    if found is None or found.number is None:
        return CellValue(reason="班级，如 三(2)班、2班")
    return CellValue(found)


def parse_classes(raw: object) -> list[ClassId] | None:
    """Several classes in one cell: ``1班、2班``, ``三(1)班,三(2)班``, ``1 2 3``."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        single = parse_class_cell(raw)
        return [single] if single and single.number else None
    parts = [p for p in _CLASS_SEPARATORS.split(normalize(raw)) if p]
    found = [parse_class_cell(p) for p in parts]
    if not found or any(c is None or c.number is None for c in found):
        return None
    return [c for c in found if c is not None]


def _classes(_field: Field, raw: object, _config: SchoolConfig) -> CellValue:
    found = parse_classes(raw)
    return CellValue(reason="班级，如 三(2)班 或 1班、2班") if found is None else CellValue(found)


def _subject(_field: Field, raw: object, config: SchoolConfig) -> CellValue:
    text = normalize(raw)
    # An unknown subject is kept as typed: schools have their own courses (书法, 校本课程).
    return CellValue(config.subject_of(text) or text)


_PARSERS = {
    "text": _text,
    "person": _person,
    "date": _date,
    "int": _int,
    "decimal": _decimal,
    "percent": _percent,
    "yesno": _yesno,
    "choice": _choice,
    "grade": _grade,
    "class": _class,
    "classes": _classes,
    "subject": _subject,
}
