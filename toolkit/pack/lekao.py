"""乐考 in the term pack (grades 1–2 hold no paper tests, so no score section speaks for them):
per grade, each subject's 学科总评 in levels — 优良率 and 合格率 — and the stations with the most
待合格. Levels and counts of pupils only: no points, no pupil named, nothing ranked.

Pure: computed from the 乐考 summary (``toolkit.lekao.metrics``), no file I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from toolkit.base.classnames import grade_name
from toolkit.lekao.metrics import COUNT_COLUMNS
from toolkit.records.rollup import share

from . import wording as say

MOST = 3  # stations listed per grade, those with the most 待合格 first
WEAKEST_COLUMNS = ["项目", "学科", "实测人数", "待合格", "待合格占比"]


@dataclass
class LekaoGrade:
    grade: int
    subjects: pd.DataFrame  # 学科 | 优秀 … 待合格 | 未测 | 实测人数 | 优良率 | 合格率 (全年级)
    weakest: pd.DataFrame  # WEAKEST_COLUMNS: up to MOST stations with 待合格, most first
    sentence: str

    @property
    def name(self) -> str:
        return grade_name(self.grade)


def lekao_grades(summary: Any) -> list[LekaoGrade]:
    """Each 乐考 grade's section; none without a 乐考 summary."""
    if summary is None or summary.subjects.empty:
        return []
    grades = sorted({int(g) for g in summary.subjects["年级"].dropna()})
    return [_grade(summary, grade) for grade in grades]


def _grade_rows(frame: pd.DataFrame, grade: int) -> pd.DataFrame:
    return frame[(frame["年级"] == grade) & frame["班级"].isna()]


def _grade(summary: Any, grade: int) -> LekaoGrade:
    subjects = _grade_rows(summary.subjects, grade)[["学科", *COUNT_COLUMNS]]
    subjects = subjects.reset_index(drop=True)
    stations = _grade_rows(summary.stations, grade)
    weakest = stations[["项目", "学科", "实测人数", "待合格"]].copy()
    weakest["待合格占比"] = share(weakest["待合格"], weakest["实测人数"])
    weakest = weakest[weakest["待合格"] > 0]
    weakest = weakest.sort_values(["待合格", "待合格占比"], ascending=False, kind="stable")
    weakest = weakest.head(MOST).reset_index(drop=True)[WEAKEST_COLUMNS]
    return LekaoGrade(grade, subjects, weakest, _sentence(grade, subjects, weakest))


def _sentence(grade: int, subjects: pd.DataFrame, weakest: pd.DataFrame) -> str:
    rates = [
        f"{row.学科}优良率 {say.rate(row.优良率)}、合格率 {say.rate(row.合格率)}"
        for row in subjects.itertuples(index=False)
        if row.实测人数
    ]
    text = f"{grade_name(grade)}乐考学科总评：" + ("；".join(rates) or "没有已测的项目") + "。"
    if len(weakest):
        listed = "、".join(
            f"{row.项目}（{row.学科}，{row.待合格} 人）" for row in weakest.itertuples(index=False)
        )
        return f"{text}待合格人数较多的项目：{listed}。"
    return f"{text}各项目都没有待合格的学生。"
