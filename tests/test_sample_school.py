"""Tests of the sample-school generator (toolkit.demo.school) only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from toolkit.demo.school import (
    SUBJECTS,
    SUBJECTS_BY_GRADE,
    SampleSchool,
    make_dirty_copy,
    make_previous,
    make_school,
    write_score_files,
)

TRUTH_COLUMNS = ["年级", "班级", "学号", "姓名", *SUBJECTS]


@pytest.fixture(scope="module")
def school() -> SampleSchool:
    """The default school, drawn once for the module."""
    return make_school()


@pytest.fixture(scope="module")
def written(school: SampleSchool, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default school's files, written once for the module."""
    out = tmp_path_factory.mktemp("sample")
    write_score_files(school, out)
    return out


def test_same_seed_gives_identical_truth() -> None:
    a, b = make_school(seed=11), make_school(seed=11)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    pd.testing.assert_frame_equal(a.absent, b.absent)
    assert not make_school(seed=12).truth.equals(a.truth)


def test_truth_columns_and_values(school: SampleSchool) -> None:
    truth = school.truth
    assert list(truth.columns) == TRUTH_COLUMNS
    assert (truth["年级"].dtype, truth["班级"].dtype) == (np.int64, np.int64)
    assert all(truth[s].dtype == np.float64 for s in SUBJECTS)
    assert truth["学号"].is_unique and truth["学号"].str.fullmatch(r"\d{8}").all()
    assert (truth["姓名"] == truth["姓名"].str.strip()).all()
    assert not truth.duplicated(["年级", "班级", "姓名"]).any()
    scores = truth[SUBJECTS].stack().dropna()
    assert scores.between(0, 100).all() and ((scores * 2) % 1 == 0).all()
    assert truth.groupby(["年级", "班级"]).ngroups == 12


def test_absent_marks_match_truth(school: SampleSchool) -> None:
    absent = school.absent
    assert list(absent.columns) == ["年级", "班级", "学号", "姓名", "学科"]
    n_missing = sum(
        int(school.truth.loc[school.truth["年级"] == g, SUBJECTS_BY_GRADE[g]].isna().sum().sum())
        for g in (3, 4, 5, 6)
    )
    assert n_missing == len(absent)
    assert len(school.truth) / 60 < len(absent) < len(school.truth) / 25
    by_id = school.truth.set_index("学号")
    assert all(
        np.isnan(by_id.at[sid, subj])
        for sid, subj in zip(absent["学号"], absent["学科"], strict=True)
    )


def test_previous_exam_is_close_but_different(school: SampleSchool) -> None:
    prev = make_previous(school)
    assert prev.exam == "期中"
    pd.testing.assert_frame_equal(prev.truth.iloc[:, :4], school.truth.iloc[:, :4])
    diff = (prev.truth[SUBJECTS] - school.truth[SUBJECTS]).stack().dropna()
    assert diff.abs().mean() < 5 and diff.abs().max() > 0
    old = set(zip(school.absent["学号"], school.absent["学科"], strict=True))
    new = set(zip(prev.absent["学号"], prev.absent["学科"], strict=True))
    assert new and not old & new


def test_files_exist(school: SampleSchool, tmp_path: Path) -> None:
    paths = write_score_files(school, tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in paths)
    assert names == sorted(
        [
            "三年级期末成绩.xlsx",
            "四年级/四(1)班期末成绩.xlsx",
            "四年级/四(2)班期末成绩.xlsx",
            "四年级/四(3)班期末成绩.xlsx",
            "五年级成绩.xlsx",
            "六年级期末成绩.xlsx",
        ]
    )
    assert all(p.is_file() for p in paths)


def test_xls_replaces_layout_d(school: SampleSchool, tmp_path: Path) -> None:
    pytest.importorskip("xlwt")
    paths = write_score_files(school, tmp_path, with_xls=True)
    assert tmp_path / "六年级期末成绩.xls" in paths
    assert not (tmp_path / "六年级期末成绩.xlsx").exists()
    assert (tmp_path / "六年级期末成绩.xls").stat().st_size > 0


def test_layout_a_round_trip(school: SampleSchool, written: Path) -> None:
    ws = load_workbook(written / "三年级期末成绩.xlsx")["Sheet1"]
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[3]]
    assert header == ["序号", "班级", "学号", "姓名", "语文", "数学", "英语", "总分", "名次"]
    assert {ws.cell(r, 2).value for r in range(4, ws.max_row + 1)} == {"三年级1班", "3(2)班", "3.3"}
    truth = school.truth[school.truth["年级"] == 3].set_index("学号")
    for row in ws.iter_rows(min_row=4, values_only=True):
        sid, name, scores, total = row[2], row[3], row[4:7], row[7]
        expected = truth.loc[sid, ["语文", "数学", "英语"]]
        assert name == truth.at[sid, "姓名"]
        assert [np.nan if v == "缺考" else v for v in scores] == pytest.approx(
            list(expected), nan_ok=True
        )
        assert total == pytest.approx(expected.sum())


def test_layout_b_messy_cells(written: Path) -> None:
    ws = load_workbook(written / "四年级" / "四(1)班期末成绩.xlsx")["Sheet1"]
    assert [c.value for c in ws[4]] == ["学号", "姓 名", "语文", " 数学 ", "英语"]
    data = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    texts = [v for r in data for v in r[2:] if isinstance(v, str) and v != "缺考"]
    assert sum(v.isascii() and v.replace(".", "").isdigit() for v in texts) == 4
    assert sum(v.endswith("分") for v in texts) == 1
    assert sum(any("０" <= ch <= "９" for ch in v) for v in texts) == 1
    assert sum(n != n.strip() for n in (r[1] for r in data)) == 1
    labels = [r[1] for r in ws.iter_rows(min_row=5 + len(data), values_only=True)]
    assert labels == [None, "平均分", "及格率", "优秀率"]


def test_layout_d_two_row_header(written: Path) -> None:
    wb = load_workbook(written / "六年级期末成绩.xlsx")
    assert wb.sheetnames == ["六(1)班", "六(2)班", "六(3)班"]
    ws = wb["六(2)班"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:A3", "B2:B3", "C2:E2", "F2:F3"} <= merged
    assert [c.value for c in ws[3]][2:5] == ["语文", "数学", "英语"]
    empty = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value is None]
    assert len(empty) == 1 and 4 < empty[0] < ws.max_row


def test_dirty_copy_cells(written: Path, tmp_path: Path) -> None:
    dst = tmp_path / "dirty"
    dirty = make_dirty_copy(written, dst)
    assert sorted(d.reason for d in dirty) == ["above_full", "duplicate", "letter", "negative"]
    places = {d.reason: (d.file, d.sheet) for d in dirty}
    assert places["letter"] == ("四年级/四(2)班期末成绩.xlsx", "Sheet1")
    assert places["negative"] == ("四年级/四(2)班期末成绩.xlsx", "Sheet1")
    assert places["above_full"] == ("五年级成绩.xlsx", "5.2")
    assert places["duplicate"] == ("三年级期末成绩.xlsx", "Sheet1")
    for d in dirty:
        ws = load_workbook(dst / d.file)[d.sheet]
        assert ws[d.cell].value == d.value
        original = load_workbook(written / d.file)[d.sheet][d.cell].value
        if d.reason != "duplicate":
            assert isinstance(original, int | float) and original != d.value
    dup = next(d for d in dirty if d.reason == "duplicate")
    ws = load_workbook(dst / dup.file)[dup.sheet]
    row = ws[dup.cell].row
    ids = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    first = ids.index(ws.cell(row, 3).value) + 4
    assert first < row and ws.cell(first, 4).value == dup.value
    assert ws.cell(first, 2).value == ws.cell(row, 2).value
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:I1"}
    assert make_dirty_copy(written, tmp_path / "again") == dirty
