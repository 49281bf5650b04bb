"""个人学情反馈单 for grades 1–2 (乐考): each station's mark as the teacher gave it, with its level,
and each subject's 总评 — words only; the points of the 总评 rule are never shown (docs/口径.md
乐考). Built from the 乐考 summary's records; nothing here reads or writes a file."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from toolkit.config.model import SchoolConfig
from toolkit.feedback.slips import ClassSlips, FeedbackSlips, Slip, SlipRow
from toolkit.lekao.metrics import LekaoSummary
from toolkit.lekao.schema import LEVEL_OF_MARK, LEVELS, NOT_ASSESSED, stations_for

EXAM = "期末乐考"
TOTAL = "总评"  # a subject's row: 语文总评


def mark_text(mark: object) -> str:
    """A station's mark as told: a level as it is, 星级 and 过关 with their level beside them
    (``★★（良好）``), 未测 when blank."""
    if mark is None or (isinstance(mark, float) and pd.isna(mark)) or mark == "":
        return NOT_ASSESSED
    text = str(mark)
    level = LEVEL_OF_MARK.get(text)
    return text if level is None or text in LEVELS else f"{text}（{level}）"


def lekao_slips(
    summary: LekaoSummary,
    config: SchoolConfig,
    classes: Iterable[tuple[int, int]] | None = None,
) -> FeedbackSlips:
    """A slip per pupil of every class (or ``classes``) the 乐考 records hold: the stations of
    the grade in the config's order, then each subject's 总评."""
    records, overall = summary.records, summary.overall
    wanted = None if classes is None else {(int(g), int(n)) for g, n in classes}
    out = []
    for (grade, number), mine in records.groupby(["年级", "班级"], sort=True):
        grade, number = int(grade), int(number)
        if wanted is not None and (grade, number) not in wanted:
            continue
        configured = [s.name for s in stations_for(config, grade)]
        stations = [s for s in configured if s in set(mine["项目"])]
        stations += [s for s in dict.fromkeys(mine["项目"]) if s not in stations]
        subject_of = dict(zip(mine["项目"], mine["学科"], strict=True))
        marks = mine.set_index(["学生", "项目"])["结果"]
        totals = overall.set_index(["学生", "学科"])["总评"]
        subjects = list(dict.fromkeys(overall.loc[overall["年级"] == grade, "学科"]))
        notes = mine.dropna(subset=["评语"]) if "评语" in mine else mine.iloc[0:0]
        note_of = notes.drop_duplicates("学生").set_index("学生")["评语"] if len(notes) else {}
        slips = []
        for student in mine.drop_duplicates("学生").itertuples(index=False):
            key = student.学生
            rows = [
                SlipRow(s, mark_text(marks.get((key, s))), group=str(subject_of.get(s, "")))
                for s in stations
            ]
            for subject in subjects:
                level = totals.get((key, subject))
                told = NOT_ASSESSED if level is None or pd.isna(level) else str(level)
                rows.append(SlipRow(f"{subject}{TOTAL}", told, group=subject))
            slips.append(
                Slip(
                    config.school,
                    grade,
                    number,
                    str(student.学号 or ""),
                    str(student.姓名),
                    rows,
                    comment=str(note_of.get(key, "") or "").strip(),
                )
            )
        out.append(
            ClassSlips(
                config.school, grade, number, EXAM, config.term_label, slips, row_label="项目"
            )
        )
    return FeedbackSlips(out)
