"""听评课 figures (issue 4) against hand-worked numbers and a second, plain-Python computation.

Record frames are typed as the reader makes them: dates datetime64, 年级/班级 ``Int64``,
scores float, text or None. Expected values are literal numbers worked out in the comments, or
come from plain loops over the rows, never from the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.config.model import SchoolConfig
from toolkit.config.tables import Teaching
from toolkit.kinds.report import analyze_records
from toolkit.observation.metrics import summarise
from toolkit.records.period import Period

DIMS = ("学生投入度", "教学环节落实", "课堂反馈实效")
COLUMNS = [
    "日期", "听课人", "听课层级", "授课教师", "年级", "班级", "学科", "课题", "课型", *DIMS,
    "总分", "等级", "亮点", "存在问题", "改进建议", "整改状态", "复查日期",
]  # fmt: skip


def obs(
    date: str,
    teacher: str = "王丽",
    grade: int = 3,
    cls: int = 1,
    subject: str = "数学",
    *,
    observer: str = "李明",
    level: str = "教导处",
    kind: str = "推门课",
    dims: tuple[float, float, float] = (25, 30, 25),
    grade_word: str | None = "良好",
    problem: str | None = None,
    state: str | None = None,
    review: str | None = None,
) -> dict[str, Any]:
    """One observed lesson as a plain dict; 总分 is the sum of the three scores."""
    return {
        "日期": pd.Timestamp(date),
        "听课人": observer,
        "听课层级": level,
        "授课教师": teacher,
        "年级": grade,
        "班级": cls,
        "学科": subject,
        "课题": "两位数乘两位数",
        "课型": kind,
        **{d: float(v) for d, v in zip(DIMS, dims, strict=True)},
        "总分": float(sum(dims)),
        "等级": grade_word,
        "亮点": None,
        "存在问题": problem,
        "改进建议": None,
        "整改状态": state,
        "复查日期": pd.Timestamp(review) if review else pd.NaT,
    }


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows typed like ``table.valid`` of the observation reader."""
    df = pd.DataFrame(rows, columns=COLUMNS)
    for c in ("日期", "复查日期"):
        df[c] = pd.to_datetime(df[c])
    for c in ("年级", "班级"):
        df[c] = df[c].astype("Int64")
    for c in (*DIMS, "总分"):
        df[c] = df[c].astype("float64")
    for c in ("听课人", "听课层级", "授课教师", "学科", "课题", "课型", "等级", "亮点",
              "存在问题", "改进建议", "整改状态"):  # fmt: skip
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    df["文件"] = "听评课.xlsx"
    df["工作表"] = "Sheet1"
    df["行"] = range(3, 3 + len(df))
    df["表"] = 0
    df["问题"] = ""
    return df


def run(
    rows: list[dict[str, Any]],
    config: SchoolConfig | None = None,
    month: str | None = None,
    as_of: str | None = None,
):
    return summarise(frame(rows), config or SchoolConfig(), Period.of(month, as_of))


def row(table: pd.DataFrame, grade: int | None, inner: Any = None, key: str = "班级") -> pd.Series:
    g = table["年级"].isna() if grade is None else table["年级"] == grade
    c = table[key].isna() if inner is None else table[key] == inner
    found = table[g & c]
    assert len(found) == 1, (grade, inner, found)
    return found.iloc[0]


def grade_row(table: pd.DataFrame, grade: int | None) -> pd.Series:
    found = table[table["年级"].isna()] if grade is None else table[table["年级"] == grade]
    assert len(found) == 1, (grade, found)
    return found.iloc[0]


def by_name(table: pd.DataFrame, column: str) -> dict[str, pd.Series]:
    return {r[column]: r for _, r in table.iterrows()}


MARKS = {"学生投入度": 20, "教学环节落实": 50, "课堂反馈实效": 30}


# --------------------------------------------------------------------------- dimension means


def test_dimension_means_and_rates_with_changed_marks() -> None:
    rows = [
        obs("2026-03-02", "王丽", 3, 1, dims=(16, 40, 24)),  # 80
        obs("2026-03-09", "王丽", 3, 1, dims=(18, 45, 21)),  # 84
        obs("2026-03-10", "王丽", 3, 1, dims=(20, 50, 30)),  # 100
        obs("2026-03-05", "张三", 3, 2, "语文", dims=(10, 20, 10), grade_word="待改进"),  # 40
        obs("2026-03-06", "赵敏", 4, 1, "英语", dims=(12, 30, 18), grade_word="合格"),  # 60
    ]
    summary = run(rows, SchoolConfig(observation_marks=MARKS))
    taught = by_name(summary.taught, "授课教师")
    wang = taught["王丽"]
    assert wang["被听节数"] == 3
    assert wang["学生投入度"] == pytest.approx(18)  # (16 + 18 + 20) / 3
    assert wang["教学环节落实"] == pytest.approx(45)  # (40 + 45 + 50) / 3
    assert wang["课堂反馈实效"] == pytest.approx(25)  # (24 + 21 + 30) / 3
    assert wang["总分"] == pytest.approx(88)  # (80 + 84 + 100) / 3
    assert wang["最低总分"] == 80
    assert wang["学生投入度得分率"] == pytest.approx(18 / 20)
    assert wang["教学环节落实得分率"] == pytest.approx(45 / 50)
    assert wang["课堂反馈实效得分率"] == pytest.approx(25 / 30)
    assert wang["良好数"] == 3
    assert taught["张三"]["待改进数"] == 1
    assert taught["张三"]["学生投入度得分率"] == pytest.approx(0.5)  # 10 / 20

    classes = summary.classes
    # Grade 3 from its four lessons: (80 + 84 + 100 + 40) / 4 = 76, not the classes'
    # (88 + 40) / 2 = 64.
    g3 = row(classes, 3, None)
    assert g3["听课节数"] == 4
    assert g3["总分"] == pytest.approx(76)
    assert g3["学生投入度"] == pytest.approx(16)  # (16 + 18 + 20 + 10) / 4
    assert g3["学生投入度得分率"] == pytest.approx(0.8)  # 16 / 20
    assert g3["最低总分"] == 40
    school = row(classes, None, None)
    assert school["听课节数"] == 5
    assert school["总分"] == pytest.approx(72.8)  # (304 + 60) / 5
    assert school["教学环节落实得分率"] == pytest.approx(185 / 5 / 50)  # 40+45+50+20+30

    subjects = summary.subjects
    assert row(subjects, 3, "数学", "学科")["总分"] == pytest.approx(88)
    assert row(subjects, 3, "语文", "学科")["总分"] == pytest.approx(40)
    assert row(subjects, 4, "英语", "学科")["课堂反馈实效得分率"] == pytest.approx(18 / 30)
    order = [(g, s) for g, s in zip(subjects["年级"], subjects["学科"], strict=True)]
    assert order[:3] == [(3, "语文"), (3, "数学"), (3, None)]


def test_default_marks_give_rates_out_of_30_40_30() -> None:
    t = run([obs("2026-03-02", dims=(27, 30, 24))]).taught.iloc[0]
    assert t["学生投入度得分率"] == pytest.approx(0.9)
    assert t["教学环节落实得分率"] == pytest.approx(0.75)
    assert t["课堂反馈实效得分率"] == pytest.approx(0.8)


def test_taught_counts_the_month_and_the_term_to_date() -> None:
    rows = [
        obs("2026-03-02", "王丽", dims=(20, 30, 20)),
        obs("2026-04-02", "王丽", dims=(30, 40, 30)),
        obs("2026-04-20", "张三", subject="语文"),
        obs("2026-05-06", "王丽"),
    ]
    taught = by_name(run(rows, month="2026-04").taught, "授课教师")
    assert set(taught) == {"王丽", "张三"}
    assert taught["王丽"]["被听节数"] == 1
    assert taught["王丽"]["学期被听节数"] == 2  # March and April, not May
    assert taught["王丽"]["总分"] == pytest.approx(100)  # April only
    assert taught["张三"]["学科"] == "语文"


# --------------------------------------------------------------------------- quota


def _quota_rows() -> list[dict[str, Any]]:
    return [
        obs("2026-03-02", observer="李明", level="教导处"),
        obs("2026-03-20", observer="李明", level="年级组"),
        obs("2026-04-03", observer="李明", level="教导处"),
        obs("2026-04-08", observer="赵敏", level="教研组", teacher="张三"),
        obs("2026-05-08", observer="赵敏", level="教研组", teacher="张三"),  # after April
    ]


def _teaching() -> list[Teaching]:
    return [
        Teaching("王丽", "数学", 3, 1),
        Teaching("王丽", "数学", 3, 2),
        Teaching("张三", "语文", 3, 1),
        Teaching("孙七", "英语", 4, 1),
        Teaching("赵敏", "科学", 3, 1),
    ]


def test_observers_against_a_changed_quota_term_to_date() -> None:
    config = SchoolConfig(observation_quota=3, teaching=_teaching())
    observers = run(_quota_rows(), config, month="2026-04").observers
    table = by_name(observers, "听课人")
    # every teacher of the 任课 sheet, plus 李明 who observes without teaching
    assert set(table) == {"王丽", "张三", "孙七", "赵敏", "李明"}
    expected = {
        # name: (本月, 学期 to the end of April, 还差, 达标)
        "李明": (1, 3, 0, True),
        "赵敏": (1, 1, 2, False),  # the May lesson is after the month
        "王丽": (0, 0, 3, False),
        "张三": (0, 0, 3, False),
        "孙七": (0, 0, 3, False),
    }
    got = {
        n: (int(r["本月听课节数"]), int(r["学期听课节数"]), r["还差节数"], bool(r["达标"]))
        for n, r in table.items()
    }
    assert got == expected
    assert set(observers["学期要求"]) == {3}
    assert table["李明"]["听课层级"] == "教导处、年级组"
    # who is below the quota comes first
    assert observers["达标"].tolist() == [False, False, False, False, True]
    assert observers.iloc[-1]["听课人"] == "李明"


def test_observers_without_month_count_every_record() -> None:
    config = SchoolConfig(observation_quota=2, teaching=_teaching())
    table = by_name(run(_quota_rows(), config).observers, "听课人")
    assert table["赵敏"]["学期听课节数"] == 2
    assert bool(table["赵敏"]["达标"])
    assert table["赵敏"]["本月听课节数"] == 1  # 本月: the latest month, May
    assert table["李明"]["本月听课节数"] == 0
    assert table["李明"]["还差节数"] == 0  # 3 over a quota of 2: not negative


# --------------------------------------------------------------------------- unobserved


def test_unobserved_teachers_of_the_month() -> None:
    config = SchoolConfig(teaching=_teaching())
    rows = [
        obs("2026-03-02", "王丽"),
        obs("2026-03-20", "孙七", 4, 1, "英语"),
        obs("2026-04-03", "王丽"),
        obs("2026-04-08", "张三", subject="语文"),
    ]
    march = run(rows, config, month="2026-03").unobserved
    assert march["任课教师"].tolist() == ["张三", "赵敏"]
    zhang = march.iloc[0]
    assert zhang["学科"] == "语文"
    assert zhang["任教班级"] == "三(1)班"
    assert zhang["学期被听节数"] == 0  # April's lesson is after March
    assert pd.isna(zhang["最近被听日期"])

    april = run(rows, config, month="2026-04").unobserved
    assert april["任课教师"].tolist() == ["孙七", "赵敏"]
    sun = april.iloc[0]
    assert sun["学期被听节数"] == 1
    assert pd.Timestamp(sun["最近被听日期"]) == pd.Timestamp("2026-03-20")

    # Without --month, "this month" is the latest month with records (April).
    latest = run(rows, config)
    assert latest.month == "2026-04"
    assert latest.unobserved["任课教师"].tolist() == ["孙七", "赵敏"]

    # A month nobody was observed in: every teacher of the 任课 sheet, with their history.
    may = run(rows, config, month="2026-05")
    assert may.unobserved["任课教师"].tolist() == ["王丽", "张三", "孙七", "赵敏"]
    wang = may.unobserved.iloc[0]
    assert wang["任教班级"] == "三(1)班、三(2)班"
    assert wang["学期被听节数"] == 2
    assert may.taught.empty
    assert may.classes.empty


# --------------------------------------------------------------------------- 课型, 层级


def test_lesson_type_and_level_counts() -> None:
    rows = [
        obs("2026-03-02", grade=3, kind="推门课", level="教导处"),
        obs("2026-03-03", grade=3, kind="推门课", level="年级组"),
        obs("2026-03-04", grade=3, kind="公开课", level="年级组"),
        obs("2026-03-05", grade=4, kind="示范课", level="教研组"),
        obs("2026-03-06", grade=4, kind="汇报课", level="教研组"),
        obs("2026-03-07", grade=4, kind="研讨课", level="教导处"),
        obs("2026-04-07", grade=4, kind="研讨课", level="教导处"),  # not in March
    ]
    summary = run(rows, month="2026-03")
    types = summary.lesson_types
    assert len(types) == 3
    expected = {
        3: {"推门课": 2, "公开课": 1, "研讨课": 0, "示范课": 0, "汇报课": 0, "合计": 3},
        4: {"推门课": 0, "公开课": 0, "研讨课": 1, "示范课": 1, "汇报课": 1, "合计": 3},
        None: {"推门课": 2, "公开课": 1, "研讨课": 1, "示范课": 1, "汇报课": 1, "合计": 6},
    }
    for grade, counts in expected.items():
        r = grade_row(types, grade)
        assert {k: int(r[k]) for k in counts} == counts
    levels = summary.levels
    assert {k: int(grade_row(levels, 3)[k]) for k in ("教导处", "年级组", "教研组")} == {
        "教导处": 1,
        "年级组": 2,
        "教研组": 0,
    }
    school = grade_row(levels, None)
    assert (school["教导处"], school["年级组"], school["教研组"], school["合计"]) == (2, 2, 2, 6)


# --------------------------------------------------------------------------- 整改


def test_follow_up_overdue_boundary_with_as_of() -> None:
    # as_of 2026-04-15, 14 days: a lesson of 04-01 is 14 days old (not overdue), 03-31 is 15.
    rows = [
        obs("2026-04-01", problem="反馈不及时", state="未整改"),  # 14 days: not overdue
        obs("2026-03-31", problem="反馈不及时", state="整改中"),  # 15 days: overdue
        obs("2026-03-01", problem="环节松散", state="已整改"),  # closed: never overdue
        obs("2026-03-02", grade=4, problem="提问单一"),  # blank state → 未整改, 44 days
        obs("2026-03-03", grade=4, problem="   "),  # blank problem, no state: no item
        obs("2026-03-04", grade=4),  # nothing to follow up
        obs("2026-03-05", grade=4, state="已整改"),  # a state without a problem is an item
    ]
    follow = run(rows, SchoolConfig(follow_up_days=14), as_of="2026-04-15").follow_up
    g3, g4, school = grade_row(follow, 3), grade_row(follow, 4), grade_row(follow, None)
    assert (g3["整改项"], g3["未整改"], g3["整改中"], g3["已整改"]) == (3, 1, 1, 1)
    assert g3["超期未整改"] == 1
    assert g3["整改完成率"] == pytest.approx(1 / 3)
    assert (g4["整改项"], g4["未整改"], g4["已整改"], g4["超期未整改"]) == (2, 1, 1, 1)
    assert g4["整改完成率"] == pytest.approx(0.5)
    assert school["整改项"] == 5
    assert school["超期未整改"] == 2
    assert school["整改完成率"] == pytest.approx(2 / 5)

    # 15 days allowed: the 03-31 lesson (15 days) is no longer overdue, the 03-02 one (44) is
    for days, overdue in ((15, 1), (44, 0), (43, 1)):
        follow = run(rows, SchoolConfig(follow_up_days=days), as_of="2026-04-15").follow_up
        assert grade_row(follow, None)["超期未整改"] == overdue, days


def test_follow_up_as_of_defaults_to_the_end_of_the_month() -> None:
    # --month 2026-03: as_of 03-31; 03-17 is 14 days before (not overdue), 03-16 is 15.
    rows = [
        obs("2026-03-17", problem="a"),
        obs("2026-03-16", grade=4, problem="b"),
        obs("2026-02-27", grade=4, problem="c", state="已整改"),
        obs("2026-04-01", problem="d"),  # after the month: not counted
    ]
    summary = run(rows, month="2026-03")
    assert summary.as_of == dt.date(2026, 3, 31)
    assert grade_row(summary.follow_up, 3)["超期未整改"] == 0
    assert grade_row(summary.follow_up, 4)["超期未整改"] == 1
    school = grade_row(summary.follow_up, None)
    # term to date: February's closed item counts, April's does not
    assert (school["整改项"], school["已整改"]) == (3, 1)
    assert school["整改完成率"] == pytest.approx(1 / 3)


def test_open_items_oldest_first_with_days_open() -> None:
    rows = [
        obs("2026-04-01", "王丽", problem="反馈不及时", state="未整改"),
        obs("2026-03-02", "张三", grade=4, cls=2, problem="提问单一"),
        obs("2026-03-10", "孙七", problem="环节松散", state="整改中"),
        obs("2026-03-01", "赵敏", problem="已改好", state="已整改"),
    ]
    items = run(rows, as_of="2026-04-15").open_items
    got = [(r.授课教师, r.整改状态, int(r.已过天数)) for r in items.itertuples()]
    assert got == [("张三", "未整改", 44), ("孙七", "整改中", 36), ("王丽", "未整改", 14)]
    assert items.loc[0, "存在问题"] == "提问单一"
    assert int(items.loc[0, "班级"]) == 2


def test_as_of_given_by_the_user_wins_over_the_month_end() -> None:
    rows = [obs("2026-03-10", problem="a")]
    # 03-10 to 03-24 is 14 days: not overdue; to 03-31 (the month end) it would be 21.
    summary = run(rows, month="2026-03", as_of="2026-03-24")
    assert summary.as_of == dt.date(2026, 3, 24)
    assert grade_row(summary.follow_up, None)["超期未整改"] == 0
    assert grade_row(run(rows, month="2026-03").follow_up, None)["超期未整改"] == 1


def test_as_of_without_month_is_today() -> None:
    today = dt.date.today()
    rows = [
        obs(str(today - dt.timedelta(days=20)), problem="反馈不及时"),  # open, 20 days old
        obs(str(today - dt.timedelta(days=10))),  # the latest lesson
    ]
    summary = run(rows)
    assert summary.as_of == today
    assert grade_row(summary.follow_up, None)["超期未整改"] == 1  # 20 > 14
    assert summary.open_items["已过天数"].tolist() == [20]


# --------------------------------------------------------------------------- properties

_lesson = st.builds(
    lambda grade, cls, observer, teacher, dims, month, state, problem: obs(
        f"2026-{month:02d}-10",
        teacher,
        grade,
        cls,
        observer=observer,
        dims=dims,
        state=state,
        problem=problem,
    ),
    st.integers(1, 4),
    st.integers(1, 3),
    st.sampled_from(["李明", "赵敏", "周一"]),
    st.sampled_from(["王丽", "张三", "孙七"]),
    st.tuples(st.integers(0, 30), st.integers(0, 40), st.integers(0, 30)),
    st.integers(3, 5),
    st.sampled_from([None, "未整改", "整改中", "已整改"]),
    st.sampled_from([None, "", "问题"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_lesson, min_size=1, max_size=25))
def test_observation_properties(rows: list[dict[str, Any]]) -> None:
    summary = run(rows, as_of="2026-06-30")
    classes = summary.classes
    assert row(classes, None, None)["听课节数"] == len(rows)
    for grade in {r["年级"] for r in rows}:
        in_grade = [r for r in rows if r["年级"] == grade]
        class_rows = classes[(classes["年级"] == grade) & classes["班级"].notna()]
        g = row(classes, grade, None)
        assert class_rows["听课节数"].sum() == g["听课节数"] == len(in_grade)
        mean = sum(r["总分"] for r in in_grade) / len(in_grade)
        assert g["总分"] == pytest.approx(mean)
    for column in ("学生投入度得分率", "教学环节落实得分率", "课堂反馈实效得分率"):
        assert ((classes[column] >= 0) & (classes[column] <= 1)).all()
    assert summary.taught["被听节数"].sum() == len(rows)
    observers = by_name(summary.observers, "听课人")
    for name in {r["听课人"] for r in rows}:
        assert observers[name]["学期听课节数"] == sum(1 for r in rows if r["听课人"] == name)
    items = [r for r in rows if r["整改状态"] is not None or (r["存在问题"] or "").strip()]
    school = grade_row(summary.follow_up, None)
    assert school["整改项"] == len(items)
    closed = sum(1 for r in items if r["整改状态"] == "已整改")
    assert school["已整改"] == closed
    assert school["未整改"] == sum(1 for r in items if r["整改状态"] in (None, "未整改"))
    assert len(summary.open_items) == len(items) - closed
    if items:
        assert 0 <= school["整改完成率"] <= 1
    types = grade_row(summary.lesson_types, None)
    assert types["合计"] == types["推门课"] == len(rows)


# --------------------------------------------------------------------------- end to end


def _write_observation_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "听课记录"
    ws.append(["实验小学2025-2026学年第二学期听评课记录"])
    ws.merge_cells("A1:P1")
    ws.append(
        [
            "听课日期", "听课教师", "层级", "执教教师", "年级", "班级", "学科", "课题名称",
            "课型", "投入度", "环节落实", "反馈实效", "得分", "等级", "问题", "整改情况",
        ]
    )  # fmt: skip
    ws.append(
        [dt.datetime(2026, 3, 3), "李明", "校级", "王丽", "三年级", "三(2)班", "数学",
         "两位数乘两位数", "推门", 24, 32, 24, 80, "良好", "练习反馈不及时", None]
    )  # fmt: skip
    ws.append(
        [dt.datetime(2026, 3, 18), "赵敏", "年级组", "张三", "三年级", "三(1)班", "语文",
         "古诗两首", "公开课", 27, 36, 27, 90, "优秀", "板书随意", "已完成"]
    )  # fmt: skip
    ws.append(
        [dt.datetime(2026, 4, 8), "李明", "教研组", "王丽", "三年级", "三(2)班", "数学",
         "面积", "研讨课", 20, 30, 20, 70, "合格", None, None]
    )  # fmt: skip
    # an error: 投入度 over its 30 marks
    ws.append(
        [dt.datetime(2026, 3, 20), "李明", "教导处", "孙七", "三年级", "三(3)班", "英语",
         "Unit 3", "推门课", 35, 30, 20, 85, "良好", None, None]
    )  # fmt: skip
    ws.append(["合计", None, None, None, None, None, None, None, None, None, None, None, 325])
    wb.save(path)


def test_end_to_end_through_analyze_records(tmp_path: Path) -> None:
    path = tmp_path / "三年级听评课记录.xlsx"
    _write_observation_workbook(path)
    config = SchoolConfig(teaching=[Teaching("王丽", "数学", 3, 2), Teaching("孙七", "英语", 3, 3)])
    report = analyze_records(
        "observation", [path], config=config, month="2026-03", skip_invalid=True
    )
    assert report.problems.has_errors  # the 35 of 30
    summary = report.summary
    assert summary is not None
    school = row(summary.classes, None, None)
    assert school["听课节数"] == 2
    assert school["总分"] == pytest.approx(85)  # (80 + 90) / 2
    assert row(summary.classes, 3, 2)["学生投入度得分率"] == pytest.approx(0.8)  # 24 / 30
    assert grade_row(summary.levels, None)["教导处"] == 1  # 校级
    assert grade_row(summary.lesson_types, None)["推门课"] == 1  # 推门
    follow = grade_row(summary.follow_up, None)
    assert (follow["整改项"], follow["未整改"], follow["已整改"]) == (2, 1, 1)
    assert summary.unobserved["任课教师"].tolist() == ["孙七"]  # his lesson was an error
    totals = report.row_totals()
    # five rows read: three valid lessons (two in March), one error, one 合计 row
    assert totals == {"读取": 5, "计入": 2, "跳过": 2, "不在范围": 1}
    assert totals["读取"] == totals["计入"] + totals["跳过"] + totals["不在范围"]
