"""Score metrics (DESIGN.md 口径) on small hand-built frames (toolkit.scores.metrics).

Every expected number is worked out in the test from the scores written in the test.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence

import pandas as pd
import pytest
from builders import SCHOOL, student

from toolkit.config.model import Lines, SchoolConfig, SubjectRule
from toolkit.scores.metrics import (
    SUMMARY_COLUMNS,
    class_summary,
    compare,
    critical_students,
    rank,
    score_bands,
    scored_marks,
    student_table,
)
from toolkit.scores.read import MARK_COLUMNS, STUDENT_COLUMNS

ABSENT = "缺考"

Score = float | str  # a number is a valid score; ABSENT is absent; any other text is invalid
Row = tuple[int, int, str, str, Mapping[str, Score]]  # 年级, 班级, 学号, 姓名, {学科: score}


def build(rows: Sequence[Row], config: SchoolConfig | None = None) -> tuple[pd.DataFrame, ...]:
    """``students`` (index ``sid``) and ``marks`` frames shaped like the reader's output."""
    config = config or SchoolConfig()
    students = []
    marks = []
    for sid, (grade, cls, student_id, name, scores) in enumerate(rows):
        students.append(
            student(grade, cls, student_id, name, file=f"{grade}.{cls}.xlsx", row=sid + 2)
        )
        for c, (subject, raw) in enumerate(scores.items()):
            if isinstance(raw, (int, float)):
                status, score = "valid", float(raw)
            elif raw == ABSENT:
                status, score = "absent", float("nan")
            else:
                status, score = "invalid", float("nan")
            problem = "score.invalid" if status == "invalid" else ""
            full = config.rule(grade, subject).full_mark
            marks.append(
                (
                    sid,
                    subject,
                    score,
                    status,
                    problem,
                    raw,
                    full,
                    "config",
                    f"{'CDEF'[c]}{sid + 2}",
                    "",
                )
            )
    student_frame = pd.DataFrame(students, columns=STUDENT_COLUMNS)
    student_frame.index.name = "sid"
    return student_frame, pd.DataFrame(marks, columns=MARK_COLUMNS)


def summarize(rows: Sequence[Row], config: SchoolConfig | None = None) -> pd.DataFrame:
    config = config or SchoolConfig()
    students, marks = build(rows, config)
    return class_summary(scored_marks(students, marks, config), config)


def one_class(grade: int, cls: int, subject: str, scores: Sequence[Score]) -> list[Row]:
    return [(grade, cls, "", f"{cls}班{i}号", {subject: s}) for i, s in enumerate(scores, 1)]


def row_of(summary: pd.DataFrame, cls: int | None, subject: str = "语文") -> pd.Series:
    """The summary row of class ``cls`` (None: the grade row)."""
    is_class = summary["班级"].isna() if cls is None else summary["班级"] == cls
    found = summary[is_class & (summary["学科"] == subject)]
    assert len(found) == 1
    return found.iloc[0]


# The example: grade 3 语文, class 1 has six scores and one 缺考, class 2 has four scores.
CLASS1 = [95, 90, 85, 60, 59, 30]
CLASS2 = [100, 80, 70, 55]
EXAMPLE = one_class(3, 1, "语文", [*CLASS1, ABSENT]) + one_class(3, 2, "语文", CLASS2)


# --------------------------------------------------------------------------------------------
# class_summary


def test_summary_layout() -> None:
    summary = summarize(EXAMPLE)
    assert list(summary.columns) == SUMMARY_COLUMNS
    # Classes first, then the grade row (班级 NA).
    assert summary["班级"].iloc[0] == 1
    assert summary["班级"].iloc[1] == 2
    assert pd.isna(summary["班级"].iloc[2])
    assert len(summary) == 3
    assert set(summary["学校"]) == {SCHOOL}
    assert set(summary["年级"]) == {3}
    assert set(summary["满分"]) == {100}


def test_class_counts_mean_extremes_and_sd() -> None:
    row = row_of(summarize(EXAMPLE), 1)
    assert (row["应考人数"], row["实考人数"], row["缺考人数"]) == (7, 6, 1)
    # 缺考 is excluded from the mean, never counted as 0.
    assert row["平均分"] == pytest.approx((95 + 90 + 85 + 60 + 59 + 30) / 6)
    assert (row["最高分"], row["最低分"]) == (95, 30)
    assert row["标准差"] == pytest.approx(statistics.pstdev(CLASS1))  # Excel STDEV.P

    row2 = row_of(summarize(EXAMPLE), 2)
    assert (row2["应考人数"], row2["实考人数"], row2["缺考人数"]) == (4, 4, 0)
    assert row2["平均分"] == pytest.approx((100 + 80 + 70 + 55) / 4)
    assert row2["标准差"] == pytest.approx(statistics.pstdev(CLASS2))


def test_class_line_counts_and_rates() -> None:
    summary = summarize(EXAMPLE)
    row = row_of(summary, 1)
    # 满分 100: 优秀 ≥ 90, 良好 ≥ 80, 及格 ≥ 60, 低分 < 40; rates over the 6 who sat.
    assert row["优秀人数"] == 2  # 95, 90
    assert row["良好人数"] == 3  # 95, 90, 85
    assert row["及格人数"] == 4  # 95, 90, 85, 60 (59 is not)
    assert row["低分人数"] == 1  # 30
    assert row["优秀率"] == pytest.approx(2 / 6)
    assert row["良好率"] == pytest.approx(3 / 6)
    assert row["及格率"] == pytest.approx(4 / 6)
    assert row["低分率"] == pytest.approx(1 / 6)

    row2 = row_of(summary, 2)
    assert (row2["优秀人数"], row2["良好人数"], row2["及格人数"], row2["低分人数"]) == (1, 2, 3, 0)
    assert row2["及格率"] == pytest.approx(3 / 4)


def test_above_mean_rate_uses_the_mean_of_all_the_grades_scores() -> None:
    summary = summarize(EXAMPLE)
    # Over all 10 valid scores, not the mean of the two class means.
    grade_mean = (95 + 90 + 85 + 60 + 59 + 30 + 100 + 80 + 70 + 55) / 10
    class1_mean = (95 + 90 + 85 + 60 + 59 + 30) / 6
    class2_mean = (100 + 80 + 70 + 55) / 4
    assert row_of(summary, 1)["超均率"] == pytest.approx((class1_mean - grade_mean) / grade_mean)
    assert row_of(summary, 2)["超均率"] == pytest.approx((class2_mean - grade_mean) / grade_mean)
    assert row_of(summary, 1)["超均率"] < 0 < row_of(summary, 2)["超均率"]


def test_composite_score_and_class_rank() -> None:
    summary = summarize(EXAMPLE)
    # 综合分 = 0.4·平均分/满分·100 + 0.3·及格率·100 + 0.3·优秀率·100
    class1 = 0.4 * ((95 + 90 + 85 + 60 + 59 + 30) / 6) / 100 * 100 + 0.3 * (4 / 6) * 100
    class1 += 0.3 * (2 / 6) * 100
    class2 = 0.4 * ((100 + 80 + 70 + 55) / 4) / 100 * 100 + 0.3 * (3 / 4) * 100
    class2 += 0.3 * (1 / 4) * 100
    assert row_of(summary, 1)["综合分"] == pytest.approx(class1)
    assert row_of(summary, 2)["综合分"] == pytest.approx(class2)
    assert class2 > class1
    assert (row_of(summary, 2)["名次"], row_of(summary, 1)["名次"]) == (1, 2)


def test_grade_row() -> None:
    row = row_of(summarize(EXAMPLE), None)
    every = [*CLASS1, *CLASS2]
    assert (row["应考人数"], row["实考人数"], row["缺考人数"]) == (7 + 4, 6 + 4, 1)
    assert row["平均分"] == pytest.approx(sum(every) / 10)
    assert (row["最高分"], row["最低分"]) == (100, 30)
    assert row["标准差"] == pytest.approx(statistics.pstdev(every))
    assert row["优秀人数"] == 3  # 95, 90, 100
    assert row["及格人数"] == 7  # 95, 90, 85, 60, 100, 80, 70
    assert row["优秀率"] == pytest.approx(3 / 10)
    assert row["及格率"] == pytest.approx(7 / 10)
    mean = sum(every) / 10
    assert row["综合分"] == pytest.approx(0.4 * mean + 0.3 * 0.7 * 100 + 0.3 * 0.3 * 100)
    assert math.isnan(row["超均率"])
    assert math.isnan(row["名次"])


def test_configured_weights() -> None:
    config = SchoolConfig(weights=(0.5, 0.3, 0.2))
    row = row_of(summarize(EXAMPLE, config), 2)
    mean = (100 + 80 + 70 + 55) / 4
    assert row["综合分"] == pytest.approx(0.5 * mean + 0.3 * (3 / 4) * 100 + 0.2 * (1 / 4) * 100)


# Classes whose 综合分 tie: A and B hold the same scores in another order.
TIED = (
    one_class(3, 1, "语文", [90, 50])  # A
    + one_class(3, 2, "语文", [50, 90])  # B, same as A
    + one_class(3, 3, "语文", [100, 100])  # C, best
    + one_class(3, 4, "语文", [40])  # D, worst
)


def test_class_rank_ties_share_the_lowest_rank() -> None:
    summary = summarize(TIED)
    ranks = {cls: row_of(summary, cls)["名次"] for cls in (1, 2, 3, 4)}
    assert ranks == {3: 1, 1: 2, 2: 2, 4: 4}  # RANK.EQ: 1, 2, 2, 4


def test_class_rank_dense() -> None:
    summary = summarize(TIED, SchoolConfig(dense_rank=True))
    ranks = {cls: row_of(summary, cls)["名次"] for cls in (1, 2, 3, 4)}
    assert ranks == {3: 1, 1: 2, 2: 2, 4: 3}  # 中国式: 1, 2, 2, 3


def test_classes_are_ranked_per_subject() -> None:
    rows = [
        (3, 1, "", "甲", {"语文": 90, "数学": 50}),
        (3, 2, "", "乙", {"语文": 50, "数学": 90}),
    ]
    summary = summarize(rows)
    assert (row_of(summary, 1, "语文")["名次"], row_of(summary, 2, "语文")["名次"]) == (1, 2)
    assert (row_of(summary, 1, "数学")["名次"], row_of(summary, 2, "数学")["名次"]) == (2, 1)
    # Subjects in school order: 语文 before 数学.
    assert list(dict.fromkeys(summary["学科"])) == ["语文", "数学"]


def test_120_mark_subject_from_config() -> None:
    config = SchoolConfig(rules={(7, "数学"): SubjectRule(120.0)})
    scores = [120, 108, 107.5, 96, 72, 71, 48, 47.5]
    rows = one_class(7, 1, "数学", scores) + one_class(3, 1, "数学", [90, 72])
    summary = summarize(rows, config)
    row = summary[(summary["年级"] == 7) & (summary["班级"] == 1)].iloc[0]
    assert row["满分"] == 120
    # Lines scale with 满分: 优秀 108, 良好 96, 及格 72, 低分 48.
    assert row["优秀人数"] == 2  # 120, 108
    assert row["良好人数"] == 4  # + 107.5, 96
    assert row["及格人数"] == 5  # + 72 (71 is not)
    assert row["低分人数"] == 1  # 47.5 (48 is not below 48)
    mean = sum(scores) / 8
    assert row["综合分"] == pytest.approx(
        0.4 * mean / 120 * 100 + 0.3 * (5 / 8) * 100 + 0.3 * (2 / 8) * 100
    )
    # The rule is grade 7's: grade 3 数学 stays at 满分 100, where 72 is 及格 and 90 优秀.
    primary = summary[(summary["年级"] == 3) & (summary["班级"] == 1)].iloc[0]
    assert primary["满分"] == 100
    assert (primary["优秀人数"], primary["及格人数"]) == (1, 2)


def test_configured_lines() -> None:
    config = SchoolConfig(rules={(None, "英语"): SubjectRule(100.0, Lines(excellent=0.85))})
    row = row_of(summarize(one_class(3, 1, "英语", [85, 84.5, 90]), config), 1, "英语")
    assert row["优秀人数"] == 2  # 85 and 90 reach the 85 line


# Regression (was a bug): lines are fraction × 满分 compared without tolerance; 及格线 55 (points,
# stored as 0.55) becomes 0.55*100 = 55.00000000000001, so a score of exactly 55 is not counted
# as 及格
@pytest.mark.parametrize(("full", "line"), [(100, 55), (120, 62), (150, 102)])
def test_score_exactly_on_a_configured_line_counts(full: int, line: int) -> None:
    # The config keeps a line in points as a fraction of 满分 (line / full).
    rule = SubjectRule(float(full), Lines(passing=line / full))
    config = SchoolConfig(rules={(None, "语文"): rule})
    row = row_of(summarize(one_class(3, 1, "语文", [line, line - 0.5]), config), 1)
    assert row["及格人数"] == 1  # the score on the line reaches it; half a point below does not
    table = critical(one_class(3, 1, "语文", [line - 5]), config)
    assert found(table, "拟合格") == {line - 5: 5}  # exactly the margin below the line


def test_absent_as_zero() -> None:
    summary = summarize(EXAMPLE, SchoolConfig(absent_as_zero=True))
    row = row_of(summary, 1)
    assert (row["应考人数"], row["实考人数"], row["缺考人数"]) == (7, 7, 0)
    assert row["平均分"] == pytest.approx((95 + 90 + 85 + 60 + 59 + 30 + 0) / 7)
    assert row["最低分"] == 0
    assert row["低分人数"] == 2  # 30 and the 0
    assert row["及格率"] == pytest.approx(4 / 7)


def test_invalid_mark_counts_as_listed_but_not_sat() -> None:
    row = row_of(summarize(one_class(3, 1, "语文", [80, "良", ABSENT])), 1)
    assert (row["应考人数"], row["实考人数"], row["缺考人数"]) == (3, 1, 1)
    assert row["平均分"] == 80


def test_class_with_nobody_sitting_has_no_rates() -> None:
    rows = one_class(3, 1, "语文", [ABSENT, ABSENT]) + one_class(3, 2, "语文", [80])
    row = row_of(summarize(rows), 1)
    assert (row["应考人数"], row["实考人数"], row["缺考人数"]) == (2, 0, 2)
    assert math.isnan(row["平均分"])
    assert math.isnan(row["及格率"])


# --------------------------------------------------------------------------------------------
# rank


def test_rank_eq_and_dense() -> None:
    values = pd.Series([90.0, 80.0, 80.0, 70.0])
    group = pd.Series(["a"] * 4)
    assert rank(values, group, dense=False).tolist() == [1, 2, 2, 4]
    assert rank(values, group, dense=True).tolist() == [1, 2, 2, 3]


def test_rank_within_groups_and_float_noise() -> None:
    values = pd.Series([0.1 + 0.2, 0.3, 5.0, 4.0])  # 0.1 + 0.2 = 0.30000000000000004
    group = pd.Series(["a", "a", "b", "b"])
    assert rank(values, group, dense=False).tolist() == [1, 1, 1, 2]


def test_rank_leaves_missing_values_unranked() -> None:
    values = pd.Series([90.0, float("nan"), 80.0])
    ranked = rank(values, pd.Series(["a"] * 3), dense=False)
    assert ranked[0] == 1
    assert math.isnan(ranked[1])
    assert ranked[2] == 2


# --------------------------------------------------------------------------------------------
# student_table

STUDENTS: list[Row] = [
    (3, 1, "301", "甲", {"语文": 100, "数学": 90}),  # 190
    (3, 1, "302", "乙", {"语文": 90, "数学": 90}),  # 180
    (3, 1, "303", "丙", {"语文": 95, "数学": 85}),  # 180
    (3, 1, "304", "丁", {"语文": 85, "数学": 85}),  # 170
    (3, 1, "305", "戊", {"语文": ABSENT, "数学": 99}),  # 99, missed 语文
    (3, 2, "306", "己", {"语文": 95, "数学": 100}),  # 195
    (3, 2, "307", "庚", {"语文": 80, "数学": 100}),  # 180
]


def students_of(rows: Sequence[Row], config: SchoolConfig) -> tuple[pd.DataFrame, list[str]]:
    students, marks = build(rows, config)
    return student_table(students, scored_marks(students, marks, config), config)


def by_name(table: pd.DataFrame, column: str) -> dict[str, float]:
    return dict(zip(table["姓名"], table[column], strict=True))


def test_student_totals() -> None:
    table, subjects = students_of(STUDENTS, SchoolConfig())
    assert subjects == ["语文", "数学"]
    totals = by_name(table, "总分")
    assert totals == {
        "甲": 100 + 90,
        "乙": 90 + 90,
        "丙": 95 + 85,
        "丁": 85 + 85,
        "戊": 99,  # the subjects sat
        "己": 95 + 100,
        "庚": 80 + 100,
    }
    assert by_name(table, "语文")["甲"] == 100
    assert math.isnan(by_name(table, "语文")["戊"])
    assert by_name(table, "缺考科目")["戊"] == "语文"
    assert by_name(table, "缺考科目")["甲"] == ""


# Pupils are ranked only where 学生排名 says so (grades 1–9 default to 不排名).
RANKED = {0: "排名"}


def test_student_ranks_rank_eq() -> None:
    table, _ = students_of(STUDENTS, SchoolConfig(student_ranking=RANKED))
    in_class = by_name(table, "班级名次")
    # Class 1 totals 190, 180, 180, 170 → 1, 2, 2, 4; class 2: 195, 180 → 1, 2.
    assert [in_class[n] for n in ("甲", "乙", "丙", "丁", "己", "庚")] == [1, 2, 2, 4, 1, 2]
    in_grade = by_name(table, "年级名次")
    # Grade: 195, 190, 180, 180, 180, 170 → 1, 2, 3, 3, 3, 6.
    assert [in_grade[n] for n in ("己", "甲", "乙", "丙", "庚", "丁")] == [1, 2, 3, 3, 3, 6]
    # A student who missed a subject has a total but no rank.
    assert math.isnan(in_class["戊"])
    assert math.isnan(in_grade["戊"])


def test_student_ranks_dense() -> None:
    table, _ = students_of(STUDENTS, SchoolConfig(dense_rank=True, student_ranking=RANKED))
    in_class = by_name(table, "班级名次")
    assert [in_class[n] for n in ("甲", "乙", "丙", "丁")] == [1, 2, 2, 3]
    in_grade = by_name(table, "年级名次")
    assert [in_grade[n] for n in ("己", "甲", "乙", "丙", "庚", "丁")] == [1, 2, 3, 3, 3, 4]
    assert math.isnan(in_grade["戊"])


def test_student_table_is_sorted_by_class_then_grade_rank() -> None:
    table, _ = students_of(STUDENTS, SchoolConfig(student_ranking=RANKED))
    assert table["姓名"].tolist() == ["甲", "乙", "丙", "丁", "戊", "己", "庚"]
    assert table.index.name == "sid"


def test_students_ranked_within_their_own_grade() -> None:
    rows: list[Row] = [
        (3, 1, "", "甲", {"语文": 80}),
        (4, 1, "", "乙", {"语文": 90}),
    ]
    table, _ = students_of(rows, SchoolConfig(student_ranking={3: "内部", 4: "排名"}))
    assert by_name(table, "年级名次") == {"甲": 1, "乙": 1}


def test_compulsory_grades_rank_no_pupil_by_default() -> None:
    rows: list[Row] = [
        (3, 1, "", "甲", {"语文": 80}),
        (3, 1, "", "乙", {"语文": 90}),
        (10, 1, "", "丙", {"语文": 70}),
        (10, 1, "", "丁", {"语文": 75}),
    ]
    table, _ = students_of(rows, SchoolConfig())
    # Grade 3 (compulsory): 不排名, no rank at all; grade 10 (高一): 排名.
    assert math.isnan(by_name(table, "年级名次")["甲"])
    assert math.isnan(by_name(table, "班级名次")["乙"])
    assert by_name(table, "年级名次")["丁"] == 1
    assert by_name(table, "年级名次")["丙"] == 2
    # A grade set to 不排名 over a 排名 default for all.
    config = SchoolConfig(student_ranking={0: "排名", 10: "不排名"})
    table, _ = students_of(rows, config)
    assert by_name(table, "年级名次")["乙"] == 1
    assert math.isnan(by_name(table, "年级名次")["丁"])


# --------------------------------------------------------------------------------------------
# score_bands

BANDS_100 = [f"{low}~{low + 10}" for low in range(90, -1, -10)]  # 90~100 … 0~10


def bands(rows: Sequence[Row], config: SchoolConfig | None = None) -> pd.DataFrame:
    config = config or SchoolConfig()
    students, marks = build(rows, config)
    return score_bands(scored_marks(students, marks, config), config)


def test_score_bands_columns_and_counts() -> None:
    table = bands(EXAMPLE)
    assert list(table.columns) == ["学校", "年级", "班级", "学科", "实考人数", *BANDS_100]
    class1 = row_of(table, 1)
    # 95, 90 | 85 | 60 | 59 | 30; the 缺考 is not in any band.
    expected1 = dict.fromkeys(BANDS_100, 0) | {
        "90~100": 2,
        "80~90": 1,
        "60~70": 1,
        "50~60": 1,
        "30~40": 1,
    }
    assert class1[BANDS_100].to_dict() == expected1
    assert class1["实考人数"] == 6 == sum(expected1.values())
    class2 = row_of(table, 2)
    # 100 is in the top band "90~100"; each band includes its lower bound (80 in 80~90).
    expected2 = dict.fromkeys(BANDS_100, 0) | {"90~100": 1, "80~90": 1, "70~80": 1, "50~60": 1}
    assert class2[BANDS_100].to_dict() == expected2
    assert class2["实考人数"] == 4


def test_score_bands_grade_row_adds_the_classes() -> None:
    table = bands(EXAMPLE)
    grade = row_of(table, None)
    assert grade["实考人数"] == 6 + 4
    assert grade["90~100"] == 2 + 1
    assert grade["50~60"] == 1 + 1
    assert grade["10~20"] == 0


def test_score_bands_for_120() -> None:
    config = SchoolConfig(rules={(None, "数学"): SubjectRule(120.0)})
    table = bands(one_class(7, 1, "数学", [120, 110, 109.5, 0]), config)
    labels = [f"{low}~{low + 10}" for low in range(110, -1, -10)]  # 110~120 … 0~10
    assert list(table.columns)[5:] == labels
    row = row_of(table, 1, "数学")
    assert (row["110~120"], row["100~110"], row["0~10"]) == (2, 1, 1)
    assert row["实考人数"] == 4


def test_score_bands_width_from_config() -> None:
    table = bands(EXAMPLE, SchoolConfig(band_width=20))
    labels = ["80~100", "60~80", "40~60", "20~40", "0~20"]
    assert list(table.columns)[5:] == labels
    class1 = row_of(table, 1)
    assert class1[labels].tolist() == [3, 1, 1, 1, 0]  # 95 90 85 | 60 | 59 | 30


def test_score_bands_agree_with_the_summary() -> None:
    table = bands(EXAMPLE)
    summary = summarize(EXAMPLE)
    for cls in (1, 2, None):
        assert row_of(table, cls)[BANDS_100].sum() == row_of(summary, cls)["实考人数"]


# Regression (was a bug): a class whose students were all absent in a subject is in
# class_summary (实考人数 0) but has no row at all in score_bands, since bands pivot valid marks
# only
def test_score_bands_keep_a_class_with_nobody_sitting() -> None:
    rows = one_class(3, 1, "语文", [ABSENT, ABSENT]) + one_class(3, 2, "语文", [90])
    row = row_of(bands(rows), 1)
    assert row["实考人数"] == 0
    assert row[BANDS_100].tolist() == [0] * 10


# --------------------------------------------------------------------------------------------
# critical_students


def critical(rows: Sequence[Row], config: SchoolConfig | None = None) -> pd.DataFrame:
    config = config or SchoolConfig()
    students, marks = build(rows, config)
    return critical_students(scored_marks(students, marks, config), students, config)


def found(table: pd.DataFrame, kind: str) -> dict[float, float]:
    """score → gap of the students listed as ``kind``."""
    part = table[table["类别"] == kind]
    return dict(zip(part["分数"], part["差距"], strict=True))


CRITICAL = one_class(3, 1, "语文", [58, 56, 55, 54.5, 60, 30, 86, 85, 84.5, 90, ABSENT])


def test_critical_students_default_margin() -> None:
    table = critical(CRITICAL)
    # 及格线 60, 优秀线 90, within 5 points below (the line itself is already reached).
    assert found(table, "拟合格") == {58: 60 - 58, 56: 60 - 56, 55: 60 - 55}
    assert found(table, "拟优") == {86: 90 - 86, 85: 90 - 85}
    assert set(table.loc[table["类别"] == "拟合格", "分数线"]) == {60}
    assert set(table.loc[table["类别"] == "拟优", "分数线"]) == {90}
    assert list(table.columns) == [
        "学校", "年级", "班级", "学号", "姓名", "学科", "类别", "分数", "分数线", "差距",
    ]  # fmt: skip
    first = table[table["分数"] == 58].iloc[0]
    assert (first["姓名"], first["班级"], first["学科"]) == ("1班1号", 1, "语文")


def test_critical_students_configured_margin() -> None:
    table = critical(CRITICAL, SchoolConfig(critical_margin=3))
    assert found(table, "拟合格") == {58: 2}
    assert found(table, "拟优") == {}


def test_critical_students_on_120() -> None:
    config = SchoolConfig(rules={(None, "数学"): SubjectRule(120.0)})
    table = critical(one_class(7, 1, "数学", [68, 67, 66.5, 72, 104, 108]), config)
    assert found(table, "拟合格") == {68: 72 - 68, 67: 72 - 67}  # 及格线 0.6 × 120 = 72
    assert found(table, "拟优") == {104: 108 - 104}  # 优秀线 0.9 × 120 = 108


# --------------------------------------------------------------------------------------------
# compare (进退步)


def ranked(rows: Sequence[tuple[int, str, str, float]]) -> pd.DataFrame:
    """A student table with only what compare needs: (班级, 学号, 姓名, 年级名次)."""
    frame = pd.DataFrame(
        [(SCHOOL, 3, cls, sid, name, place) for cls, sid, name, place in rows],
        columns=["学校", "年级", "班级", "学号", "姓名", "年级名次"],
    )
    frame.index.name = "sid"
    return frame


def test_compare_matches_by_id_then_by_class_and_name() -> None:
    current = ranked(
        [
            (1, "301", "张三", 1),
            (1, "302", "李四", 2),
            (1, "", "王五", 3),  # no 学号: matched by 班级+姓名
            (2, "", "赵六", 4),  # new student
        ]
    )
    previous = ranked(
        [
            (2, "302", "李四", 1),  # moved class: still matched by 学号
            (1, "301", "张三", 3),
            (2, "", "王五", 5),  # another 王五, in class 2: not ours
            (1, "", "王五", 2),
            (1, "303", "孙七", 4),  # left
        ]
    )
    summary = summarize(EXAMPLE)
    progress = compare(current, previous, summary, summary)
    moved = progress.students
    # 进退步 = previous grade rank − current grade rank (positive = moved up).
    assert moved.loc[0, "进退步"] == 3 - 1  # 张三
    assert moved.loc[1, "进退步"] == 1 - 2  # 李四
    assert moved.loc[2, "进退步"] == 2 - 3  # 王五 of class 1
    assert moved.loc[2, "上次年级名次"] == 2
    assert 3 not in moved.index  # 赵六 has no previous rank
    assert progress.unmatched == 5 - 3  # the other 王五 and 孙七


def test_compare_class_changes() -> None:
    previous = summarize(one_class(3, 1, "语文", [80, 60]) + one_class(3, 2, "语文", [90, 70]))
    current = summarize(one_class(3, 1, "语文", [90, 70]) + one_class(3, 2, "语文", [90, 70]))
    progress = compare(ranked([]), ranked([]), current, previous)
    classes = progress.classes
    class1 = classes[(classes["班级"] == 1) & (classes["学科"] == "语文")].iloc[0]
    assert class1["上次平均分"] == pytest.approx((80 + 60) / 2)
    assert class1["平均分变化"] == pytest.approx((90 + 70) / 2 - (80 + 60) / 2)
    assert class1["优秀率变化"] == pytest.approx(1 / 2 - 0 / 2)
    # Previously 2nd of 2 classes (class 2 was better), now tied 1st: +1, progress.
    assert (class1["上次名次"], class1["名次变化"]) == (2, 2 - 1)
    class2 = classes[(classes["班级"] == 2) & (classes["学科"] == "语文")].iloc[0]
    assert class2["平均分变化"] == 0


# --------------------------------------------------------------------------------------------
# care_students (关爱学生)


def test_care_students_are_the_lowest_share_of_each_class_and_subject() -> None:
    from toolkit.scores.metrics import care_students

    # 语文 of class 1: 实考 7 (one 缺考), 20% → ceil(1.4) = 2 places: 40 and the two 55s tied for
    # the second place; class 2: 实考 3 → ceil(0.6) = 1 place: 70.
    rows: list[Row] = [
        (3, 1, "01", "甲", {"语文": 90}),
        (3, 1, "02", "乙", {"语文": 55}),
        (3, 1, "03", "丙", {"语文": 40}),
        (3, 1, "04", "丁", {"语文": 55}),
        (3, 1, "05", "戊", {"语文": 88}),
        (3, 1, "06", "己", {"语文": 76}),
        (3, 1, "07", "庚", {"语文": 60}),
        (3, 1, "08", "辛", {"语文": "缺考"}),
        (3, 2, "11", "壬", {"语文": 70}),
        (3, 2, "12", "癸", {"语文": 80}),
        (3, 2, "13", "子", {"语文": 95}),
    ]
    config = SchoolConfig()
    students, marks = build(rows, config)
    care = care_students(scored_marks(students, marks, config), students, config)
    listed = list(zip(care["班级"], care["姓名"], care["分数"], strict=True))
    assert listed == [(1, "乙", 55), (1, "丙", 40), (1, "丁", 55), (2, "壬", 70)]  # by 学号
    half = care_students(
        scored_marks(students, marks, config), students, SchoolConfig(bottom_share=0.5)
    )
    assert sorted(half.loc[half["班级"] == 1, "姓名"]) == sorted(["乙", "丙", "丁", "庚"])
