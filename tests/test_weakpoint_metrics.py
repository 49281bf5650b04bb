"""薄弱点台账 figures (issue 4) checked against independent computations.

Frames are built by hand, typed like the record reader's output (dates as Timestamps, 年级/班级/
涉及人数 Int64, percents as floats in [0, 1]); every expectation is worked out in a comment or by
a plain-Python loop over the same rows, never by calling the code under test twice.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pytest

from toolkit.config.model import SchoolConfig
from toolkit.config.tables import ClassInfo
from toolkit.records.period import Period
from toolkit.weakpoints.metrics import summarise

FIELDS = [
    "登记日期", "年级", "班级", "学科", "单元", "知识点", "问题表现", "错误率", "涉及人数",
    "原因类别", "原因分析", "改进措施", "责任教师", "计划完成日期", "状态", "复测日期",
    "复测正确率",
]  # fmt: skip
DATES = ("登记日期", "计划完成日期", "复测日期")
INTS = ("年级", "班级", "涉及人数")
PERCENTS = ("错误率", "复测正确率")
DEFAULTS: dict[str, Any] = {
    "登记日期": "2026-03-10",
    "年级": 3,
    "班级": 1,
    "学科": "数学",
    "单元": "第三单元",
    "知识点": "两位数乘两位数的进位",
    "问题表现": "进位后忘记加",
    "错误率": 0.3,
    "涉及人数": None,
    "原因类别": "习惯",
    "原因分析": None,
    "改进措施": "每日三道进位练习",
    "责任教师": "王丽",
    "计划完成日期": "2026-04-10",
    "状态": "待整改",
    "复测日期": None,
    "复测正确率": None,
}


def wp(**values: Any) -> dict[str, Any]:
    """One ledger row: the defaults above, overridden by ``values``."""
    unknown = set(values) - set(DEFAULTS)
    assert not unknown, unknown
    return {**DEFAULTS, **values}


def ledger(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows typed as ``RecordTable.valid`` gives them (plus its bookkeeping columns)."""
    frame = pd.DataFrame(rows, columns=FIELDS)
    for name in DATES:
        frame[name] = pd.to_datetime(frame[name])
    for name in INTS:
        frame[name] = pd.array(
            [
                None if v is None or (isinstance(v, float) and math.isnan(v)) else v
                for v in frame[name]
            ],
            dtype="Int64",
        )
    for name in PERCENTS:
        frame[name] = frame[name].astype(float)
    for name in ("学科", "单元", "知识点", "问题表现", "原因类别", "原因分析", "改进措施"):
        frame[name] = frame[name].astype(object)
    frame["文件"] = "台账.xlsx"
    frame["工作表"] = "薄弱点台账"
    frame["行"] = range(4, 4 + len(frame))
    frame["表"] = 0
    frame["问题"] = ""
    return frame


def run(rows: list[dict[str, Any]], as_of: str, config: SchoolConfig | None = None) -> Any:
    return summarise(ledger(rows), config or SchoolConfig(), Period.of(None, as_of))


def row_of(frame: pd.DataFrame, **keys: Any) -> pd.Series:
    """The one row whose key columns equal ``keys`` (None matches a missing key)."""
    mask = pd.Series(True, index=frame.index)
    for name, value in keys.items():
        column = frame[name]
        mask &= column.isna() if value is None else (column == value).fillna(False)
    found = frame[mask]
    assert len(found) == 1, (keys, frame)
    return found.iloc[0]


def close(a: float, b: float) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


# --------------------------------------------------------------------------------------------
# 逾期 (overdue)


def test_overdue_boundary_is_strictly_before_as_of() -> None:
    rows = [
        # due on the reference day itself: not overdue yet
        wp(班级=1, 知识点="A", 计划完成日期="2026-04-10", 状态="待整改", 责任教师="甲"),
        # due the day before: overdue by 1 day
        wp(班级=2, 知识点="B", 计划完成日期="2026-04-09", 状态="整改中", 责任教师="乙"),
        # long past but closed: never overdue
        wp(
            班级=3,
            知识点="C",
            计划完成日期="2026-03-01",
            状态="已销号",
            复测日期="2026-03-02",
            复测正确率=0.9,
        ),
        # 10 days past (2026-03-31 → 2026-04-10), still open
        wp(
            班级=4,
            知识点="D",
            计划完成日期="2026-03-31",
            状态="待整改",
            责任教师="丁",
            改进措施="分层练习",
        ),
    ]
    summary = run(rows, "2026-04-10")
    overdue = summary.overdue
    # most overdue first: D (10 days), then B (1 day)
    assert list(overdue["知识点"]) == ["D", "B"]
    assert list(overdue["逾期天数"]) == [10, 1]
    assert list(overdue["责任教师"]) == ["丁", "乙"]
    assert list(overdue["班级"]) == [4, 2]
    assert list(overdue["状态"]) == ["待整改", "整改中"]
    assert overdue.loc[0, "改进措施"] == "分层练习"
    assert overdue.loc[0, "计划完成日期"] == pd.Timestamp("2026-03-31")
    # 逾期数 in the rollups: one per overdue class, two for the grade and the school
    classes = summary.classes
    assert [int(row_of(classes, 年级=3, 班级=c)["逾期数"]) for c in (1, 2, 3, 4)] == [0, 1, 0, 1]
    assert int(row_of(classes, 年级=3, 班级=None)["逾期数"]) == 2
    assert int(row_of(classes, 年级=None, 班级=None)["逾期数"]) == 2
    assert int(row_of(summary.subjects, 年级=3, 学科="数学")["逾期数"]) == 2


def test_overdue_moves_with_as_of() -> None:
    rows = [wp(计划完成日期="2026-04-10", 状态="整改中")]
    assert run(rows, "2026-04-10").overdue.empty
    later = run(rows, "2026-04-11").overdue
    assert list(later["逾期天数"]) == [1]


# --------------------------------------------------------------------------------------------
# The reference date


def test_records_registered_after_as_of_are_left_out() -> None:
    rows = [
        wp(班级=1, 登记日期="2026-04-10"),  # on the reference day: counted
        wp(班级=1, 登记日期="2026-04-11"),  # the day after: not yet in the ledger
        wp(班级=2, 登记日期="2026-05-03", 状态="已销号", 复测日期="2026-05-20", 复测正确率=0.9),
    ]
    summary = run(rows, "2026-04-10")
    assert len(summary.records) == 1
    assert summary.records["登记日期"].tolist() == [pd.Timestamp("2026-04-10")]
    school = row_of(summary.classes, 年级=None, 班级=None)
    assert int(school["登记数"]) == 1
    assert int(school["已销号"]) == 0
    assert summary.retests.empty
    assert set(summary.classes["班级"].dropna()) == {1}
    assert list(summary.months["月份"].unique()) == ["2026-04"]


def test_period_reference_defaults() -> None:
    assert Period.of().reference == dt.date.today()
    assert Period.of(None, "2026-04-30").reference == dt.date(2026, 4, 30)
    assert Period.of(None, dt.date(2026, 4, 30)).reference == dt.date(2026, 4, 30)
    # a month without --as-of is judged at its end
    assert Period.of("2026-02").reference == dt.date(2026, 2, 28)
    # without an as_of, "today" is the reference: a record dated tomorrow is not counted
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    today = dt.date.today().isoformat()
    summary = summarise(
        ledger([wp(登记日期=today), wp(登记日期=tomorrow)]), SchoolConfig(), Period.of()
    )
    assert summary.as_of == dt.date.today()
    assert len(summary.records) == 1


# --------------------------------------------------------------------------------------------
# Status counts and 销号率, per class, grade, school and subject

STATUS_ROWS = [
    wp(年级=3, 班级=1, 学科="数学", 状态="待整改"),
    wp(年级=3, 班级=1, 学科="数学", 状态="已销号", 复测日期="2026-04-01", 复测正确率=0.8),
    wp(年级=3, 班级=1, 学科="语文", 状态="整改中"),
    wp(年级=3, 班级=2, 学科="数学", 状态="已销号", 复测日期="2026-04-02", 复测正确率=0.9),
    wp(年级=3, 班级=2, 学科="英语", 状态="已销号", 复测日期="2026-04-03", 复测正确率=0.7),
    wp(年级=3, 班级=2, 学科="英语", 状态="待整改"),
    wp(年级=4, 班级=1, 学科="数学", 状态="整改中"),
    wp(年级=4, 班级=3, 学科="语文", 状态="待整改"),
    wp(年级=4, 班级=3, 学科="语文", 状态="已销号", 复测日期="2026-04-04", 复测正确率=0.95),
]
STATES = ("待整改", "整改中", "已销号")


def _counts(rows: list[dict[str, Any]], keep: Any) -> dict[str, Any]:
    chosen = [r for r in rows if keep(r)]
    out: dict[str, Any] = {"登记数": len(chosen)}
    for state in STATES:
        out[state] = sum(1 for r in chosen if r["状态"] == state)
    out["销号率"] = out["已销号"] / len(chosen)
    return out


def _check_counts(row: pd.Series, expected: dict[str, Any]) -> None:
    for name in ("登记数", *STATES):
        assert int(row[name]) == expected[name], (name, row)
    assert close(float(row["销号率"]), expected["销号率"])


def test_status_counts_and_closure_rate_per_class_grade_school() -> None:
    summary = run(STATUS_ROWS, "2026-04-30")
    classes = summary.classes
    pairs = sorted({(r["年级"], r["班级"]) for r in STATUS_ROWS})
    for grade, klass in pairs:
        expected = _counts(
            STATUS_ROWS, lambda r, g=grade, c=klass: (r["年级"], r["班级"]) == (g, c)
        )
        _check_counts(row_of(classes, 年级=grade, 班级=klass), expected)
    for grade in (3, 4):
        expected = _counts(STATUS_ROWS, lambda r, g=grade: r["年级"] == g)
        _check_counts(row_of(classes, 年级=grade, 班级=None), expected)
    _check_counts(row_of(classes, 年级=None, 班级=None), _counts(STATUS_ROWS, lambda r: True))
    # worked: 3(1) has 1 of 3 closed, 3(2) 2 of 3, grade 3 3 of 6, school 4 of 9
    assert close(float(row_of(classes, 年级=3, 班级=1)["销号率"]), 1 / 3)
    assert close(float(row_of(classes, 年级=3, 班级=None)["销号率"]), 0.5)
    assert close(float(row_of(classes, 年级=None, 班级=None)["销号率"]), 4 / 9)
    # order: each grade's classes, then the grade, then the school
    keys = [(g, c) for g, c in zip(classes["年级"], classes["班级"], strict=True)]
    assert keys == [(3, 1), (3, 2), (3, None), (4, 1), (4, 3), (4, None), (None, None)]


def test_status_counts_per_subject() -> None:
    summary = run(STATUS_ROWS, "2026-04-30")
    subjects = summary.subjects
    pairs = sorted({(r["年级"], r["学科"]) for r in STATUS_ROWS})
    for grade, subject in pairs:
        expected = _counts(
            STATUS_ROWS, lambda r, g=grade, s=subject: (r["年级"], r["学科"]) == (g, s)
        )
        _check_counts(row_of(subjects, 年级=grade, 学科=subject), expected)
    # grade 3: 语文, 数学, 英语 in school order, then the grade row
    grade3 = subjects[subjects["年级"] == 3]
    assert [s if isinstance(s, str) else None for s in grade3["学科"]] == [
        "语文", "数学", "英语", None,
    ]  # fmt: skip
    _check_counts(row_of(subjects, 年级=None, 学科=None), _counts(STATUS_ROWS, lambda r: True))


# --------------------------------------------------------------------------------------------
# 错误率 from 涉及人数 and the class size


def test_error_rate_derived_from_count_and_class_size() -> None:
    config = SchoolConfig(
        classes=[ClassInfo(3, 1, "张老师", 40), ClassInfo(3, 2, "李老师", 50), ClassInfo(3, 3)]
    )
    rows = [
        wp(班级=1, 知识点="A", 错误率=None, 涉及人数=14),  # 14 / 40 = 0.35
        wp(班级=1, 知识点="B", 错误率=0.2, 涉及人数=14),  # given 错误率 wins: 0.2
        wp(班级=2, 知识点="C", 错误率=None, 涉及人数=5),  # 5 / 50 = 0.1
        wp(班级=3, 知识点="D", 错误率=None, 涉及人数=7),  # class size unknown: no rate
        wp(班级=4, 知识点="E", 错误率=None, 涉及人数=7),  # class not in the config: no rate
    ]
    summary = run(rows, "2026-04-30", config)
    computed = dict(zip(summary.records["知识点"], summary.records["错误率(计算)"], strict=True))
    assert close(computed["A"], 0.35)
    assert close(computed["B"], 0.2)
    assert close(computed["C"], 0.1)
    assert math.isnan(computed["D"])
    assert math.isnan(computed["E"])
    classes = summary.classes
    assert close(float(row_of(classes, 年级=3, 班级=1)["平均错误率"]), (0.35 + 0.2) / 2)
    assert close(float(row_of(classes, 年级=3, 班级=2)["平均错误率"]), 0.1)
    assert math.isnan(float(row_of(classes, 年级=3, 班级=3)["平均错误率"]))
    # the grade averages the known rates over records: (0.35 + 0.2 + 0.1) / 3
    assert close(float(row_of(classes, 年级=3, 班级=None)["平均错误率"]), 0.65 / 3)


# --------------------------------------------------------------------------------------------
# 提升 = 复测正确率 − (1 − 错误率)


def test_improvement_from_retest() -> None:
    config = SchoolConfig(classes=[ClassInfo(3, 1, "", 40), ClassInfo(3, 2, "", 40)])
    rows = [
        # 0.85 − (1 − 0.35) = 0.20
        wp(班级=1, 知识点="A", 错误率=0.35, 状态="已销号", 复测日期="2026-04-09", 复测正确率=0.85),
        # 错误率 from 10 / 40 = 0.25: 0.9 − 0.75 = 0.15
        wp(
            班级=1,
            知识点="B",
            错误率=None,
            涉及人数=10,
            状态="已销号",
            复测日期="2026-04-12",
            复测正确率=0.9,
        ),
        # no retest yet: no 提升
        wp(班级=1, 知识点="C", 错误率=0.5),
        # a retest that went worse: 0.55 − (1 − 0.3) = −0.15
        wp(班级=2, 知识点="D", 错误率=0.3, 状态="整改中", 复测日期="2026-04-15", 复测正确率=0.55),
    ]
    summary = run(rows, "2026-04-30", config)
    retests = summary.retests
    assert list(retests["知识点"]) == ["A", "B", "D"]
    by_point = retests.set_index("知识点")
    for point, rate, before, after, gain in [
        ("A", 0.35, 0.65, 0.85, 0.20),
        ("B", 0.25, 0.75, 0.90, 0.15),
        ("D", 0.30, 0.70, 0.55, -0.15),
    ]:
        assert close(float(by_point.loc[point, "错误率"]), rate)
        assert close(float(by_point.loc[point, "原正确率"]), before)
        assert close(float(by_point.loc[point, "复测正确率"]), after)
        assert close(float(by_point.loc[point, "提升"]), gain)
    assert by_point.loc["B", "复测日期"] == pd.Timestamp("2026-04-12")
    one = row_of(summary.classes, 年级=3, 班级=1)
    assert int(one["复测数"]) == 2
    assert close(float(one["平均复测正确率"]), (0.85 + 0.9) / 2)
    assert close(float(one["平均提升"]), (0.20 + 0.15) / 2)
    school = row_of(summary.classes, 年级=None, 班级=None)
    assert int(school["复测数"]) == 3
    assert close(float(school["平均提升"]), (0.20 + 0.15 - 0.15) / 3)


# --------------------------------------------------------------------------------------------
# Knowledge points recurring across classes of a grade


def test_recurring_points_ignore_width_and_spaces() -> None:
    rows = [
        # grade 3 数学: one point written three ways in classes 1, 2 and 4
        wp(
            年级=3,
            班级=1,
            知识点="两位数乘法(进位)",
            错误率=0.4,
            状态="已销号",
            复测日期="2026-04-01",
            复测正确率=0.9,
        ),
        wp(年级=3, 班级=2, 知识点="两位数 乘法（进位）", 错误率=0.3),
        wp(年级=3, 班级=4, 知识点="两位数　乘法(进位)", 错误率=0.2),  # ideographic space
        # the same class twice is still one class
        wp(年级=3, 班级=5, 知识点="面积单位", 错误率=0.5),
        wp(年级=3, 班级=5, 知识点="面积单位", 错误率=0.3),
        # same words, other subject: not the same point
        wp(年级=3, 班级=1, 学科="科学", 知识点="面积单位"),
        # same point in another grade's one class: not recurring in grade 4
        wp(年级=4, 班级=1, 知识点="两位数乘法(进位)"),
        # grade 4 语文 in two classes
        wp(年级=4, 班级=1, 学科="语文", 知识点="修辞", 错误率=0.1),
        wp(年级=4, 班级=2, 学科="语文", 知识点="修辞", 错误率=0.3),
    ]
    recurring = run(rows, "2026-04-30").recurring
    assert len(recurring) == 2
    first = recurring.iloc[0]
    assert int(first["年级"]) == 3 and first["学科"] == "数学"
    assert int(first["班级数"]) == 3
    assert first["涉及班级"] == "三(1)班、三(2)班、三(4)班"
    assert close(float(first["平均错误率"]), (0.4 + 0.3 + 0.2) / 3)
    assert int(first["未销号数"]) == 2
    # all spellings are kept so the reader sees what was typed
    assert "两位数乘法(进位)" in first["知识点"]
    second = recurring.iloc[1]
    assert (int(second["年级"]), second["学科"], second["知识点"]) == (4, "语文", "修辞")
    assert int(second["班级数"]) == 2
    assert close(float(second["平均错误率"]), 0.2)


# --------------------------------------------------------------------------------------------
# New vs closed per month


def test_months_new_by_registration_closed_by_retest_date() -> None:
    rows = [
        # new in March, closed in April
        wp(年级=3, 登记日期="2026-03-05", 状态="已销号", 复测日期="2026-04-02", 复测正确率=0.9),
        # new in March; retested in April but not closed: not a 销号
        wp(年级=3, 登记日期="2026-03-20", 状态="整改中", 复测日期="2026-04-15", 复测正确率=0.6),
        # new and closed in April
        wp(年级=3, 登记日期="2026-04-01", 状态="已销号", 复测日期="2026-04-28", 复测正确率=0.8),
        # grade 4: new in April, closed in May
        wp(年级=4, 登记日期="2026-04-10", 状态="已销号", 复测日期="2026-05-06", 复测正确率=0.85),
        # registered after as_of: nowhere
        wp(年级=4, 登记日期="2026-06-01"),
    ]
    months = run(rows, "2026-05-31").months
    got = {
        (None if pd.isna(g) else int(g), m): (int(n), int(c), int(d))
        for g, m, n, c, d in months[["年级", "月份", "新增", "销号", "净增"]].itertuples(
            index=False
        )
    }
    # expected by loops over the rows registered up to as_of
    expected: dict[tuple[Any, str], list[int]] = {}
    for r in rows:
        if pd.Timestamp(r["登记日期"]) > pd.Timestamp("2026-05-31"):
            continue
        for grade in (r["年级"], None):
            new_month = r["登记日期"][:7]
            expected.setdefault((grade, new_month), [0, 0])[0] += 1
            if r["状态"] == "已销号":
                expected.setdefault((grade, r["复测日期"][:7]), [0, 0])[1] += 1
    assert got == {k: (n, c, n - c) for k, (n, c) in expected.items()}
    # worked: grade 3 March 2 new; April 1 new, 2 closed (net −1); school May 0 new, 1 closed
    assert got[(3, "2026-03")] == (2, 0, 2)
    assert got[(3, "2026-04")] == (1, 2, -1)
    assert got[(None, "2026-05")] == (0, 1, -1)
    # grade rows first (by grade, month), school rows last
    order = [
        (None if pd.isna(g) else int(g), m)
        for g, m in zip(months["年级"], months["月份"], strict=True)
    ]
    assert order == [
        (3, "2026-03"), (3, "2026-04"), (4, "2026-04"), (4, "2026-05"),
        (None, "2026-03"), (None, "2026-04"), (None, "2026-05"),
    ]  # fmt: skip


def test_empty_scope_gives_empty_tables() -> None:
    summary = run([wp(登记日期="2026-06-01")], "2026-05-31")
    assert summary.records.empty
    assert summary.classes.empty
    assert summary.overdue.empty
    assert summary.recurring.empty
    assert summary.months.empty


@pytest.mark.parametrize("as_of", ["2026-04-09", "2026-04-10"])
def test_closed_points_are_never_overdue(as_of: str) -> None:
    rows = [wp(计划完成日期="2026-01-01", 状态="已销号", 复测日期="2026-01-02", 复测正确率=0.9)]
    assert run(rows, as_of).overdue.empty
