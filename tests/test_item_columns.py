"""小题分 read column by column (issue 20): a problem still names its exact cell and quotes it as
typed, the long frame of marks reads as it always did, and the analysis taken over the marks as
arrays gives the very tables (to the last bit) of the analysis taken the long way."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.items.arrays import ValidMarks
from toolkit.items.metrics import (
    ItemAnalysis,
    _analyse_arrays,
    _analyse_frame,
    analyse,
    analyse_records,
)
from toolkit.items.read import ITEM_COLUMNS, MARK_COLUMNS, RECORD_COLUMNS
from toolkit.items.report import load_items

TODAY = dt.date(2026, 6, 30)
SLOW = [HealthCheck.too_slow]
FRAMES = ("items", "item_classes", "points", "suggestions", "students", "item_schools")


def _write(path: Path, rows: list[list[Any]]) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("四(2)班")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


def _item_file(tmp_path: Path, students: int = 300) -> Path:
    """四(2)班's 数学 items: 学号 and 姓名 in A and B, items 1–3 in C–E (满分 5, 5, 10), the
    table's header in row 2 and the students from row 5 on; three bad cells far down."""
    rows: list[list[Any]] = [
        ["学科", "数学", "考试", "期末"],
        ["学号", "姓名", "1", "2", "3"],
        ["", "满分", 5, 5, 10],
        ["", "知识点", "计算", "计算", "图形"],
    ]
    for k in range(students):
        rows.append([f"{k:04d}", f"学生{k}", k % 6, (k * 7) % 6, (k * 3) % 11])
    rows[4 + 250][4] = "abc"  # E255: not a score
    rows[4 + 251][2] = -1  # C256: below 0
    rows[4 + 252][3] = "12分"  # D257: above 满分 5, as typed
    rows[4 + 253][3] = "缺考"  # D258: absent, no problem
    return _write(tmp_path / "四年级数学期末小题分.xlsx", rows)


def test_a_bad_item_cell_is_named_by_its_exact_cell(tmp_path: Path) -> None:
    report = ProblemReport()
    records = load_items([_item_file(tmp_path)], SchoolConfig(), report)
    found = [(p.code, p.sheet, p.cell, p.value) for p in report.errors]
    assert found == [
        ("score.invalid", "四(2)班", "E255", "abc"),
        ("score.negative", "四(2)班", "C256", -1.0),
        ("score.above_full", "四(2)班", "D257", "12分"),
    ]
    messages = [p.message for p in report.errors]
    assert "第3题" in messages[0] and "第2题" in messages[2]
    # The long frame still names every mark's cell, and quotes the cells with a problem.
    marks = records.marks
    assert list(marks.columns) == MARK_COLUMNS
    assert len(marks) == 300 * 3
    first = marks.iloc[0]
    assert (first["单元格"], first["题号"], first["分数"], first["状态"]) == (
        "C5",
        "1",
        0.0,
        "valid",
    )
    bad = marks[marks["问题"] != ""].set_index("单元格")
    assert list(bad.index) == ["E255", "C256", "D257"]
    assert list(bad["状态"]) == ["invalid"] * 3 and bad["分数"].isna().all()
    assert list(bad["原值"]) == ["abc", -1.0, "12分"]
    assert marks.set_index("单元格").loc["D258", "状态"] == "absent"


def test_the_block_and_the_long_frame_give_one_analysis(tmp_path: Path) -> None:
    records = load_items([_item_file(tmp_path)], SchoolConfig(), ProblemReport())
    config = SchoolConfig()
    from_block = analyse_records(records, config, TODAY)
    from_frame = analyse(records.students, records.marks, records.items, config, TODAY)
    the_long_way = _analyse_frame(records.students, records.marks, records.items, config, TODAY)
    _same(from_block, the_long_way)
    _same(from_frame, the_long_way)


# ------------------------------------------------------------------------------------------
# The array analysis against the long one, on frames shaped like the reader's


LABELS = st.lists(
    st.sampled_from(["1", "2", "3", "4(1)", "4(2)"]), min_size=1, max_size=4, unique=True
)


@st.composite
def exams(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Students of 1–3 schools and 1–2 exams, each exam on one or two sheets (the same items,
    their 满分 possibly told apart), marks valid, blank or unreadable."""
    halves = st.integers(0, 20).map(lambda h: h / 2)
    schools = draw(st.sampled_from([[""], ["一小"], ["一小", "二小"], ["一小", "二小", "三小"]]))
    students: list[tuple[Any, ...]] = []
    marks: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    for exam in draw(
        st.lists(st.sampled_from(["期中", "期末"]), min_size=1, max_size=2, unique=True)
    ):
        labels = draw(LABELS)
        points = [draw(st.sampled_from(["计算", "图形", "", "统计"])) for _ in labels]
        for sheet in range(draw(st.integers(1, 2))):
            fulls = [float(draw(st.sampled_from([2, 4, 5, 10]))) for _ in labels]
            file = f"{exam}{sheet}.xlsx"
            for k, (label, full, point) in enumerate(zip(labels, fulls, points, strict=True)):
                items.append(
                    (4, "数学", exam, label, full, point, file, "Sheet1", f"{'CDEFG'[k]}4")
                )
            for r in range(draw(st.integers(1, 12))):
                sid = len(students)
                school = draw(st.sampled_from(schools))
                klass = draw(st.integers(1, 3))
                students.append(
                    (4, klass, f"{sid:04d}", f"学生{sid}", "数学", exam, file, "Sheet1", r + 6,
                     f"B{r + 6}", school)
                )  # fmt: skip
                for k, (label, full, point) in enumerate(zip(labels, fulls, points, strict=True)):
                    kind = draw(st.sampled_from(["valid"] * 6 + ["absent", "invalid"]))
                    score = min(draw(halves), full) if kind == "valid" else math.nan
                    code = "score.invalid" if kind == "invalid" else ""
                    marks.append(
                        (sid, label, score, kind, code, None, full, point, f"{'CDEFG'[k]}{r + 6}")
                    )
    student_frame = pd.DataFrame(students, columns=RECORD_COLUMNS)
    if schools == [""] and draw(st.booleans()):
        student_frame = student_frame.drop(columns="学校")  # one school's frame has none
    student_frame.index.name = "sid"
    mark_frame = pd.DataFrame(marks, columns=MARK_COLUMNS)
    mark_frame[["分数", "满分"]] = mark_frame[["分数", "满分"]].astype(float)
    item_frame = pd.DataFrame(items, columns=ITEM_COLUMNS)
    item_frame["满分"] = item_frame["满分"].astype(float)
    return student_frame, mark_frame, item_frame


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=SLOW)
@given(exams(), st.sampled_from([0.6, 0.7, 0.9]))
def test_array_analysis_equals_the_long_way(
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], line: float
) -> None:
    students, marks, items = frames
    config = SchoolConfig(weak_point_line=line)
    valid = ValidMarks.of_frame(students, marks)
    if not len(valid):
        return
    assert valid.exact()  # halves add exactly
    _same(
        _analyse_arrays(students, valid, items, config, TODAY),
        _analyse_frame(students, marks, items, config, TODAY),
    )


def test_scores_that_do_not_add_exactly_are_analysed_the_long_way() -> None:
    students = pd.DataFrame(
        [(4, 1, f"{k}", f"学生{k}", "数学", "期末", "a.xlsx", "Sheet1", k + 6, f"B{k + 6}", "")
         for k in range(4)],
        columns=RECORD_COLUMNS,
    )  # fmt: skip
    students.index.name = "sid"
    marks = pd.DataFrame(
        [(k, "1", 0.1 * (k + 1), "valid", "", None, 1.0, "计算", f"C{k + 6}") for k in range(4)],
        columns=MARK_COLUMNS,
    )
    items = pd.DataFrame(
        [(4, "数学", "期末", "1", 1.0, "计算", "a.xlsx", "Sheet1", "C4")], columns=ITEM_COLUMNS
    )
    assert not ValidMarks.of_frame(students, marks).exact()
    config = SchoolConfig()
    _same(
        analyse(students, marks, items, config, TODAY),
        _analyse_frame(students, marks, items, config, TODAY),
    )


def _same(got: ItemAnalysis, expected: ItemAnalysis) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), check_exact=True)
    assert got.point_schools is not None and expected.point_schools is not None
    pd.testing.assert_frame_equal(got.point_schools, expected.point_schools, check_exact=True)
    assert (got.line, got.gap, got.schools) == (expected.line, expected.gap, expected.schools)


@pytest.mark.parametrize("students", [1, 2, 3, 4, 7])
def test_small_exams_keep_their_27_percent_groups(tmp_path: Path, students: int) -> None:
    """Ties at the boundary go by reading order; one student is in no 低分组."""
    rows: list[list[Any]] = [["学号", "姓名", "1"], ["", "满分", 10]]
    rows += [[f"{k}", f"学生{k}", 5] for k in range(students)]  # every total the same
    records = load_items(
        [_write(tmp_path / "四年级数学小题分.xlsx", rows)], SchoolConfig(), ProblemReport()
    )
    got = analyse_records(records, SchoolConfig(), TODAY)
    _same(
        got, _analyse_frame(records.students, records.marks, records.items, SchoolConfig(), TODAY)
    )
    groups = list(got.students.sort_values("sid")["组"])
    assert groups[0] == "高分组" and (students == 1 or groups[-1] == "低分组")
    assert np.array_equal(got.students["sid"], np.arange(students))


# ------------------------------------------------------------------------------------------
# The mark rules checked once per distinct (分数, 满分) pair


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.sampled_from([-1.0, -0.0, 0.0, 0.5, 2.0, 5.0, 10.0, 10.5]),
                st.floats(-5, 15, allow_nan=False),  # many distinct: the pairs numbered
            ),
            st.integers(0, 2),
            st.booleans(),
        ),
        max_size=60,
    )
)
def test_marks_failing_a_rule_are_found_through_their_pairs(
    marks: list[tuple[float, int, bool]],
) -> None:
    from toolkit.items.block import INVALID, VALID, MarkBlock
    from toolkit.items.validate import _failing

    fulls = np.array([2.0, 10.0, 10.0])  # two items share a 满分
    n = len(marks)
    block = MarkBlock(
        np.arange(n, dtype=np.int64),
        np.array([item for _, item, _ in marks], dtype=np.int64),
        np.array([score for score, _, _ in marks], dtype=float),
        np.array([VALID if ok else INVALID for *_, ok in marks], dtype=np.int8),
        np.zeros(n, dtype=np.int16),
    )
    valid = np.flatnonzero(block.status == VALID)
    # The rules the long way, mark by mark: below 0 or above the item's 满分.
    expected = [i for i in valid if block.score[i] < 0 or block.score[i] > fulls[block.item[i]]]
    assert _failing(block, fulls).tolist() == expected
    # The same with the pairs numbered as they occur, as when nearly every score differs.
    from unittest import mock

    from toolkit.items import validate

    with mock.patch.object(validate, "_TABLE_PAIRS", -(10**9)):
        assert _failing(block, fulls).tolist() == expected


def test_the_item_cells_are_taken_student_by_student_from_any_columns() -> None:
    from toolkit.items.read import _cells

    rows = [["张三", 1.0, "x", 2.0, 3.0], ["表头"], ["李四", 4.0, "y", 5.0, 6.0], ["王五", 7.0]]
    # Side by side, apart (an empty item column left out), one; and short rows padded with "".
    assert _cells(rows, [0, 2], [1, 2, 3]).tolist() == [1.0, "x", 2.0, 4.0, "y", 5.0]
    assert _cells(rows, [0, 2], [1, 3, 4]).tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert _cells(rows, [2], [4]).tolist() == [6.0]
    assert _cells(rows, [0, 3], [1, 3]).tolist() == [1.0, 2.0, 7.0, ""]
    assert _cells(rows, [], [1, 3]).tolist() == []


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_marks_in_a_grid_are_grouped_as_when_gathered_mark_by_mark(
    n: int, k: int, seed: int, with_entries: bool
) -> None:
    # One table's marks lie students × items in order: the codes added by broadcasting give
    # the groups, counts, sums and first marks that gathering each mark's codes gives.
    from toolkit.items.arrays import MarkGroups, ValidMarks

    rng = np.random.default_rng(seed)
    student = np.repeat(np.arange(n, dtype=np.int64), k)
    student[rng.random(n * k) < 0.2] = -1  # not valid
    marks = ValidMarks(
        student,
        np.tile(np.arange(k, dtype=np.int64), n),
        np.where(student >= 0, rng.integers(0, 5, n * k) / 2, np.nan),
        pd.Series([str(j) for j in range(k)]),
        np.full(k, 5.0),
        pd.Series(["计算"] * k),
    )
    students = n + int(rng.integers(0, 3))
    klass = rng.integers(-1, 3, students)  # -1: a student in no class
    point = rng.integers(-1, 2, k)
    keys = ([(klass, 3)], [(point, 2)] if with_entries else [])
    in_grid = MarkGroups(marks, students)
    assert in_grid._grid == (n, k)
    gathered = MarkGroups(marks, students)
    gathered._grid = None
    weights = {"score": np.nan_to_num(marks.score)}
    a = in_grid.group(*keys, weights, first=True)
    b = gathered.group(*keys, weights, first=True)
    assert [x.tolist() for x in a.keys] == [x.tolist() for x in b.keys]
    assert a.counts.tolist() == b.counts.tolist() and a.first.tolist() == b.first.tolist()
    assert a.sums["score"].tolist() == b.sums["score"].tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, -0.0, 0.5, 1 / 3, 2.0**41, 1e300, math.inf, 3.0]),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([[2.0], [2.0**41], [0.1], [math.inf]]),
)
def test_exact_sums_asked_of_the_distinct_scores_as_of_every_mark(
    marks: list[tuple[float, bool]], fulls: list[float]
) -> None:
    from toolkit.items.arrays import _EXACT_BELOW, _SCALE, ValidMarks

    student = np.array([0 if ok else -1 for _, ok in marks], dtype=np.int64)
    score = np.array([s if ok else np.nan for s, ok in marks])
    valid = ValidMarks(
        student, np.zeros(len(marks), np.int64), score, pd.Series(["1"]), np.array(fulls),
        pd.Series(["计算"]),
    )  # fmt: skip
    # The test every mark is put to, the long way.
    counted = student >= 0
    every = np.where(counted, score, 0.0)
    expected = True
    for values, bound in ((every, np.abs(every).sum()), (np.array(fulls), 0.0)):
        scaled = values * _SCALE
        if (
            not np.isfinite(scaled).all()
            or not np.array_equal(scaled, np.round(scaled))
            or bound >= _EXACT_BELOW
        ):
            expected = False
    if expected:
        expected = max(abs(f) for f in fulls) * np.count_nonzero(counted) < _EXACT_BELOW
    assert valid.exact() == expected
