"""试题分析 (issue 4) checked against independent computations, and the suggested ledger's
round trip through ``xueqing items`` → ``xueqing weakpoints``.

Frames are built by hand shaped like ``toolkit.items.read`` makes them (students indexed by
``sid``; one mark per student × item with status valid/absent/invalid; one item row per item).
Expectations are worked by hand in comments or by plain-Python loops.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.cli.parser import main
from toolkit.config.model import SchoolConfig
from toolkit.config.tables import ClassInfo, Teaching
from toolkit.items.metrics import D_BANDS, analyse, band
from toolkit.items.read import ITEM_COLUMNS, MARK_COLUMNS, STUDENT_COLUMNS
from toolkit.kinds.report import analyze_records
from toolkit.render.workbooks.config_template import write_config_template

TODAY = dt.date(2026, 6, 30)
LETTERS = "DEFGHIJKLMNOP"

Item = tuple[str, float, str]  # 题号, 满分, 知识点
Student = tuple[int, str, list[Any]]  # 班级, 姓名, one raw cell per item


def build(
    exams: list[tuple[int, str, str, list[Item], list[Student]]],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(年级, 学科, 考试, items, students) → the reader's three frames.

    A raw cell is a number (valid), None or ``缺考`` (absent) or any other text (invalid).
    """
    students: list[tuple[Any, ...]] = []
    marks: list[tuple[Any, ...]] = []
    item_rows: list[tuple[Any, ...]] = []
    for grade, subject, exam, items, rows in exams:
        file = f"{grade}{subject}{exam}.xlsx"
        for k, (label, full, point) in enumerate(items):
            item_rows.append(
                (grade, subject, exam, label, float(full), point, file, "Sheet1", f"{LETTERS[k]}4")
            )
        for r, (klass, name, cells) in enumerate(rows):
            sid = len(students)
            row = 6 + r
            students.append(
                (grade, klass, f"{sid:04d}", name, subject, exam, file, "Sheet1", row, f"C{row}")
            )
            assert len(cells) == len(items)
            for k, ((label, full, point), raw) in enumerate(zip(items, cells, strict=True)):
                if isinstance(raw, (int, float)):
                    status, score, code = "valid", float(raw), ""
                elif raw is None or raw == "缺考":
                    status, score, code = "absent", math.nan, ""
                else:
                    status, score, code = "invalid", math.nan, "score.invalid"
                marks.append(
                    (sid, label, score, status, code, raw, float(full), point, f"{LETTERS[k]}{row}")
                )
    student_frame = pd.DataFrame(students, columns=STUDENT_COLUMNS)
    student_frame.index.name = "sid"
    mark_frame = pd.DataFrame(marks, columns=MARK_COLUMNS)
    mark_frame["分数"] = mark_frame["分数"].astype(float)
    mark_frame["满分"] = mark_frame["满分"].astype(float)
    item_frame = pd.DataFrame(item_rows, columns=ITEM_COLUMNS)
    item_frame["满分"] = item_frame["满分"].astype(float)
    return student_frame, mark_frame, item_frame


def run(exams: list[Any], config: SchoolConfig | None = None, today: dt.date = TODAY) -> Any:
    students, marks, items = build(exams)
    return analyse(students, marks, items, config or SchoolConfig(), today)


def close(a: Any, b: float) -> bool:
    return math.isclose(float(a), b, rel_tol=0, abs_tol=1e-9)


def one(frame: pd.DataFrame, **keys: Any) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for name, value in keys.items():
        mask &= frame[name].isna() if value is None else (frame[name] == value).fillna(False)
    found = frame[mask]
    assert len(found) == 1, (keys, found)
    return found.iloc[0]


# --------------------------------------------------------------------------------------------
# The worked example: 10 students, 2 classes, 4 items, 2 knowledge points
#
# sid name cls  Q1/4 Q2/6 Q3/10 Q4/2  total
#  0   A    1    4    6    10    0    20
#  1   B    1    4    5     8    0    17
#  2   C    1    3    4     7    1    15
#  3   D    1    2    3     5    1    11
#  4   E    1    1    2     3    2     8
#  5   F    2    4    6     9    0    19
#  6   G    2    3    5     7    1    16
#  7   H    2    2    4     6    1    13
#  8   I    2    1    1     2    2     6
#  9   J    2    0    2     1    2     5
#
# Ranking: A20 F19 B17 G16 C15 H13 D11 E8 I6 J5 (no ties); n = 10, k = round(2.7) = 3:
# 高分组 A, F, B; 低分组 E, I, J.
# Q1: Σ = 24, P = 2.4/4 = 0.6;    top (4+4+4)/3 = 4,   bottom (1+1+0)/3 = 2/3,  D = (10/3)/4 = 5/6
# Q2: Σ = 38, P = 3.8/6;          top (6+6+5)/3 = 17/3, bottom (2+1+2)/3 = 5/3, D = 4/6 = 2/3
# Q3: Σ = 58, P = 5.8/10 = 0.58;  top (10+9+8)/3 = 9,  bottom (3+2+1)/3 = 2,   D = 7/10
# Q4: Σ = 10, P = 1/2 = 0.5;      top 0,               bottom 2,               D = −2/2 = −1

ITEMS: list[Item] = [
    ("1", 4, "分数的意义"),
    ("2", 6, "分数的意义"),
    ("3", 10, "应用题"),
    ("4", 2, "应用题"),
]
WORKED: list[Student] = [
    (1, "A", [4, 6, 10, 0]),
    (1, "B", [4, 5, 8, 0]),
    (1, "C", [3, 4, 7, 1]),
    (1, "D", [2, 3, 5, 1]),
    (1, "E", [1, 2, 3, 2]),
    (2, "F", [4, 6, 9, 0]),
    (2, "G", [3, 5, 7, 1]),
    (2, "H", [2, 4, 6, 1]),
    (2, "I", [1, 1, 2, 2]),
    (2, "J", [0, 2, 1, 2]),
]
EXAM = (3, "数学", "期末", ITEMS, WORKED)


def test_difficulty_and_discrimination_worked_example() -> None:
    table = run([EXAM]).items
    assert list(table["题号"]) == ["1", "2", "3", "4"]
    expected = {
        #     mean  P        top    bottom  D       band
        "1": (2.4, 0.6, 4.0, 2 / 3, 5 / 6, "很好"),
        "2": (3.8, 3.8 / 6, 17 / 3, 5 / 3, 2 / 3, "很好"),
        "3": (5.8, 0.58, 9.0, 2.0, 0.7, "很好"),
        "4": (1.0, 0.5, 0.0, 2.0, -1.0, "需改进"),
    }
    for label, (mean, p, top, bottom, d, quality) in expected.items():
        row = one(table, 题号=label)
        assert int(row["实考人数"]) == 10
        assert close(row["平均分"], mean)
        assert close(row["难度"], p)
        assert close(row["高分组均分"], top)
        assert close(row["低分组均分"], bottom)
        assert close(row["区分度"], d)
        assert row["区分度评价"] == quality
    assert one(table, 题号="1")["知识点"] == "分数的意义"
    assert float(one(table, 题号="3")["满分"]) == 10


def test_groups_are_27_percent_of_each_end() -> None:
    students = run([EXAM]).students
    by_name = dict(zip(students["sid"], students["组"], strict=True))
    names = [s[1] for s in WORKED]
    groups = {names[sid]: g for sid, g in by_name.items()}
    assert {n for n, g in groups.items() if g == "高分组"} == {"A", "F", "B"}
    assert {n for n, g in groups.items() if g == "低分组"} == {"E", "I", "J"}
    totals = dict(zip(students["sid"], students["总分"], strict=True))
    assert [totals[i] for i in range(10)] == [20, 17, 15, 11, 8, 19, 16, 13, 6, 5]


def test_per_class_item_rates_worked_example() -> None:
    per_class = run([EXAM]).item_classes
    # class 1 / class 2 means: Q1 14/5 and 10/5; Q2 20/5 and 18/5; Q3 33/5 and 25/5; Q4 4/5, 6/5
    expected = {
        ("1", 1): 2.8 / 4, ("1", 2): 2.0 / 4,
        ("2", 1): 4.0 / 6, ("2", 2): 3.6 / 6,
        ("3", 1): 6.6 / 10, ("3", 2): 5.0 / 10,
        ("4", 1): 0.8 / 2, ("4", 2): 1.2 / 2,
    }  # fmt: skip
    assert len(per_class) == len(expected)
    for (label, klass), rate in expected.items():
        row = one(per_class, 题号=label, 班级=klass)
        assert int(row["实考人数"]) == 5
        assert close(row["得分率"], rate)


def test_knowledge_point_rates_worked_example() -> None:
    points = run([EXAM]).points
    # 分数的意义 = Q1 + Q2 (10 marks a student): class 1 (14+20)/50, class 2 (10+18)/50,
    # grade 62/100. 应用题 = Q3 + Q4 (12 marks): class 1 (33+4)/60, class 2 (25+6)/60, grade 68/120.
    expected = [
        ("分数的意义", 1, 34, 50), ("分数的意义", 2, 28, 50), ("分数的意义", None, 62, 100),
        ("应用题", 1, 37, 60), ("应用题", 2, 31, 60), ("应用题", None, 68, 120),
    ]  # fmt: skip
    assert len(points) == len(expected)
    for (point, klass, got, full), (_, row) in zip(expected, points.iterrows(), strict=True):
        assert row["知识点"] == point
        assert (None if pd.isna(row["班级"]) else int(row["班级"])) == klass
        assert close(row["得分"], got)
        assert close(row["满分"], full)
        assert close(row["得分率"], got / full)
        assert int(row["实考人数"]) == (5 if klass else 10)
    assert one(points, 知识点="分数的意义", 班级=None)["题号"] == "1、2"
    assert one(points, 知识点="应用题", 班级=1)["题号"] == "3、4"


# --------------------------------------------------------------------------------------------
# 区分度 bands


@pytest.mark.parametrize(
    ("d", "label"),
    [
        (1.0, "很好"),
        (0.4, "很好"),
        (0.39, "良好"),
        (0.3, "良好"),
        (0.29, "尚可"),
        (0.2, "尚可"),
        (0.19, "需改进"),
        (0.0, "需改进"),
        (-0.5, "需改进"),
    ],
)
def test_band_edges(d: float, label: str) -> None:
    assert band(d, D_BANDS) == label


@pytest.mark.parametrize(
    ("gap", "label"),
    [(40, "很好"), (39, "良好"), (30, "良好"), (29, "尚可"), (20, "尚可"), (19, "需改进")],
)
def test_band_edges_through_analyse(gap: int, label: str) -> None:
    # 4 students, k = round(1.08) = 1. Q2 fixes the ranking (totals gap+100, 90, 80, 70):
    # the top student scores ``gap`` on Q1 and the bottom one 0, so D(Q1) = gap / 100 exactly.
    items: list[Item] = [("1", 100, "甲"), ("2", 100, "乙")]
    rows: list[Student] = [
        (1, "A", [gap, 100]),
        (1, "B", [0, 90]),
        (1, "C", [0, 80]),
        (1, "D", [0, 70]),
    ]
    row = one(run([(3, "数学", "期末", items, rows)]).items, 题号="1")
    assert close(row["区分度"], gap / 100)
    assert row["区分度评价"] == label


def test_group_size_rounds_half_up() -> None:
    # 150 students with distinct totals 0..149; 27% of 150 = 40.5, 四舍五入 → 41 each end
    items: list[Item] = [("1", 200, "甲")]
    rows: list[Student] = [(1 + s % 3, f"S{s}", [s]) for s in range(150)]
    groups = run([(3, "数学", "期末", items, rows)]).students["组"]
    assert (groups == "高分组").sum() == 41
    assert (groups == "低分组").sum() == 41


def test_group_size_for_sizes_without_a_half() -> None:
    # k = 27% of n rounded: 1 → 1 (top only), 2 → 1, 4 → 1, 10 → 3, 20 → 5, 100 → 27, 50 → 14
    items: list[Item] = [("1", 200, "甲")]
    for n, k in [(1, 1), (2, 1), (4, 1), (10, 3), (20, 5), (100, 27), (50, 14)]:
        rows: list[Student] = [(1, f"S{s}", [s]) for s in range(n)]
        students = run([(3, "数学", "期末", items, rows)]).students.set_index("sid")
        top = set(students.index[students["组"] == "高分组"])
        bottom = set(students.index[students["组"] == "低分组"])
        # sid s scored s: the top k are the highest sids, the bottom k the lowest
        assert top == set(range(n - k, n)), n
        assert bottom == (set(range(k)) if n > 1 else set()), n


# --------------------------------------------------------------------------------------------
# Absent, blank and invalid marks


def test_absent_students_and_blank_items_are_missing_not_zero() -> None:
    items: list[Item] = [("1", 10, "甲"), ("2", 10, "甲")]
    rows: list[Student] = [
        (1, "A", [8, 6]),
        (1, "B", [6, None]),  # Q2 blank: missing, not 0
        (1, "C", ["缺考", "缺考"]),  # sat nothing: not a student of this exam
        (2, "D", [4, 2]),
        (2, "E", [2, "缺考"]),
    ]
    analysis = run([(3, "数学", "期末", items, rows)])
    table = analysis.items
    q1, q2 = one(table, 题号="1"), one(table, 题号="2")
    # Q1: A, B, D, E sat it: (8+6+4+2)/4 = 5; Q2: A, D only: (6+2)/2 = 4
    assert int(q1["实考人数"]) == 4 and close(q1["平均分"], 5) and close(q1["难度"], 0.5)
    assert int(q2["实考人数"]) == 2 and close(q2["平均分"], 4) and close(q2["难度"], 0.4)
    # C is not ranked; n = 4 → k = 1: totals A14, B6, D6, E2 → top A, bottom E
    students = analysis.students
    assert sorted(students["sid"]) == [0, 1, 3, 4]
    assert dict(zip(students["sid"], students["组"], strict=True)) == {
        0: "高分组", 1: "", 3: "", 4: "低分组",
    }  # fmt: skip
    # Q1: D = (8 − 2)/10; Q2: the bottom student has no Q2 mark, so no D
    assert close(q1["区分度"], 0.6)
    assert math.isnan(float(q2["区分度"]))
    assert q2["区分度评价"] == ""
    # class 1 Q2 得分率 is 6/10 (A only), not (6+0)/20
    assert close(one(analysis.item_classes, 题号="2", 班级=1)["得分率"], 0.6)
    # 甲 class 1: A 8+6 of 20, B 6 of 10 → 20/30; class 2: D 4+2, E 2 → 8/30; grade 28/60
    points = analysis.points
    assert close(one(points, 班级=1)["得分率"], 20 / 30)
    assert int(one(points, 班级=1)["实考人数"]) == 2
    assert close(one(points, 班级=2)["得分率"], 8 / 30)
    assert close(one(points, 班级=None)["得分率"], 28 / 60)


def test_invalid_marks_are_left_out() -> None:
    # with --skip-invalid an invalid cell (良) is not counted as anything
    items: list[Item] = [("1", 10, "甲")]
    rows: list[Student] = [(1, "A", [8]), (1, "B", ["良"]), (1, "C", [4])]
    row = one(run([(3, "数学", "期末", items, rows)]).items, 题号="1")
    assert int(row["实考人数"]) == 2
    assert close(row["平均分"], 6)


def test_exams_are_ranked_separately() -> None:
    # Same names in two subjects: each exam has its own totals and groups.
    items: list[Item] = [("1", 10, "甲")]
    math_rows: list[Student] = [(1, "A", [10]), (1, "B", [5]), (1, "C", [0])]
    chinese_rows: list[Student] = [(1, "A", [0]), (1, "B", [5]), (1, "C", [10])]
    analysis = run(
        [(3, "数学", "期末", items, math_rows), (3, "语文", "期末", items, chinese_rows)]
    )
    table = analysis.items
    assert close(one(table, 学科="数学")["区分度"], 1.0)
    assert close(one(table, 学科="语文")["区分度"], 1.0)
    groups = analysis.students.set_index("sid")["组"]
    assert list(groups) == ["高分组", "", "低分组", "低分组", "", "高分组"]


# --------------------------------------------------------------------------------------------
# Suggested weak points


def _suggested(analysis: Any) -> dict[tuple[str, int], pd.Series]:
    s = analysis.suggestions
    return {(r["知识点"], int(r["班级"])): r for _, r in s.iterrows()}


def test_suggestions_with_default_line() -> None:
    config = SchoolConfig(
        teaching=[Teaching("李老师", "数学", 3, 2), Teaching("王老师", "语文", 3, 1)]
    )
    analysis = run([EXAM], config)
    assert analysis.line == 0.6 and analysis.gap == 0.1
    # class rates: 分数的意义 0.68 / 0.56 (grade 0.62); 应用题 37/60 ≈ 0.617 / 31/60 ≈ 0.517
    # (grade 0.567). Under 0.6: both points of class 2; class 1 is above the line and within
    # 0.1 of the grade.
    rows = _suggested(analysis)
    assert set(rows) == {("分数的意义", 2), ("应用题", 2)}
    first = rows[("分数的意义", 2)]
    assert close(first["错误率"], 0.44)  # 1 − 0.56
    # own rates in class 2 on 分数的意义 (of 10): F 1.0, G 0.8, H 0.6 (not under), I 0.2, J 0.2
    assert int(first["涉及人数"]) == 2
    second = rows[("应用题", 2)]
    assert close(second["错误率"], round(29 / 60, 4))  # 0.4833
    # own rates on 应用题 (of 12): F 9/12, G 8/12, H 7/12 ≈ 0.583, I 4/12, J 3/12 → 3 under 0.6
    assert int(second["涉及人数"]) == 3
    for row in rows.values():
        assert row["登记日期"] == TODAY
        assert row["计划完成日期"] == TODAY + dt.timedelta(days=14)
        assert row["状态"] == "待整改"
        assert row["年级"] == 3 and row["学科"] == "数学"
        assert row["责任教师"] == "李老师"  # 3(2) 数学 in config.teaching
        for blank in ("单元", "原因类别", "原因分析", "改进措施", "复测日期", "复测正确率"):
            assert row[blank] is None or pd.isna(row[blank])
        assert row["问题表现"]


def test_suggestions_follow_a_changed_line() -> None:
    config = replace(SchoolConfig(), weak_point_line=0.65, weak_point_gap=0.5, follow_up_days=21)
    analysis = run([EXAM], config)
    # under 0.65: 分数的意义 class 2 (0.56), 应用题 class 1 (0.617) and class 2 (0.517)
    rows = _suggested(analysis)
    assert set(rows) == {("分数的意义", 2), ("应用题", 1), ("应用题", 2)}
    # 涉及人数 against 0.65: 应用题 class 1 (of 12): A 10/12, B 8/12 ≈ 0.667, C 8/12, D 6/12,
    # E 5/12 → D, E; class 2: G 8/12 ≈ 0.667 not under, H, I, J → 3
    assert int(rows[("应用题", 1)]["涉及人数"]) == 2
    assert int(rows[("应用题", 2)]["涉及人数"]) == 3
    # no teaching in the config: no 责任教师
    assert all(r["责任教师"] is None for r in rows.values())
    assert all(r["计划完成日期"] == TODAY + dt.timedelta(days=21) for r in rows.values())


def test_suggestions_by_gap_to_the_grade() -> None:
    config = replace(SchoolConfig(), weak_point_line=0.3, weak_point_gap=0.055)
    analysis = run([EXAM], config)
    # no class is under 0.3. Gap: 分数的意义 class 2 0.56 < 0.62 − 0.055 = 0.565 → yes;
    # 应用题 class 2 0.517 vs 0.567 − 0.055 = 0.512 → no.
    rows = _suggested(analysis)
    assert set(rows) == {("分数的意义", 2)}
    # 涉及人数 against the line 0.3: I 0.2 and J 0.2
    assert int(rows[("分数的意义", 2)]["涉及人数"]) == 2
    # a wider gap drops it; a narrower one adds 应用题 class 2 (0.517 < 0.567 − 0.04)
    wider = replace(config, weak_point_gap=0.07)
    assert run([EXAM], wider).suggestions.empty
    narrower = replace(config, weak_point_gap=0.04)
    assert set(_suggested(run([EXAM], narrower))) == {("分数的意义", 2), ("应用题", 2)}


def test_rate_exactly_on_the_line_is_not_suggested() -> None:
    # class 1 scores 3/5 = 0.6 exactly; class 2 3.5/5 (grade 0.65, within the 0.1 gap)
    items: list[Item] = [("1", 5, "甲")]
    rows: list[Student] = [(1, "A", [3]), (1, "B", [3]), (2, "C", [3.5]), (2, "D", [3.5])]
    assert run([(3, "数学", "期末", items, rows)]).suggestions.empty
    rows = [(1, "A", [3]), (1, "B", [2.5]), (2, "C", [3.5]), (2, "D", [3.5])]  # 0.55: under
    assert set(_suggested(run([(3, "数学", "期末", items, rows)]))) == {("甲", 1)}


def test_gap_smaller_than_the_difference_suggests() -> None:
    # grade 0.625, class 1 0.5 and class 2 0.75 (binary fractions: no rounding); with line 0.25
    # only the gap can trigger: class 1 is 0.125 under the grade, more than a gap of 0.12.
    items: list[Item] = [("1", 8, "甲")]
    rows: list[Student] = [(1, "A", [4]), (2, "B", [6])]
    config = replace(SchoolConfig(), weak_point_line=0.25, weak_point_gap=0.12)
    assert set(_suggested(run([(3, "数学", "期末", items, rows)], config))) == {("甲", 1)}
    wider = replace(config, weak_point_gap=0.13)
    assert run([(3, "数学", "期末", items, rows)], wider).suggestions.empty


def test_gap_boundary_is_inclusive() -> None:
    # grade (4 + 6) / 16 = 0.625, class 1 4/8 = 0.5: exactly 0.125 = gap under the grade
    items: list[Item] = [("1", 8, "甲")]
    rows: list[Student] = [(1, "A", [4]), (2, "B", [6])]
    config = replace(SchoolConfig(), weak_point_line=0.25, weak_point_gap=0.125)
    assert set(_suggested(run([(3, "数学", "期末", items, rows)], config))) == {("甲", 1)}


def test_items_without_knowledge_points_suggest_nothing() -> None:
    items: list[Item] = [("1", 10, ""), ("2", 10, "")]
    rows: list[Student] = [(1, "A", [1, 1]), (2, "B", [9, 9])]
    analysis = run([(3, "数学", "期末", items, rows)])
    assert analysis.points.empty
    assert analysis.suggestions.empty
    assert len(analysis.items) == 2


# --------------------------------------------------------------------------------------------
# Property test against plain-Python loops

CELL = st.one_of(st.none(), st.just("缺考"), st.integers(min_value=0, max_value=100))


@st.composite
def exams(draw: Any) -> tuple[list[Item], list[Student]]:
    n_items = draw(st.integers(1, 4))
    fulls = draw(st.lists(st.integers(1, 10), min_size=n_items, max_size=n_items))
    points = draw(st.lists(st.sampled_from(["甲", "乙"]), min_size=n_items, max_size=n_items))
    items = [(str(k + 1), fulls[k], points[k]) for k in range(n_items)]
    n = draw(st.integers(1, 14))
    rows: list[Student] = []
    for s in range(n):
        klass = draw(st.integers(1, 3))
        cells = []
        for full in fulls:
            raw = draw(CELL)
            cells.append(raw % (full + 1) if isinstance(raw, int) else raw)
        rows.append((klass, f"S{s}", cells))
    return items, rows


def _expected(items: list[Item], rows: list[Student]) -> dict[str, Any]:
    """P, D per item and 得分率 per point × class/grade, by loops only."""
    sat = [i for i, (_, _, cells) in enumerate(rows) if any(isinstance(c, int) for c in cells)]
    totals = [(sum(c for c in rows[i][2] if isinstance(c, int)), i) for i in sat]
    # rank by total, higher first; ties in reading order
    ranked = [i for _, i in sorted(totals, key=lambda t: (-t[0], t[1]))]
    n = len(ranked)
    k = max(1, round(0.27 * n)) if n else 0
    top = set(ranked[:k])
    bottom = set(ranked[-k:]) if n > 1 else set()
    out: dict[str, Any] = {"P": {}, "D": {}, "points": {}}
    for col, (label, full, _) in enumerate(items):
        scores = {i: rows[i][2][col] for i in sat if isinstance(rows[i][2][col], int)}
        out["P"][label] = sum(scores.values()) / len(scores) / full if scores else math.nan
        hi = [v for i, v in scores.items() if i in top]
        lo = [v for i, v in scores.items() if i in bottom]
        out["D"][label] = (sum(hi) / len(hi) - sum(lo) / len(lo)) / full if hi and lo else math.nan
    for point in {p for _, _, p in items}:
        for klass in [None, 1, 2, 3]:
            got = full_sum = 0.0
            for i in sat:
                if klass is not None and rows[i][0] != klass:
                    continue
                for col, (_, full, p) in enumerate(items):
                    if p == point and isinstance(rows[i][2][col], int):
                        got += rows[i][2][col]
                        full_sum += full
            if full_sum:
                out["points"][(point, klass)] = got / full_sum
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exams())
def test_properties_against_loops(exam: tuple[list[Item], list[Student]]) -> None:
    items, rows = exam
    if not any(isinstance(c, int) for _, _, cells in rows for c in cells):
        return  # nobody sat the exam: the report stops before analyse
    analysis = run([(3, "数学", "期末", items, rows)])
    expected = _expected(items, rows)
    for _, row in analysis.items.iterrows():
        p, d = float(row["难度"]), float(row["区分度"])
        want_p, want_d = expected["P"][row["题号"]], expected["D"][row["题号"]]
        assert (math.isnan(p) and math.isnan(want_p)) or math.isclose(p, want_p, abs_tol=1e-9)
        assert (math.isnan(d) and math.isnan(want_d)) or math.isclose(d, want_d, abs_tol=1e-9)
        assert math.isnan(p) or 0 <= p <= 1
        assert math.isnan(d) or -1 <= d <= 1
    got_points = {
        (r["知识点"], None if pd.isna(r["班级"]) else int(r["班级"])): float(r["得分率"])
        for _, r in analysis.points.iterrows()
    }
    assert got_points.keys() == expected["points"].keys()
    for key, rate in expected["points"].items():
        assert math.isclose(got_points[key], rate, abs_tol=1e-9)
    for point in {p for p, _ in got_points}:
        class_rates = [r for (p, c), r in got_points.items() if p == point and c is not None]
        grade = got_points[(point, None)]
        assert min(class_rates) - 1e-9 <= grade <= max(class_rates) + 1e-9
    # every suggestion is under the line or the gap, and every such class is suggested
    suggested = {(r["知识点"], int(r["班级"])) for _, r in analysis.suggestions.iterrows()}
    want = {
        (p, c)
        for (p, c), r in got_points.items()
        if c is not None and (r < 0.6 - 1e-12 or r <= got_points[(p, None)] - 0.1 + 1e-12)
    }
    assert suggested == want


# --------------------------------------------------------------------------------------------
# End to end: xueqing items → suggested ledger → xueqing weakpoints


def write_item_workbook(path: Path, *, absent: bool = True) -> None:
    """The worked example in the 小题分 template's layout (toolkit/render/templates/items.py):
    title, a 学科/考试/年级 line, header 班级/学号/姓名/1/2/…, 满分 row, 知识点 row, students."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "小题分"
    ws.append(["实验小学 2025-2026学年第二学期 小题分"])
    ws.append(["学科", "数学", "考试", "期末", "年级", "三年级"])
    ws.append(["班级", "学号", "姓名", *[label for label, _, _ in ITEMS]])
    ws.append(["满分", None, None, *[full for _, full, _ in ITEMS]])
    ws.append(["知识点", None, None, *[point for _, _, point in ITEMS]])
    for sid, (klass, name, cells) in enumerate(WORKED):
        ws.append([f"三({klass})班", f"2023{sid:04d}", name, *cells])
    if absent:
        ws.append(["三(2)班", "20239999", "缺考生", "缺考", "缺考", "缺考", "缺考"])
    wb.save(path)


def read_ledger_rows(ledger: Path, config_path: Path | None = None) -> tuple[Any, pd.DataFrame]:
    report = analyze_records("weakpoints", [ledger], config_path=config_path, as_of="2026-07-01")
    return report, report.table.frame


def _check_round_trip(frame: pd.DataFrame, expected: set[tuple[Any, ...]]) -> None:
    got = {
        (
            int(r["年级"]),
            int(r["班级"]),
            r["学科"],
            r["知识点"],
            round(float(r["错误率"]), 4),
            int(r["涉及人数"]),
            r["状态"],
            r["登记日期"].date(),
            r["计划完成日期"].date(),
            r["责任教师"],
        )
        for _, r in frame.iterrows()
    }
    assert got == expected


def test_cli_items_then_weakpoints_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "三年级数学期末小题分.xlsx"
    write_item_workbook(source)
    config = SchoolConfig(
        classes=[ClassInfo(3, 1, "张老师", 5), ClassInfo(3, 2, "李老师", 6)],
        teaching=[Teaching("王丽", "数学", 3, 1), Teaching("李强", "数学", 3, 2)],
    )
    config_path = write_config_template(tmp_path / "学校配置.xlsx", config)
    out = tmp_path / "out.xlsx"
    code = main(
        ["items", str(source), "-o", str(out), "-c", str(config_path), "--date", "2026-06-30",
         "--json"]
    )  # fmt: skip
    printed = json.loads(capsys.readouterr().out)
    assert code == 0, printed
    ledger = tmp_path / "out_建议薄弱点台账.xlsx"
    assert out.exists() and ledger.exists()
    assert printed["ledger"] == str(ledger)
    assert printed["suggested"] == 2
    assert printed["counts"]["error"] == 0

    code = main(
        ["weakpoints", str(ledger), "-o", str(tmp_path / "wp.xlsx"), "-c", str(config_path),
         "--as-of", "2026-07-01", "--json"]
    )  # fmt: skip
    printed = json.loads(capsys.readouterr().out)
    assert code == 0, printed
    # the suggested ledger reads back with no error and no warning
    assert printed["counts"]["error"] == 0, printed["problems"]
    assert printed["counts"]["warning"] == 0, printed["problems"]
    assert (tmp_path / "wp.xlsx").exists()

    report, frame = read_ledger_rows(ledger, config_path)
    assert report.problems.errors == []
    assert report.analysed
    deadline = dt.date(2026, 7, 14)
    # the worked example's suggestions (the 缺考 student counts nowhere)
    _check_round_trip(
        frame,
        {
            (3, 2, "数学", "分数的意义", 0.44, 2, "待整改", TODAY, deadline, "李强"),
            (3, 2, "数学", "应用题", round(29 / 60, 4), 3, "待整改", TODAY, deadline, "李强"),
        },
    )
    summary = report.summary
    school = one(summary.classes, 年级=None, 班级=None)
    assert int(school["登记数"]) == 2 and int(school["待整改"]) == 2
    assert int(school["逾期数"]) == 0


def test_items_round_trip_without_config(tmp_path: Path) -> None:
    source = tmp_path / "小题分.xlsx"
    write_item_workbook(source)
    out = tmp_path / "试题分析.xlsx"
    assert main(["items", str(source), "-o", str(out), "--date", "2026-06-30", "-q"]) == 0
    ledger = tmp_path / "试题分析_建议薄弱点台账.xlsx"
    assert ledger.exists()
    report, frame = read_ledger_rows(ledger)
    assert report.problems.errors == []
    assert report.problems.counts()["warning"] == 0
    assert report.analysed
    deadline = dt.date(2026, 7, 14)
    _check_round_trip(
        frame,
        {
            (3, 2, "数学", "分数的意义", 0.44, 2, "待整改", TODAY, deadline, None),
            (3, 2, "数学", "应用题", round(29 / 60, 4), 3, "待整改", TODAY, deadline, None),
        },
    )
    # row for row, the ledger holds what analyze_items suggested
    from toolkit.items.report import analyze_items

    suggested = analyze_items([source], today=TODAY).analysis.suggestions
    assert len(frame) == len(suggested)
    for (_, back), (_, want) in zip(frame.iterrows(), suggested.iterrows(), strict=True):
        for name in ("年级", "班级", "涉及人数"):
            assert int(back[name]) == int(want[name])
        for name in ("学科", "知识点", "问题表现", "状态"):
            assert back[name] == want[name]
        assert math.isclose(float(back["错误率"]), float(want["错误率"]), abs_tol=1e-9)
        assert back["登记日期"].date() == want["登记日期"]
        assert back["计划完成日期"].date() == want["计划完成日期"]
    wp_out = tmp_path / "汇总.xlsx"
    assert main(["weakpoints", str(ledger), "-o", str(wp_out), "--as-of", "2026-07-01", "-q"]) == 0
    assert wp_out.exists()


def test_one_file_per_class_is_one_exam(tmp_path: Path) -> None:
    # Teachers send one file per class: the grade's exam (and its 27% groups) spans both files,
    # so P and D equal the worked example's.
    from toolkit.items.report import analyze_items

    for klass in (1, 2):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append([f"三({klass})班数学期末小题分"])
        ws.append(["学科", "数学", "考试", "期末", "年级", "三年级"])
        ws.append(["班级", "学号", "姓名", *[label for label, _, _ in ITEMS]])
        ws.append(["满分", None, None, *[full for _, full, _ in ITEMS]])
        ws.append(["知识点", None, None, *[point for _, _, point in ITEMS]])
        for sid, (k, name, cells) in enumerate(WORKED):
            if k == klass:
                ws.append([f"三({k})班", f"{sid}", name, *cells])
        wb.save(tmp_path / f"三({klass})班.xlsx")
    report = analyze_items([tmp_path], today=TODAY)
    assert report.problems.errors == []
    assert report.analysis is not None
    table = report.analysis.items
    for label, p, d in [("1", 0.6, 5 / 6), ("2", 3.8 / 6, 2 / 3), ("3", 0.58, 0.7), ("4", 0.5, -1)]:
        row = one(table, 题号=label)
        assert close(row["难度"], p) and close(row["区分度"], d)
    assert {(r["知识点"], int(r["班级"])) for _, r in report.analysis.suggestions.iterrows()} == {
        ("分数的意义", 2),
        ("应用题", 2),
    }


def test_filled_item_template_round_trip(tmp_path: Path) -> None:
    # The toolkit's own 小题分 template, filled as a teacher would (6 item columns, 4 used).
    from toolkit.render.templates.items import write_item_template

    template = tmp_path / "小题分.xlsx"
    write_item_template(str(template), SchoolConfig(), items=6)
    wb = openpyxl.load_workbook(template)
    ws = wb["小题分"]
    ws["B2"], ws["D2"], ws["F2"] = "数学", "期末", "三年级"
    for k, (_, full, point) in enumerate(ITEMS):
        ws.cell(4, 4 + k, full)
        ws.cell(5, 4 + k, point)
    for r, (klass, name, cells) in enumerate(WORKED):
        ws.cell(6 + r, 1, f"三({klass})班")
        ws.cell(6 + r, 3, name)
        for k, value in enumerate(cells):
            ws.cell(6 + r, 4 + k, value)
    ws.cell(16, 1, "三(2)班")
    ws.cell(16, 3, "缺考生")
    for k in range(len(ITEMS)):
        ws.cell(16, 4 + k, "缺考")
    wb.save(template)
    out = tmp_path / "试题分析.xlsx"
    assert main(["items", str(template), "-o", str(out), "--date", "2026-06-30", "-q"]) == 0
    report, frame = read_ledger_rows(tmp_path / "试题分析_建议薄弱点台账.xlsx")
    assert report.problems.errors == []
    deadline = dt.date(2026, 7, 14)
    _check_round_trip(
        frame,
        {
            (3, 2, "数学", "分数的意义", 0.44, 2, "待整改", TODAY, deadline, None),
            (3, 2, "数学", "应用题", round(29 / 60, 4), 3, "待整改", TODAY, deadline, None),
        },
    )
