"""等级分布 from scores (docs/口径.md 等级): each student's level by the subject's lines, counted
per class and grade, checked against a count made here from the sample school's truth."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from toolkit.base.classnames import class_name, grade_name
from toolkit.cli.parser import main
from toolkit.demo.school import SUBJECTS_BY_GRADE, SampleSchool
from toolkit.scores.metrics import LEVELS, level_distribution


def _level(score: float) -> str:
    # The default lines of a 100-mark subject: 优秀 90, 良好 80, 及格 60.
    return "优秀" if score >= 90 else "良好" if score >= 80 else "合格" if score >= 60 else "待合格"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory, school_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("levels") / "成绩分析.xlsx"
    assert main(["scores", str(school_dir), "-o", str(out), "-q"]) == 0
    return out


def _rows(path: Path) -> dict[tuple[str, str, str], dict[str, object]]:
    sheet = load_workbook(path, read_only=True)["等级分布"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    header = [str(h) for h in rows[0]]
    found = [dict(zip(header, row, strict=False)) for row in rows[1:] if row[0]]
    return {(str(r["年级"]), str(r["班级"]), str(r["学科"])): r for r in found}


def test_level_counts_equal_a_count_of_each_students_level(
    workbook: Path, school: SampleSchool
) -> None:
    rows = _rows(workbook)
    checked = 0
    for grade, students in school.truth.groupby("年级"):
        for subject in SUBJECTS_BY_GRADE[grade]:
            for number, members in [*students.groupby("班级"), (None, students)]:
                levels = members[subject].dropna().map(_level)
                label = class_name(grade, number) if number is not None else "全年级"
                row = rows[(grade_name(grade), label, subject)]
                counts = {level: int((levels == level).sum()) for level in LEVELS}
                assert {level: row[level] for level in LEVELS} == counts
                assert row["实考人数"] == len(levels)
                assert row["优秀率"] == pytest.approx(counts["优秀"] / len(levels))
                good = (counts["优秀"] + counts["良好"]) / len(levels)
                assert row["优良率"] == pytest.approx(good)
                assert row["合格率"] == pytest.approx(1 - counts["待合格"] / len(levels))
                checked += 1
    assert checked == sum(len(SUBJECTS_BY_GRADE[g]) * 4 for g in (3, 4, 5, 6))


def test_each_grade_sheet_draws_a_hundred_percent_chart_per_subject(workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if "charts/chart" in n]
    stacked = [c for c in charts if '<c:grouping val="percentStacked"/>' in c]
    assert len(stacked) == sum(len(SUBJECTS_BY_GRADE[g]) for g in (3, 4, 5, 6))
    assert all("等级分布" in c and c.count("<c:ser>") == len(LEVELS) for c in stacked)


def test_level_distribution_of_a_hand_made_summary() -> None:
    # 10 students sat: 2 at the 优秀线, 5 at the 良好线 (2 of them 优秀), 8 at the 及格线.
    summary = pd.DataFrame(
        [{"学校": "", "年级": 3, "班级": 1, "学科": "语文", "实考人数": 10,
          "优秀人数": 2, "良好人数": 5, "及格人数": 8}]
    )  # fmt: skip
    row = level_distribution(summary).iloc[0]
    assert [row[level] for level in LEVELS] == [2, 3, 3, 2]
    assert (row["优秀率"], row["优良率"], row["合格率"]) == (0.2, 0.5, 0.8)
    empty = level_distribution(summary.assign(实考人数=0, 优秀人数=0, 良好人数=0, 及格人数=0))
    assert empty[["优秀率", "优良率", "合格率"]].isna().all(axis=None)
