"""Tests of the sample school's routine records (toolkit.demo.records): the truth is realistic,
and every folder the writers produce reads back through the real readers to exactly the truth."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from toolkit.base.problems import Problem, ProblemReport
from toolkit.base.text import normalize
from toolkit.config.model import SchoolConfig
from toolkit.demo.records import (
    AS_OF,
    EQUALS_TEXT,
    ItemTruth,
    make_dirty_record_copies,
    make_homework,
    make_items,
    make_observations,
    make_weakpoints,
    observation_leaders,
    write_homework_files,
    write_item_files,
    write_observation_files,
    write_weakpoint_files,
)
from toolkit.demo.school import DirtyCell, SampleSchool, make_config, make_school
from toolkit.homework.schema import HOMEWORK, KINDS_OF_HOMEWORK
from toolkit.items.read import ItemRecords
from toolkit.items.report import load_items
from toolkit.kinds.registry import load_records
from toolkit.observation.schema import DIMENSIONS, OBSERVATION
from toolkit.records.fields import RecordKind
from toolkit.records.read import RecordTable
from toolkit.weakpoints.schema import CAUSES, WEAKPOINTS

MONTHS = ("2026-03", "2026-04", "2026-05")
HOMEWORK_KEY = ["检查日期", "年级", "班级", "学科"]
OBSERVATION_KEY = ["日期", "听课人", "授课教师", "年级", "班级", "学科", "课题", *DIMENSIONS]
WEAKPOINT_KEY = ["登记日期", "年级", "班级", "学科", "知识点"]
FLAGS = ["有批", "有改", "有评", "有追踪", "错题再学习"]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def school() -> SampleSchool:
    return make_school()


@pytest.fixture(scope="module")
def config(school: SampleSchool) -> SchoolConfig:
    return make_config(school)


@pytest.fixture(scope="module")
def homework(config: SchoolConfig) -> pd.DataFrame:
    return make_homework(config)


@pytest.fixture(scope="module")
def observations(config: SchoolConfig) -> pd.DataFrame:
    return make_observations(config)


@pytest.fixture(scope="module")
def weakpoints(config: SchoolConfig) -> pd.DataFrame:
    return make_weakpoints(config)


@pytest.fixture(scope="module")
def items(school: SampleSchool) -> ItemTruth:
    return make_items(school)


@pytest.fixture(scope="module")
def homework_dir(homework: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("records") / "作业检查"
    write_homework_files(homework, folder)
    return folder


@pytest.fixture(scope="module")
def observation_dir(observations: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("records") / "听评课"
    write_observation_files(observations, folder)
    return folder


@pytest.fixture(scope="module")
def weakpoint_dir(weakpoints: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("records") / "薄弱点台账"
    write_weakpoint_files(weakpoints, folder)
    return folder


@pytest.fixture(scope="module")
def item_dir(items: ItemTruth, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("records") / "小题分"
    write_item_files(items, folder)
    return folder


@pytest.fixture(scope="module")
def dirty(
    homework_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[DirtyCell]]:
    folder = tmp_path_factory.mktemp("dirty") / "作业检查"
    return folder, make_dirty_record_copies(homework_dir, folder)


def read(key: str, folder: Path, config: SchoolConfig) -> tuple[RecordTable, ProblemReport]:
    problems = ProblemReport()
    return load_records(key, [folder], config, problems), problems


# --------------------------------------------------------------------------- comparing


def as_read(truth: pd.DataFrame, kind: RecordKind) -> pd.DataFrame:
    """The truth in the reader's dtypes, free text NFKC-normalised as the reader does."""
    out = pd.DataFrame(index=truth.index)
    for f in kind.fields:
        column = truth[f.name]
        if f.type == "date":
            out[f.name] = pd.to_datetime(column)
        elif f.type in ("int", "grade", "class"):
            out[f.name] = column.astype("Int64")
        elif f.type in ("decimal", "percent"):
            out[f.name] = column.astype("float64")
        elif f.type == "yesno":
            out[f.name] = column.astype("boolean")
        elif f.type == "text":  # free text is kept as typed (full-width ，；（） too)
            values = [None if v is None else str(v) for v in column]
            out[f.name] = pd.Series(values, index=truth.index, dtype=object)
        else:
            values = [None if v is None else normalize(v) for v in column]
            out[f.name] = pd.Series(values, index=truth.index, dtype=object)
    return out


def assert_same_records(
    table: pd.DataFrame, truth: pd.DataFrame, kind: RecordKind, key: list[str]
) -> None:
    names = [f.name for f in kind.fields]
    expected = as_read(truth, kind).sort_values(key, kind="stable").reset_index(drop=True)
    got = table[names].sort_values(key, kind="stable").reset_index(drop=True)
    for f in kind.fields:
        if f.type == "date":
            assert got[f.name].dtype.kind == "M", f.name
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=False)


def assert_reader_dtypes(table: pd.DataFrame, kind: RecordKind) -> None:
    expect = {"int": "Int64", "grade": "Int64", "class": "Int64", "decimal": "float64"}
    expect |= {"percent": "float64", "yesno": "boolean"}
    for f in kind.fields:
        if f.type in expect:
            assert str(table[f.name].dtype) == expect[f.type], f.name
        elif f.type == "date":
            assert table[f.name].dtype.kind == "M", f.name


def located(problems: list[Problem]) -> set[tuple[str, str, str]]:
    return {(p.file, p.sheet, p.cell) for p in problems}


# --------------------------------------------------------------------------- generators


def test_generators_are_deterministic_and_fast(config: SchoolConfig, school: SampleSchool) -> None:
    start = time.perf_counter()
    frames = [make_homework(config), make_observations(config), make_weakpoints(config)]
    item_truth = make_items(school)
    assert time.perf_counter() - start < 2.0
    again = [make_homework(config), make_observations(config), make_weakpoints(config)]
    for a, b in zip(frames, again, strict=True):
        pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(item_truth.marks, make_items(school).marks)
    assert not make_homework(config, seed=1).equals(frames[0])
    assert not make_observations(config, seed=1).equals(frames[1])
    assert not make_weakpoints(config, seed=1).equals(frames[2])


def test_homework_truth(homework: pd.DataFrame, config: SchoolConfig) -> None:
    assert list(homework.columns) == [f.name for f in HOMEWORK.fields]
    assert len(homework) == len(config.teaching) * len(MONTHS)
    assert all(isinstance(d, dt.date) for d in homework["检查日期"])
    months = homework["检查日期"].map(lambda d: f"{d.year}-{d.month:02d}")
    assert sorted(months.unique()) == list(MONTHS)
    assert (homework.groupby([months, "年级"])["检查日期"].nunique() <= 2).all()
    assigned = {(t.teacher, t.grade, t.number, t.subject) for t in config.teaching}
    rows = set(
        zip(homework["任课教师"], homework["年级"], homework["班级"], homework["学科"], strict=True)
    )
    assert rows == assigned
    assert not homework.duplicated(HOMEWORK_KEY).any()
    for name in ("年级", "班级", "布置次数", *KINDS_OF_HOMEWORK):
        assert homework[name].dtype == np.int64
    assert all(homework[f].dtype == bool for f in FLAGS)
    mix = homework[list(KINDS_OF_HOMEWORK)].sum(axis=1) != homework["布置次数"]
    assert 1 <= mix.sum() <= max(1, round(0.05 * len(homework)))
    minutes = homework["日均时长"]
    assert minutes.between(35, 60).mean() > 0.8 and (minutes > 60).sum() >= 1
    assert homework["得分"].between(0, 100).all() and homework["得分"].between(80, 98).mean() > 0.8
    assert homework["得分"].lt(80).any()
    levels = pd.cut(homework["得分"], [-1, 59.99, 79.99, 89.99, 100], labels=False)
    assert (levels.map({0: "待改进", 1: "合格", 2: "良好", 3: "优秀"}) == homework["等级"]).all()
    rates = homework[FLAGS].mean()
    assert rates["有批"] > 0.9 and 0.65 <= rates["有追踪"] <= 0.9
    assert 0.65 <= rates["错题再学习"] <= 0.9
    fine = homework[FLAGS].all(axis=1) & (minutes <= 60) & (homework["得分"] >= 85)
    assert homework.loc[fine, ["存在问题", "整改要求"]].isna().all().all()
    assert homework.loc[~fine, "存在问题"].notna().mean() > 0.7
    assert homework.loc[~fine, ["存在问题", "整改要求"]].isna().any().any()  # some left blank
    assert (homework["存在问题"] == EQUALS_TEXT).sum() == 1
    leaders = {c.grade: c.head_teacher for c in config.classes if c.number == 1}
    assert (homework["检查人"] == homework["年级"].map(leaders)).all()


def test_observation_truth(observations: pd.DataFrame, config: SchoolConfig) -> None:
    obs = observations
    assert list(obs.columns) == [f.name for f in OBSERVATION.fields]
    assert not obs.duplicated(OBSERVATION_KEY).any()
    for d in DIMENSIONS:
        assert obs[d].between(0, config.observation_marks[d]).all()
    off = (obs[list(DIMENSIONS)].sum(axis=1) - obs["总分"]).abs()
    assert (off > 0).sum() == 1 and off.max() == 2
    levels = pd.cut(obs["总分"], [-1, 59.99, 79.99, 89.99, 100], labels=False)
    assert (levels.map({0: "待改进", 1: "合格", 2: "良好", 3: "优秀"}) == obs["等级"]).all()
    assert set(obs["听课层级"]) == {"教导处", "年级组", "教研组"}
    assert (obs["课型"] == "推门课").mean() > 0.6
    assert (obs["听课人"] != obs["授课教师"]).all()
    teaching = {(t.teacher, t.grade, t.number, t.subject) for t in config.teaching}
    assert set(zip(obs["授课教师"], obs["年级"], obs["班级"], obs["学科"], strict=True)) <= teaching
    never = set(config.teachers) - set(obs["授课教师"])
    assert 2 <= len(never) <= 3
    last = obs[obs["日期"].map(lambda d: d.month) == 5]
    assert never <= set(config.teachers) - set(last["授课教师"])
    observers = set(obs["听课人"])
    assert set(observation_leaders(config)) <= observers
    assert len(observers & set(config.teachers)) >= 10
    assert (obs["整改状态"].isna() == obs["存在问题"].isna()).all()
    assert set(obs["整改状态"].dropna()) == {"未整改", "整改中", "已整改"}
    assert (obs["复查日期"].notna() == (obs["整改状态"] == "已整改")).all()
    reviewed = obs[obs["复查日期"].notna()]
    assert (reviewed["复查日期"] > reviewed["日期"]).all()


def test_weakpoint_truth(weakpoints: pd.DataFrame, config: SchoolConfig) -> None:
    wp = weakpoints
    assert list(wp.columns) == [f.name for f in WEAKPOINTS.fields]
    assert not wp.duplicated(WEAKPOINT_KEY).any()
    assert (wp.groupby(["年级", "班级"]).size() >= 2 * len(MONTHS)).all()
    shared = wp.groupby(["年级", "知识点"])["班级"].nunique()
    assert (shared.groupby("年级").max() >= 2).all()
    rate, people = wp["错误率"], wp["涉及人数"]
    assert rate.dropna().between(0.13, 0.6).all()
    assert rate.isna().any() and people.isna().any()
    assert not (rate.isna() & people.isna()).any()
    sizes = {(c.grade, c.number): c.size for c in config.classes}
    both = wp[rate.notna() & people.notna()]
    size = [sizes[(g, n)] for g, n in zip(both["年级"], both["班级"], strict=True)]
    assert np.allclose(both["错误率"], both["涉及人数"].astype(float) / size, atol=0.0051)
    assert set(wp["原因类别"]) <= set(CAUSES)
    teacher = {(t.grade, t.number, t.subject): t.teacher for t in config.teaching}
    assert (
        wp.apply(lambda r: teacher[(r["年级"], r["班级"], r["学科"])], axis=1) == wp["责任教师"]
    ).all()
    weeks = (wp["计划完成日期"] - wp["登记日期"]).map(lambda d: d.days)
    assert weeks.between(14, 35).all()
    closed = wp["状态"] == "已销号"
    assert (wp["复测日期"].notna() == closed).all() and (wp["复测正确率"].notna() == closed).all()
    assert wp.loc[closed, "复测正确率"].between(0.7, 0.95).all()
    assert (wp.loc[closed, "复测日期"] <= AS_OF).all()
    march = wp["登记日期"].map(lambda d: d.month) == 3
    assert (wp.loc[march, "状态"] == "已销号").mean() > 0.6
    overdue = (wp["计划完成日期"] < AS_OF) & ~closed
    assert overdue.sum() >= 2 and set(wp.loc[overdue, "状态"]) <= {"整改中", "待整改"}


def test_item_truth(items: ItemTruth, school: SampleSchool) -> None:
    table = items.items
    assert list(table.columns) == ["题号", "满分", "知识点"] and len(table) == 20
    assert table["题号"].is_unique and "13(1)" in set(table["题号"])
    assert table["满分"].between(2, 10).all() and table["满分"].sum() == 100
    assert 6 <= table["知识点"].nunique() <= 8
    marks = items.marks
    assert list(marks.columns) == ["年级", "班级", "学号", "姓名", "题号", "分数", "缺考"]
    grade4 = school.truth[school.truth["年级"] == 4]
    assert set(marks["学号"]) == set(grade4["学号"]) and len(marks) == 20 * len(grade4)
    absent = marks.groupby("学号")["缺考"].agg(["all", "any"])
    assert (absent["all"] == absent["any"]).all() and 2 <= absent["all"].sum() <= 6
    assert marks.loc[marks["缺考"], "分数"].isna().all()
    present = marks[~marks["缺考"]].merge(table, on="题号")
    assert present["分数"].notna().all() and (present["分数"] <= present["满分"]).all()
    by_point = present.groupby("知识点")[["分数", "满分"]].sum()
    by_class = present.groupby(["班级", "知识点"])[["分数", "满分"]].sum()
    grade_rate = by_point["分数"] / by_point["满分"]
    class_rate = by_class["分数"] / by_class["满分"]
    assert 0.68 <= present["分数"].sum() / present["满分"].sum() <= 0.85
    for point in items.hard_points:
        assert class_rate[(items.hard_class, point)] < 0.6 <= grade_rate[point] - 0.05
    totals = present.groupby("学号")["分数"].sum().sort_values()
    k = round(0.27 * len(totals))
    bottom, top = set(totals.index[:k]), set(totals.index[-k:])
    discrimination = {}
    for label, group in present.groupby("题号"):
        full = group["满分"].iloc[0]
        top_mean = group.loc[group["学号"].isin(top), "分数"].mean()
        bottom_mean = group.loc[group["学号"].isin(bottom), "分数"].mean()
        discrimination[label] = (top_mean - bottom_mean) / full
    assert abs(discrimination.pop(items.flat_item)) < 0.15
    assert min(discrimination.values()) > 0.2


# --------------------------------------------------------------------------- read back


def test_homework_reads_back_to_truth(
    homework_dir: Path, homework: pd.DataFrame, config: SchoolConfig
) -> None:
    table, problems = read("homework", homework_dir, config)
    assert problems.errors == []
    assert len(table.valid) == len(table.frame) == len(homework)
    assert_reader_dtypes(table.valid, HOMEWORK)
    assert_same_records(table.valid, homework, HOMEWORK, HOMEWORK_KEY)
    frame = table.frame
    mix = frame[list(KINDS_OF_HOMEWORK)].sum(axis=1) != frame["布置次数"]
    expected = {
        (frame.at[i, "文件"], frame.at[i, "工作表"], table.cell(i, "布置次数"))
        for i in frame.index[mix]
    }
    truth_mix = homework[list(KINDS_OF_HOMEWORK)].sum(axis=1) != homework["布置次数"]
    assert len(expected) == truth_mix.sum()
    warnings = problems.of("warning")
    assert {p.code for p in warnings} == {"homework.mix"}
    assert located(warnings) == expected
    notes = problems.of("note")
    assert {p.code for p in notes} == {"row.summary"}
    assert all(p.value == "合计" for p in notes)
    assert EQUALS_TEXT in set(frame["存在问题"])


def test_homework_files_use_mixed_layouts(homework_dir: Path) -> None:
    names = sorted(p.name for p in homework_dir.iterdir())
    assert names == [
        "2026年3月作业检查.xlsx",
        "2026年4月作业检查.xlsx",
        "2026年5月作业检查.xlsx",
        "2026年5月六年级作业检查.xls",
    ]
    headers: set[str] = set()
    cells: set[object] = set()
    merged_data = 0
    equals_is_text = False
    for path in sorted(homework_dir.glob("*.xlsx")):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            assert ws.title.endswith("年级")
            assert ws.merged_cells.ranges and "作业检查记录表" in str(ws["A1"].value)
            headers |= {str(c.value) for row in ws.iter_rows(max_row=4) for c in row if c.value}
            for row in ws.iter_rows(min_row=3):
                for c in row:
                    cells.add(c.value)
                    if c.value == EQUALS_TEXT:
                        equals_is_text = c.data_type == "s"
            merged_data += sum(1 for r in ws.merged_cells.ranges if r.min_row != r.max_row)
    assert {"作业次数", "批阅", "订正", "错题本", "等次", "教师", "日期"} <= headers
    assert {"检查日期", "布置次数", "日均时长(分钟)", "有批"} <= headers
    assert {"√", "×", "是", "否", "有", "无", "合计", "三(2)班", "3-2", "2班", "A"} <= cells
    assert any(isinstance(v, str) and v.startswith("2026年") and v.endswith("日") for v in cells)
    assert any(isinstance(v, str) and v.endswith("分钟") for v in cells)
    assert merged_data >= 3 and equals_is_text


def test_observations_read_back_to_truth(
    observation_dir: Path, observations: pd.DataFrame, config: SchoolConfig
) -> None:
    table, problems = read("observation", observation_dir, config)
    assert problems.errors == []
    assert len(table.valid) == len(table.frame) == len(observations)
    assert_reader_dtypes(table.valid, OBSERVATION)
    assert_same_records(table.valid, observations, OBSERVATION, OBSERVATION_KEY)
    frame = table.frame
    off = (frame[list(DIMENSIONS)].sum(axis=1) - frame["总分"]).abs() > 0.01
    assert off.sum() == 1
    i = frame.index[off][0]
    assert [(p.code, p.file, p.sheet, p.cell) for p in problems.of("warning")] == [
        ("observation.total", frame.at[i, "文件"], frame.at[i, "工作表"], table.cell(i, "总分"))
    ]
    names = {p.name for p in observation_dir.iterdir()}
    assert "教导处推门听课记录.xlsx" in names and "三年级组听评课记录.xlsx" in names
    assert "语文教研组听课记录.xlsx" in names and any(n.endswith(".xls") for n in names)


def test_weakpoints_read_back_to_truth(
    weakpoint_dir: Path, weakpoints: pd.DataFrame, config: SchoolConfig
) -> None:
    table, problems = read("weakpoints", weakpoint_dir, config)
    assert problems.errors == [] and problems.of("warning") == []
    assert len(table.valid) == len(table.frame) == len(weakpoints)
    assert_reader_dtypes(table.valid, WEAKPOINTS)
    assert_same_records(table.valid, weakpoints, WEAKPOINTS, WEAKPOINT_KEY)
    notes = problems.of("note")
    assert {p.code for p in notes} == {"row.stray"}
    sheets = {(p.file, p.sheet) for p in notes}
    assert sheets == set(zip(table.frame["文件"], table.frame["工作表"], strict=True))
    names = sorted(p.name for p in weakpoint_dir.iterdir())
    assert names == sorted(f"{w}年级薄弱点台账.xlsx" for w in "三四五六")
    wb = load_workbook(weakpoint_dir / "三年级薄弱点台账.xlsx")
    assert wb.sheetnames == ["3月", "4月", "5月"]
    percent_cells = [
        c for row in wb["3月"].iter_rows(min_row=3) for c in row if c.number_format == "0%"
    ]
    assert percent_cells and all(isinstance(c.value, float) for c in percent_cells if c.value)
    wb = load_workbook(weakpoint_dir / "四年级薄弱点台账.xlsx")
    assert wb.sheetnames == ["语文", "数学", "英语"]
    texts = {c.value for row in wb["数学"].iter_rows(min_row=3) for c in row}
    assert any(isinstance(v, str) and v.endswith("%") for v in texts)


def test_items_read_back_to_truth(item_dir: Path, items: ItemTruth, config: SchoolConfig) -> None:
    problems = ProblemReport()
    recs: ItemRecords = load_items([item_dir], config, problems)
    assert problems.errors == [] and problems.of("warning") == []
    assert {p.code for p in problems.of("note")} == {"class.source", "row.summary"}
    students = recs.students
    assert (students["学科"] == items.subject).all() and (students["考试"] == items.exam).all()
    truth_students = items.marks.drop_duplicates("学号")[["年级", "班级", "学号", "姓名"]]
    got = students[["年级", "班级", "学号", "姓名"]].sort_values("学号").reset_index(drop=True)
    expected = truth_students.sort_values("学号").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    marks = recs.marks.join(students[["学号"]], on="sid")
    assert set(marks["状态"]) == {"valid", "absent"}
    got_marks = marks.set_index(["学号", "题号"]).sort_index()
    truth_marks = items.marks.set_index(["学号", "题号"]).sort_index()
    assert got_marks.index.equals(truth_marks.index)
    assert np.array_equal(got_marks["分数"], truth_marks["分数"], equal_nan=True)
    assert ((got_marks["状态"] == "absent") == truth_marks["缺考"]).all()
    assert (got_marks["满分"] == truth_marks.join(items.items.set_index("题号"))["满分"]).all()
    sheet_items = recs.items.drop_duplicates(["题号", "满分", "知识点"])
    assert len(sheet_items) == len(items.items)
    merged = items.items.merge(sheet_items, on=["题号", "满分", "知识点"])
    assert len(merged) == len(items.items) and (merged["年级"] == items.grade).all()
    names = sorted(p.name for p in item_dir.iterdir())
    assert names == ["四(3)班数学期末小题分.xlsx", "四年级数学期末小题分.xlsx"]


# --------------------------------------------------------------------------- dirty copy


def test_dirty_copy_errors_are_named_at_their_cells(
    dirty: tuple[Path, list[DirtyCell]], homework: pd.DataFrame, config: SchoolConfig
) -> None:
    folder, planted = dirty
    assert [d.reason for d in planted] == ["above_range", "not_yes_no", "class_invalid", "bad_date"]
    assert [d.value for d in planted][:2] == [105, "良"]
    assert str(planted[3].value).endswith("月32日")
    assert len({d.file for d in planted}) == 2
    table, problems = read("homework", folder, config)
    errors = problems.errors
    assert located(errors) == {(d.file, d.sheet, d.cell) for d in planted}
    codes = {(p.cell, p.code) for p in errors}
    assert codes == {
        (planted[0].cell, "field.range"),
        (planted[1].cell, "field.invalid"),
        (planted[2].cell, "field.invalid"),
        (planted[3].cell, "field.invalid"),
    }
    assert len(table.frame) == len(homework) and len(table.valid) == len(homework) - len(planted)
    bad = table.frame[table.frame["问题"] != ""]
    assert len(bad) == len(planted)
    # Every other record is read as before, the = text included.
    good = table.valid
    got_keys = set(
        zip(good["检查日期"].dt.date, good["年级"], good["班级"], good["学科"], strict=True)
    )
    truth_keys = zip(
        homework["检查日期"], homework["年级"], homework["班级"], homework["学科"], strict=True
    )
    kept = homework[[k in got_keys for k in truth_keys]]
    assert len(kept) == len(good)
    assert_same_records(good, kept, HOMEWORK, HOMEWORK_KEY)
    warnings = {p.code for p in problems.of("warning")}
    assert warnings <= {"homework.mix"}
