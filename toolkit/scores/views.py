"""Several sheets of one workbook holding the same students: one student each, never two.

Platforms and offices keep one exam as several views: a 全体 sheet and one sheet per class, a
sheet per subject (语文, 数学 …), a 总分 sheet. A student met again on a later sheet — matched
by 学号/考号, else by class and name — whose scores in the subjects both sheets hold are the same
is the same student: the later sheet adds only the subjects it alone holds. A sheet whose
students are all met before is a view of them; its rows are skipped with a note naming the
sheet it repeats. A sheet whose shared scores differ is another exam or a copy that has been
changed: it is left alone, and the validator's 重复学生 errors say where.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from toolkit.base.problems import ProblemReport

# Positions in a student tuple (scores/read.py STUDENT_COLUMNS) and in a mark tuple.
_SCHOOL, _GRADE, _CLASS, _ID, _NAME, _SHEET = 0, 1, 2, 3, 4, 9
_FILE = 8
_SUBJECT, _SCORE, _STATUS = 1, 2, 3


def merge_views(
    students: list[tuple[Any, ...]], marks: list[tuple[Any, ...]], report: ProblemReport
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int]:
    """One file's students and marks with repeated views merged; returns them renumbered and
    how many student rows were skipped as views."""
    sheets = list(dict.fromkeys(s[_SHEET] for s in students))
    if len(sheets) < 2:
        return students, marks, 0
    marks_of: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for m in marks:
        marks_of[m[0]].append(m)

    kept: dict[tuple[Any, ...], int] = {}  # student key → sid kept
    by_sheet: dict[str, list[int]] = defaultdict(list)
    for sid, s in enumerate(students):
        by_sheet[s[_SHEET]].append(sid)
    dropped: set[int] = set()
    moved: dict[int, int] = {}  # a view's sid → the sid its added marks go to
    for sheet in sheets:
        sids = by_sheet[sheet]
        met = {sid: kept.get(_key(students[sid])) for sid in sids}
        matched = {sid: other for sid, other in met.items() if other is not None}
        if matched and all(_same_scores(marks_of[sid], marks_of[o]) for sid, o in matched.items()):
            firsts = list(dict.fromkeys(students[o][_SHEET] for o in matched.values()))
            report.add(
                "note",
                "sheet.view",
                file=students[sids[0]][_FILE],
                sheet=sheet,
                count=len(matched),
                other="、".join(f"“{name}”" for name in firsts),
            )
            dropped.update(matched)
            moved.update(matched)
        for sid in sids:
            if sid not in matched:
                kept.setdefault(_key(students[sid]), sid)
    if not dropped:
        return students, marks, 0

    # The subjects a view alone holds join its student's row on the sheet kept.
    held = {(m[0], m[_SUBJECT]) for m in marks if m[0] not in dropped}
    merged = []
    for m in marks:
        sid = moved.get(m[0], m[0])
        if m[0] in dropped and (sid, m[_SUBJECT]) in held:
            continue
        held.add((sid, m[_SUBJECT]))
        merged.append((sid, *m[1:]))
    order = [sid for sid in range(len(students)) if sid not in dropped]
    renumber = {old: new for new, old in enumerate(order)}
    return (
        [students[sid] for sid in order],
        [(renumber[m[0]], *m[1:]) for m in merged],
        len(dropped),
    )


def _key(student: tuple[Any, ...]) -> tuple[Any, ...]:
    school, grade, number = student[_SCHOOL], student[_GRADE], student[_CLASS]
    if student[_ID]:
        return (school, "id", student[_ID])
    return (school, grade, number, student[_NAME])


def _same_scores(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> bool:
    """Whether two rows agree in every subject both hold (an absence equals an absence)."""
    first = {m[_SUBJECT]: (m[_STATUS], m[_SCORE]) for m in a}
    shared = [m for m in b if m[_SUBJECT] in first]
    for m in shared:
        status, score = first[m[_SUBJECT]]
        if status != m[_STATUS] or (status == "valid" and score != m[_SCORE]):
            return False
    return True
