"""The exam a name speaks of (``期中``, ``3月月考``, ``第二单元检测``): read from folder, file and
sheet names, by the term's folder and by a workbook holding a sheet per exam."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from toolkit.base.classnames import cn_number
from toolkit.reading.discover import InputFile
from toolkit.reading.vocabulary import EXAM_KINDS

EXAM_PATTERN = re.compile(
    r"(?:(\d{1,2}|十[一二]?|[一二三四五六七八九])月份?)?(" + "|".join(EXAM_KINDS) + ")"
)
_UNIT = re.compile(r"第[一二三四五六七八九十\d]{1,3}$")


# An exam of the term before, kept in a term's folder for 进退步 (上学期期末): its name keeps
# the words, so that it is never taken for this term's 期末.
EARLIER_TERM_WORDS = ("上学期", "上一学期", "上个学期", "上学年")


def exam_in(text: str) -> str:
    """The exam a name speaks of: ``期中``, ``3月月考`` (Chinese month numerals made digits), or ""
    when it names none. The last mention wins: a file name is more specific than its folder."""
    found = list(EXAM_PATTERN.finditer(text))
    if not found:
        return ""
    last = found[-1]
    month, kind = last.groups()
    if kind == "单元检测":
        # 第一单元检测 and 第二单元检测 are two exams of the term, not one.
        unit = _UNIT.search(text[: last.start(2)])
        if unit is not None:
            return f"{unit.group(0)}{kind}"
    number = cn_number(month) if month else None
    name = f"{number}月{kind}" if number else kind
    before = text[: last.start()]
    earlier = next((w for w in EARLIER_TERM_WORDS if before.endswith(w)), "")
    return earlier + name


def sheets_by_exam(names: Sequence[str]) -> dict[str, list[str]]:
    """A workbook's sheets grouped by the exam each names (``12月月考``, ``期中``), when two or
    more exams are named — else empty: the workbook is one exam. Sheets naming no exam are
    under "" (not read as any exam; the caller says so)."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(exam_in(name), []).append(name)
    return groups if len(set(groups) - {""}) >= 2 else {}


def split_by_exam(file: InputFile, names: Sequence[str]) -> dict[str, InputFile]:
    """``file`` as one input per exam its sheets name (each reading only that exam's sheets),
    named ``成绩.xlsx（期中）``; empty when the workbook is one exam."""
    groups = sheets_by_exam(names)
    return {
        exam: replace(file, display=f"{file.display}（{exam}）", sheets=frozenset(sheets))
        for exam, sheets in groups.items()
        if exam
    }
