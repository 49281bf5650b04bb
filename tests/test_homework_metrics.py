"""作业检查 figures (issue 4) against hand-worked numbers and a second, plain-Python computation.

Record frames are typed as the reader makes them: dates datetime64, 年级/班级 and counts
``Int64``, yes/no ``boolean`` (with ``pd.NA`` for unknown), decimals float, text or None.
Expected values are literal numbers worked out in the comments, or come from plain loops over
the rows, never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from toolkit.config.model import SchoolConfig
from toolkit.homework.metrics import summarise
from toolkit.kinds.report import analyze_records
from toolkit.records.period import Period

MARKS = ("有批", "有改", "有评", "有追踪", "错题再学习")
KINDS = ("基础巩固", "能力提升", "实践探究")
COLUMNS = [
    "检查日期", "年级", "班级", "学科", "任课教师", "布置次数", *KINDS, "日均时长", *MARKS,
    "得分", "等级", "存在问题", "整改要求", "检查人",
]  # fmt: skip
META = ["文件", "工作表", "行", "表", "问题"]
DEFAULT_LIMITS = {1: 0, 2: 0, 3: 60, 4: 60, 5: 60, 6: 60, 7: 90, 8: 90, 9: 90}


def hw(
    date: str,
    grade: int,
    cls: int,
    subject: str = "数学",
    teacher: str = "王丽",
    *,
    n: int | None = 10,
    kinds: tuple[Any, Any, Any] = (6, 3, 1),
    minutes: float = 40.0,
    marks: tuple[Any, ...] = (True, True, True, True, True),
    score: float = 90.0,
    level: str | None = "优秀",
    problem: str | None = None,
    demand: str | None = None,
    checker: str | None = "李明",
) -> dict[str, Any]:
    """One inspection as a plain dict (``pd.NA`` in ``marks`` for an unknown yes/no)."""
    return {
        "检查日期": pd.Timestamp(date),
        "年级": grade,
        "班级": cls,
        "学科": subject,
        "任课教师": teacher,
        "布置次数": n,
        **dict(zip(KINDS, kinds, strict=True)),
        "日均时长": minutes,
        **dict(zip(MARKS, marks, strict=True)),
        "得分": score,
        "等级": level,
        "存在问题": problem,
        "整改要求": demand,
        "检查人": checker,
    }


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows typed like ``table.valid`` of the homework reader."""
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["检查日期"] = pd.to_datetime(df["检查日期"])
    for c in ("年级", "班级", "布置次数", *KINDS):
        df[c] = df[c].astype("Int64")
    for c in MARKS:
        df[c] = df[c].astype("boolean")
    for c in ("日均时长", "得分"):
        df[c] = df[c].astype("float64")
    for c in ("学科", "任课教师", "等级", "存在问题", "整改要求", "检查人"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    df["文件"] = "作业检查.xlsx"
    df["工作表"] = "Sheet1"
    df["行"] = range(3, 3 + len(df))
    df["表"] = 0
    df["问题"] = ""
    return df


def run(rows: list[dict[str, Any]], config: SchoolConfig | None = None, month: str | None = None):
    return summarise(frame(rows), config or SchoolConfig(), Period.of(month))


def row(table: pd.DataFrame, grade: int | None, cls: int | None, key: str = "班级") -> pd.Series:
    """The one row of a rollup for (年级, ``key``); None selects the grade / school row."""
    g = table["年级"].isna() if grade is None else table["年级"] == grade
    c = table[key].isna() if cls is None else table[key] == cls
    found = table[g & c]
    assert len(found) == 1, (grade, cls, found)
    return found.iloc[0]


def keys(table: pd.DataFrame, key: str = "班级") -> list[tuple[Any, Any]]:
    return [
        (None if pd.isna(g) else int(g), None if pd.isna(c) else c)
        for g, c in zip(table["年级"], table[key], strict=True)
    ]


# --------------------------------------------------------------------------- class / grade rows


def test_class_grade_and_school_rows_are_measured_from_the_records() -> None:
    rows = [
        # 三(1)班: three inspections
        hw("2026-03-10", 3, 1, n=10, minutes=40, score=90, level="优秀"),
        hw("2026-03-11", 3, 1, n=12, minutes=50, score=80, level="良好"),
        hw("2026-03-12", 3, 1, n=8, minutes=60, score=70, level="合格"),
        # 三(2)班: one
        hw("2026-03-13", 3, 2, n=20, minutes=30, score=50, level="待改进"),
        # 四(1)班: one
        hw("2026-03-14", 4, 1, n=5, minutes=20, score=100, level="优秀"),
    ]
    classes = run(rows).classes
    assert keys(classes) == [(3, 1), (3, 2), (3, None), (4, 1), (4, None), (None, None)]

    c31 = row(classes, 3, 1)
    assert c31["检查次数"] == 3
    assert c31["布置次数"] == 30  # 10 + 12 + 8
    assert c31["平均得分"] == pytest.approx(80)  # (90 + 80 + 70) / 3
    assert c31["最低得分"] == 70
    assert c31["日均时长"] == pytest.approx(50)  # (40 + 50 + 60) / 3
    assert (c31["优秀数"], c31["良好数"], c31["合格数"], c31["待改进数"]) == (1, 1, 1, 0)

    grade3 = row(classes, 3, None)
    assert grade3["检查次数"] == 4
    assert grade3["布置次数"] == 50  # 30 + 20
    # From the four records: (90 + 80 + 70 + 50) / 4 = 72.5; the mean of the class rows,
    # (80 + 50) / 2 = 65, would be wrong.
    assert grade3["平均得分"] == pytest.approx(72.5)
    # (40 + 50 + 60 + 30) / 4 = 45, not (50 + 30) / 2 = 40.
    assert grade3["日均时长"] == pytest.approx(45)
    assert grade3["最低得分"] == 50
    assert (grade3["优秀数"], grade3["良好数"], grade3["合格数"], grade3["待改进数"]) == (
        1,
        1,
        1,
        1,
    )

    school = row(classes, None, None)
    assert school["检查次数"] == 5
    assert school["布置次数"] == 55
    assert school["平均得分"] == pytest.approx(78)  # (290 + 100) / 5
    assert school["日均时长"] == pytest.approx(40)  # (180 + 20) / 5
    assert school["最低得分"] == 50
    assert school["优秀数"] == 2


def test_kind_mix_counts_and_shares_when_they_do_not_add_up_to_布置次数() -> None:
    rows = [
        hw("2026-03-10", 3, 1, n=10, kinds=(5, 3, 1)),  # kinds add up to 9, not 10
        hw("2026-03-20", 3, 1, n=6, kinds=(4, 2, 2)),  # 8, not 6
    ]
    c = row(run(rows).classes, 3, 1)
    assert c["布置次数"] == 16
    assert (c["基础巩固"], c["能力提升"], c["实践探究"]) == (9, 5, 3)
    # The mix is a share of the three kinds' total (9 + 5 + 3 = 17), so it adds up to 100%
    # even when a teacher's kinds do not add up to 布置次数 (that is a warning on reading).
    assert c["基础巩固占比"] == pytest.approx(9 / 17)
    assert c["能力提升占比"] == pytest.approx(5 / 17)
    assert c["实践探究占比"] == pytest.approx(3 / 17)
    assert c["基础巩固占比"] + c["能力提升占比"] + c["实践探究占比"] == pytest.approx(1)


def test_kind_shares_are_missing_when_no_homework_of_any_kind() -> None:
    c = row(run([hw("2026-03-10", 1, 1, n=0, kinds=(0, 0, 0), minutes=0)]).classes, 1, 1)
    assert c["布置次数"] == 0
    assert math.isnan(c["基础巩固占比"])  # 0 / 0: no rate, not 0%


def test_unknown_yes_no_is_left_out_of_the_rate() -> None:
    na = pd.NA
    rows = [
        #                         有批   有改  有评   有追踪 错题再学习
        hw("2026-03-10", 3, 1, marks=(True, na, True, False, na)),
        hw("2026-03-11", 3, 1, marks=(na, na, True, False, na)),
        hw("2026-03-12", 3, 1, marks=(False, na, False, True, na)),
        hw("2026-03-13", 3, 2, marks=(True, True, na, na, na)),
    ]
    classes = run(rows).classes
    c31 = row(classes, 3, 1)
    assert c31["有批率"] == pytest.approx(1 / 2)  # T, F known; the NA is not a "no"
    assert math.isnan(c31["有改率"])  # nothing known: no rate
    assert c31["有评率"] == pytest.approx(2 / 3)
    assert c31["有追踪率"] == pytest.approx(1 / 3)
    assert math.isnan(c31["错题再学习率"])
    grade = row(classes, 3, None)
    assert grade["有批率"] == pytest.approx(2 / 3)  # T, F, T known of four
    assert grade["有改率"] == pytest.approx(1)  # only 三(2)班 known
    assert grade["有评率"] == pytest.approx(2 / 3)  # T, T, F
    assert grade["有追踪率"] == pytest.approx(1 / 3)  # F, F, T
    assert math.isnan(grade["错题再学习率"])


# --------------------------------------------------------------------------- time limits


def test_over_limit_with_the_default_limits() -> None:
    rows = [
        hw("2026-03-10", 1, 1, minutes=0),  # grade 1: limit 0, 0 is fine
        hw("2026-03-11", 1, 1, minutes=10),  # written homework in grade 1: 10 over
        hw("2026-03-12", 3, 2, minutes=60),  # exactly the limit: fine
        hw("2026-03-13", 3, 2, minutes=61),  # 1 over
        hw("2026-03-09", 3, 1, minutes=75.5),  # 15.5 over
        hw("2026-03-14", 10, 1, minutes=200),  # senior high: no limit
    ]
    summary = run(rows)
    over = summary.over_limit
    got = [
        (int(r.年级), int(r.班级), r.检查日期.date(), r.日均时长, r.时长上限, r.超出分钟)
        for r in over.itertuples()
    ]
    assert got == [
        (1, 1, dt.date(2026, 3, 11), 10.0, 0.0, 10.0),
        (3, 1, dt.date(2026, 3, 9), 75.5, 60.0, 15.5),
        (3, 2, dt.date(2026, 3, 13), 61.0, 60.0, 1.0),
    ]
    assert list(over["任课教师"]) == ["王丽"] * 3
    classes = summary.classes
    assert row(classes, 1, 1)["超时记录数"] == 1
    assert row(classes, 3, 2)["超时记录数"] == 1
    assert row(classes, 3, None)["超时记录数"] == 2
    assert row(classes, 10, 1)["超时记录数"] == 0
    assert row(classes, None, None)["超时记录数"] == 3


def test_over_limit_follows_the_config() -> None:
    # 参数: grade 3 at 45 minutes, grade 1 at 20, grade 2 without a limit (不限).
    limits = {**DEFAULT_LIMITS, 3: 45, 1: 20}
    del limits[2]
    config = SchoolConfig(homework_minutes=limits)
    rows = [
        hw("2026-03-10", 3, 1, minutes=50),  # over 45 by 5 (fine under the default 60)
        hw("2026-03-11", 3, 1, minutes=45),  # exactly 45: fine
        hw("2026-03-12", 1, 1, minutes=10),  # under 20 (over the default 0)
        hw("2026-03-13", 1, 1, minutes=25),  # over 20 by 5
        hw("2026-03-14", 2, 1, minutes=30),  # no limit
    ]
    over = run(rows, config).over_limit
    got = [(int(r.年级), r.日均时长, r.时长上限, r.超出分钟) for r in over.itertuples()]
    assert got == [(1, 25.0, 20.0, 5.0), (3, 50.0, 45.0, 5.0)]


# --------------------------------------------------------------------------- months


def test_no_trend_with_a_single_month() -> None:
    rows = [hw("2026-03-10", 3, 1), hw("2026-03-25", 3, 2)]
    assert run(rows).months is None
    assert run(rows, month="2026-03").months is None


def test_trend_across_months_per_grade_and_school() -> None:
    rows = [
        hw("2026-03-10", 3, 1, score=90),
        hw("2026-03-11", 3, 2, score=70),
        hw("2026-04-10", 3, 1, score=60),
        hw("2026-04-12", 4, 1, score=100),
    ]
    months = run(rows).months
    assert months is not None
    got = [
        (None if pd.isna(g) else int(g), m, int(n), s)
        for g, m, n, s in zip(
            months["年级"], months["月份"], months["检查次数"], months["平均得分"], strict=True
        )
    ]
    assert got == [
        (3, "2026-03", 2, 80.0),  # (90 + 70) / 2
        (3, "2026-04", 1, 60.0),
        (4, "2026-04", 1, 100.0),
        (None, "2026-03", 2, 80.0),
        (None, "2026-04", 2, 80.0),  # (60 + 100) / 2
    ]


def test_month_filters_the_tables_and_the_trend_runs_term_to_date() -> None:
    rows = [
        hw("2026-03-10", 3, 1, score=90),
        hw("2026-04-01", 3, 1, score=70, problem="订正不及时"),
        hw("2026-04-30", 3, 1, score=80),
        hw("2026-05-02", 3, 1, score=10, problem="五月的问题"),
    ]
    summary = run(rows, month="2026-04")
    assert len(summary.records) == 2
    school = row(summary.classes, None, None)
    assert school["检查次数"] == 2
    assert school["平均得分"] == pytest.approx(75)  # (70 + 80) / 2
    assert list(summary.issues["存在问题"]) == ["订正不及时"]
    assert summary.low_scores["最低得分"].tolist() == [70.0]
    # The trend runs from the first record to the end of April: March and April, not May.
    assert summary.months is not None
    school_trend = summary.months[summary.months["年级"].isna()]
    assert school_trend["月份"].tolist() == ["2026-03", "2026-04"]
    assert school_trend["检查次数"].tolist() == [1, 2]
    assert len(summary.used) == 3  # counted somewhere: March (trend) and April

    march = run(rows, month="2026-03")
    assert march.months is None  # only March up to its end
    assert len(march.records) == len(march.used) == 1


def test_a_month_without_inspections_is_a_message_not_a_report(tmp_path: Path) -> None:
    # (summarise itself raises a TypeError in _teachers for such a month; analyze_records
    # stops before it.)
    path = tmp_path / "三年级作业检查.xlsx"
    _write_homework_workbook(path)
    report = analyze_records("homework", [path], month="2026-05", skip_invalid=True)
    assert report.summary is None
    assert "2026-03、2026-04" in report.nothing_in_period


def test_row_totals_of_a_month_without_inspections(tmp_path: Path) -> None:
    path = tmp_path / "三年级作业检查.xlsx"
    _write_homework_workbook(path)
    report = analyze_records("homework", [path], month="2026-05", skip_invalid=True)
    # three valid rows, all in March or April; the error row and the 合计 row are skipped
    assert report.row_totals() == {"读取": 5, "计入": 0, "跳过": 2, "不在范围": 3}


# --------------------------------------------------------------------------- lists


def test_issues_list_with_teacher_and_class_and_formula_like_text_kept() -> None:
    rows = [
        hw("2026-03-20", 4, 2, "语文", "张三", problem='=HYPERLINK("http://x","点")'),
        hw("2026-03-10", 3, 1, "数学", "王丽", problem="个别学生订正不及时", demand="每日跟踪"),
        hw("2026-03-11", 3, 2, problem="   "),  # blank: not an issue
        hw("2026-03-12", 3, 2, problem=None),
        hw("2026-03-10", 3, 2, "英语", "孙七", problem="-3 人未交", score=60),
    ]
    issues = run(rows).issues
    got = [
        (r.检查日期.date(), int(r.年级), int(r.班级), r.学科, r.任课教师, r.存在问题)
        for r in issues.itertuples()
    ]
    assert got == [
        (dt.date(2026, 3, 10), 3, 1, "数学", "王丽", "个别学生订正不及时"),
        (dt.date(2026, 3, 10), 3, 2, "英语", "孙七", "-3 人未交"),
        (dt.date(2026, 3, 20), 4, 2, "语文", "张三", '=HYPERLINK("http://x","点")'),
    ]
    assert isinstance(issues.loc[2, "存在问题"], str)
    assert issues.loc[0, "整改要求"] == "每日跟踪"
    assert issues.loc[1, "得分"] == 60


def _low_rows() -> list[dict[str, Any]]:
    return [
        hw("2026-03-10", 3, 1, "数学", "王丽", score=85),
        hw("2026-03-11", 3, 2, "数学", "王丽", score=79, problem="批改不及时"),
        hw("2026-03-12", 3, 1, "语文", "张三", score=80),  # on the line: not below
        hw("2026-03-13", 4, 1, "英语", "李四", score=88, problem="缺少评语"),
        hw("2026-03-14", 4, 1, "英语", "李四", score=95),
    ]


def test_low_scores_below_the_default_line() -> None:
    summary = run(_low_rows())
    assert summary.alert_score == 80
    low = summary.low_scores
    assert low["任课教师"].tolist() == ["王丽"]
    r = low.iloc[0]
    assert r["学科"] == "数学"
    assert r["任教班级"] == "三(1)班、三(2)班"
    assert r["检查次数"] == 2
    assert r["低于预警分次数"] == 1
    assert r["平均得分"] == pytest.approx(82)  # (85 + 79) / 2
    assert r["最低得分"] == 79
    assert r["存在问题"] == "批改不及时"


def test_low_scores_follow_the_configured_line() -> None:
    summary = run(_low_rows(), SchoolConfig(homework_alert_score=90))
    assert summary.alert_score == 90
    low = summary.low_scores
    # lowest first: 王丽 79, 张三 80, 李四 88
    assert low["任课教师"].tolist() == ["王丽", "张三", "李四"]
    assert low["低于预警分次数"].tolist() == [2, 1, 1]
    assert low["最低得分"].tolist() == [79.0, 80.0, 88.0]
    assert low["平均得分"].tolist() == pytest.approx([82.0, 80.0, 91.5])
    assert low["存在问题"].tolist() == ["批改不及时", "", "缺少评语"]
    assert run(_low_rows(), SchoolConfig(homework_alert_score=79)).low_scores.empty


# --------------------------------------------------------------------------- teachers, subjects


def test_teachers_table_per_teacher_and_subject() -> None:
    na = pd.NA
    rows = [
        hw("2026-03-10", 3, 2, "数学", "王丽", n=10, score=90, marks=(True,) * 5),
        hw("2026-03-11", 3, 1, "数学", "王丽", n=8, score=70, marks=(False, na, True, True, True)),
        hw("2026-03-12", 3, 1, "科学", "王丽", n=4, score=88),
        hw("2026-03-12", 3, 1, "语文", "张三", n=6, score=76, minutes=65),
    ]
    teachers = run(rows).teachers
    # school order of subjects: 语文, 数学, 科学
    assert list(zip(teachers["任课教师"], teachers["学科"], strict=True)) == [
        ("张三", "语文"),
        ("王丽", "数学"),
        ("王丽", "科学"),
    ]
    wang = teachers.iloc[1]
    assert wang["任教班级"] == "三(1)班、三(2)班"
    assert wang["检查次数"] == 2
    assert wang["布置次数"] == 18
    assert wang["平均得分"] == pytest.approx(80)
    assert wang["有批率"] == pytest.approx(0.5)
    assert wang["有改率"] == pytest.approx(1)  # one known
    assert teachers.iloc[0]["超时记录数"] == 1


def test_subjects_table_per_grade_in_school_order() -> None:
    rows = [
        hw("2026-03-10", 3, 1, "英语", score=60),
        hw("2026-03-10", 3, 2, "数学", score=70),
        hw("2026-03-10", 3, 1, "数学", score=90),
        hw("2026-03-10", 3, 1, "语文", score=100),
        hw("2026-03-10", 4, 1, "数学", score=50),
    ]
    subjects = run(rows).subjects
    assert keys(subjects, "学科") == [
        (3, "语文"),
        (3, "数学"),
        (3, "英语"),
        (3, None),
        (4, "数学"),
        (4, None),
        (None, None),
    ]
    assert row(subjects, 3, "数学", "学科")["平均得分"] == pytest.approx(80)
    assert row(subjects, 3, None, "学科")["平均得分"] == pytest.approx(80)  # 320 / 4
    assert row(subjects, None, None, "学科")["平均得分"] == pytest.approx(74)  # 370 / 5


# --------------------------------------------------------------------------- properties

_mark = st.sampled_from([True, False, pd.NA])
_record = st.builds(
    lambda grade, cls, marks, score, minutes, month: hw(
        f"2026-{month:02d}-15", grade, cls, marks=marks, score=score, minutes=minutes
    ),
    st.integers(1, 4),
    st.integers(1, 3),
    st.tuples(_mark, _mark, _mark, _mark, _mark),
    st.integers(0, 100).map(float),
    st.integers(0, 120).map(float),
    st.integers(3, 5),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_record, min_size=1, max_size=25))
def test_rollup_properties(rows: list[dict[str, Any]]) -> None:
    summary = run(rows)
    classes = summary.classes
    school = row(classes, None, None)
    assert school["检查次数"] == len(rows)
    for grade in {r["年级"] for r in rows}:
        in_grade = [r for r in rows if r["年级"] == grade]
        class_rows = classes[(classes["年级"] == grade) & classes["班级"].notna()]
        assert (
            class_rows["检查次数"].sum() == row(classes, grade, None)["检查次数"] == len(in_grade)
        )
        # 有批率 of the grade by a plain loop over the rows
        known = [r["有批"] for r in in_grade if r["有批"] is not pd.NA]
        expected = sum(known) / len(known) if known else math.nan
        got = row(classes, grade, None)["有批率"]
        assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)
        limit = DEFAULT_LIMITS[grade]
        over = sum(1 for r in in_grade if r["日均时长"] > limit)
        assert row(classes, grade, None)["超时记录数"] == over
    for column in ("有批率", "有改率", "有评率", "有追踪率", "错题再学习率"):
        values = classes[column].dropna()
        assert ((values >= 0) & (values <= 1)).all()
    assert len(summary.over_limit) == sum(
        1 for r in rows if r["日均时长"] > DEFAULT_LIMITS[r["年级"]]
    )
    assert summary.low_scores["低于预警分次数"].sum() == sum(1 for r in rows if r["得分"] < 80)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_record, min_size=1, max_size=20), st.sampled_from(["2026-03", "2026-04"]))
def test_month_properties(rows: list[dict[str, Any]], month: str) -> None:
    in_month = [r for r in rows if r["检查日期"].strftime("%Y-%m") == month]
    to_date = [r for r in rows if r["检查日期"].strftime("%Y-%m") <= month]
    assume(in_month)  # a month without records: test_a_month_without_inspections_gives_…
    summary = run(rows, month=month)
    assert row(summary.classes, None, None)["检查次数"] == len(in_month)
    assert len(summary.used) == len(to_date)
    months = {r["检查日期"].strftime("%Y-%m") for r in to_date}
    if len(months) > 1:
        assert summary.months is not None
        school = summary.months[summary.months["年级"].isna()]
        assert school["检查次数"].sum() == len(to_date)
    else:
        assert summary.months is None


# --------------------------------------------------------------------------- end to end


def _write_homework_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "三年级"
    ws.append(["实验小学2025-2026学年第二学期三年级作业检查记录表"])
    ws.merge_cells("A1:S1")
    ws.append(
        [
            "检查时间", "年级", "班别", "学科", "任课教师", "作业次数", "基础巩固类", "能力提升类",
            "实践探究类", "日均作业时长", "批阅", "订正", "评价", "追踪", "错题本", "检查得分",
            "评价等级", "问题", "检查人",
        ]
    )  # fmt: skip
    march_10, march_12 = dt.datetime(2026, 3, 10), dt.datetime(2026, 3, 12)
    ws.append(
        [march_10, "三年级", "三(1)班", "数学", "王丽", 10, 6, 3, 1, 50, "√", "√", "√", "×",
         "√", 92, "优秀", None, "李明"]
    )  # fmt: skip
    ws.append(
        [march_12, "三年级", "三(2)班", "语文", "张三", 8, 5, 2, 1, 70, "√", "×", "√", "√",
         "√", 75, "合格", "订正不及时", "李明"]
    )  # fmt: skip
    # another month: not in --month 2026-03
    ws.append(
        [dt.datetime(2026, 4, 9), "三年级", "三(1)班", "数学", "王丽", 9, 6, 2, 1, 40, "√",
         "√", "√", "√", "√", 95, "优秀", None, "李明"]
    )  # fmt: skip
    # an error: 得分 “良”
    ws.append(
        [march_12, "三年级", "三(3)班", "英语", "孙七", 8, 5, 2, 1, 30, "√", "√", "√", "√",
         "√", "良", "良好", None, "李明"]
    )  # fmt: skip
    ws.append(["合计", None, None, None, None, 35])
    wb.save(path)


def test_end_to_end_through_analyze_records(tmp_path: Path) -> None:
    path = tmp_path / "三年级作业检查.xlsx"
    _write_homework_workbook(path)
    report = analyze_records("homework", [path], month="2026-03", skip_invalid=True)
    assert report.problems.has_errors  # the “良”
    summary = report.summary
    assert summary is not None
    school = row(summary.classes, None, None)
    assert school["检查次数"] == 2
    assert school["平均得分"] == pytest.approx(83.5)  # (92 + 75) / 2
    assert school["有改率"] == pytest.approx(0.5)
    assert school["布置次数"] == 18
    assert row(summary.classes, 3, 2)["超时记录数"] == 1  # 70 > 60
    assert summary.issues["任课教师"].tolist() == ["张三"]
    assert int(summary.issues.loc[0, "班级"]) == 2
    totals = report.row_totals()
    # five rows read: three valid records (two in March), one error, one 合计 row
    assert totals["读取"] == 5
    assert totals["计入"] == 2
    assert totals["跳过"] == 2
    assert totals["不在范围"] == 1
    assert totals["读取"] == totals["计入"] + totals["跳过"] + totals["不在范围"]


def test_low_scores_list_each_problem_phrase_once() -> None:
    from toolkit.homework.metrics import _low_scores

    inspections = pd.DataFrame(
        {
            "任课教师": ["王丽", "王丽", "王丽"],
            "学科": ["数学"] * 3,
            "年级": [3, 3, 3],
            "班级": [1, 2, 1],
            "得分": [70.0, 75.0, 95.0],
            "存在问题": ["订正不及时；错题未整理", "订正不及时", "书写潦草"],  # 95: not below
        }
    )
    row = _low_scores(inspections, 80).iloc[0]
    assert row["存在问题"] == "订正不及时；错题未整理"
    assert (row["检查次数"], row["低于预警分次数"], row["最低得分"]) == (3, 2, 70.0)
