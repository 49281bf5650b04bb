"""Which exam a file holds, and the order of a term's exams.

Schools name exams in folder and file names (``期中成绩/``, ``四(1)班期末成绩.xlsx``,
``3月月考``) or in an ``考试`` column; they do not date them. The order of a term's exams is
therefore read from the names: an explicit month (``4月月考``) places an exam; otherwise 期中
sits in the term's middle month and 期末 in its last (docs/decisions.md, issue 5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.base.classnames import cn_number
from toolkit.reading.exam_names import EARLIER_TERM_WORDS, EXAM_KINDS, EXAM_PATTERN

# Where an exam of each kind falls among exams of the same month (期中 before a later 月考 only
# through its month).
_RANK = {kind: i for i, kind in enumerate(EXAM_KINDS)}
# The middle and last month of each term: spring (第二学期) and autumn (第一学期).
_TERM_MONTHS = {"spring": {"期中": 4, "期末": 6}, "autumn": {"期中": 11, "期末": 1}}


@dataclass(frozen=True)
class Exam:
    name: str
    kind: str  # 期中, 期末, 月考, …, or "" for a name outside the known words
    month: int | None  # calendar month, when the name gives one or the kind implies it
    # Sat in the term before (上学期期末), kept for 进退步: before every exam of this term.
    earlier_term: bool = False


def school_year_position(month: int) -> int:
    """Months in school-year order: September is 1, January 5, June 10, August 12."""
    return (month - 9) % 12 + 1


def term_season(term: str = "", months: Iterable[int] = ()) -> str:
    """``spring`` (第二学期, February–July) or ``autumn`` (第一学期, September–January): from the
    config's term name, else from months seen, else spring (the school year the toolkit was
    built around)."""
    if any(word in term for word in ("第二学期", "下学期", "春")):
        return "spring"
    if any(word in term for word in ("第一学期", "上学期", "秋")):
        return "autumn"
    seen = [school_year_position(m) for m in months]
    if seen:
        return "autumn" if max(seen) <= 5 else "spring"
    return "spring"


def describe(name: str, season: str) -> Exam:
    match = EXAM_PATTERN.search(name)
    if any(word in name for word in EARLIER_TERM_WORDS):
        return Exam(name, match.group(2) if match else "", None, earlier_term=True)
    if match is None:
        return Exam(name, "", None)
    month_text, kind = match.groups()
    month = cn_number(month_text) if month_text else _TERM_MONTHS[season].get(kind)
    return Exam(name, kind, month)


def order_exams(names: Iterable[str], season: str) -> list[Exam]:
    """The exams in the order they were sat. Exams with no month come first (a 单元检测 named
    only by its unit), in the order of EXAM_KINDS, then by name."""
    exams = [describe(n, season) for n in dict.fromkeys(names)]

    def key(exam: Exam) -> tuple[int, int, int, str]:
        position = school_year_position(exam.month) if exam.month else 0
        if exam.earlier_term:
            position = -1
        unit = re.search(r"第([一二三四五六七八九十\d]{1,3})单元", exam.name)
        number = (cn_number(unit.group(1)) or 0) if unit else 0  # 第三单元 before 第十单元
        return position, _RANK.get(exam.kind, -1), number, exam.name

    return sorted(exams, key=key)


def held_by(exam: Exam, month: int) -> bool:
    """Whether ``exam`` had been sat by the end of calendar ``month`` (an exam with no month is
    taken as already sat; one of the term before is no exam of this term's months)."""
    if exam.earlier_term:
        return False
    if exam.month is None:
        return True
    return school_year_position(exam.month) <= school_year_position(month)


def pick_exam(exams: list[Exam], wanted: str) -> Exam | None:
    """The exam a user named (``期末`` matches ``期末``; ``月考`` the last 月考): exact name first,
    else the last exam whose name contains it."""
    exact = [e for e in exams if e.name == wanted]
    if exact:
        return exact[-1]
    containing = [e for e in exams if wanted and wanted in e.name]
    return containing[-1] if containing else None
