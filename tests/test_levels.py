"""等级分布 from scores (docs/口径.md 等级): each student's level by the subject's lines, counted
per class and grade, checked against a count made here from the sample school's truth."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

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


# A teacher's sheet marked in levels, in the spellings teachers use: 语文 all levels, 数学 scores,
# 英语 levels with two scores (taken by the lines: 92 → 优秀, 55 → 待合格).
LEVEL_SHEET = [
    ("张一", "优", 95, "A"), ("张二", "良好", 81, "Ｂ"), ("张三", "及格", 62, 92),
    ("张四", "待提高", 48, "★★"), ("张五", "优秀", 90, "C"), ("张六", "B", 77, 55),
    ("张七", "缺考", 88, "D"), ("张八", "★★★", 70, "良"),
]  # fmt: skip
LEVEL_TRUTH = {
    "语文": ["优秀", "良好", "合格", "待合格", "优秀", "良好", None, "优秀"],
    "英语": ["优秀", "良好", "优秀", "良好", "合格", "待合格", "待合格", "良好"],
}


@pytest.fixture(scope="module")
def level_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("level-sheet")
    book = Workbook()
    sheet = book.active
    sheet.append(["三年级(2)班期末成绩"])
    sheet.append(["姓名", "语文", "数学", "英语"])
    for row in LEVEL_SHEET:
        sheet.append(list(row))
    book.save(folder / "三(2)班期末成绩.xlsx")
    out = folder / "成绩分析.xlsx"
    code = main(["scores", str(folder / "三(2)班期末成绩.xlsx"), "-o", str(out), "--json"])
    return out, {"code": code}


def test_a_sheet_of_levels_is_read_and_counted_in_levels(
    level_book: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    out, run = level_book
    assert run["code"] == 0
    rows = _rows(out)
    for subject, truth in LEVEL_TRUTH.items():
        row = rows[("三年级", "三(2)班", subject)]
        sat = [level for level in truth if level is not None]
        assert {level: row[level] for level in LEVELS} == {
            level: sat.count(level) for level in LEVELS
        }
        assert row["实考人数"] == len(sat)


def test_no_average_is_invented_from_levels(level_book: tuple[Path, dict[str, object]]) -> None:
    out, _ = level_book
    summary = load_workbook(out, read_only=True)["班级汇总"]
    rows = list(summary.iter_rows(min_row=3, values_only=True))
    header = [str(h) for h in rows[0]]
    by_subject = {r[header.index("学科")]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    for subject in ("语文", "英语"):
        assert by_subject[subject]["平均分"] is None and by_subject[subject]["名次"] is None
        assert by_subject[subject]["优秀率"] == pytest.approx(
            LEVEL_TRUTH[subject].count("优秀") / sum(x is not None for x in LEVEL_TRUTH[subject])
        )
    math = [r[2] for r in LEVEL_SHEET]
    assert by_subject["数学"]["平均分"] == pytest.approx(sum(math) / len(math))
    students = load_workbook(out, read_only=True)["学生成绩"]
    rows = list(students.iter_rows(min_row=3, values_only=True))
    header = [str(h) for h in rows[0]]
    shown = {r[header.index("姓名")]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    for i, (name, *_rest) in enumerate(LEVEL_SHEET):
        assert shown[name]["英语"] == LEVEL_TRUTH["英语"][i]  # the level, also for a score
        assert shown[name]["总分"] == LEVEL_SHEET[i][2]  # 数学 only: levels are no points


def test_a_level_among_scores_is_an_error_at_its_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "语文"])
    for name, score in [("甲", 90), ("乙", "良"), ("丙", 70), ("丁", 65)]:
        sheet.append([name, score])
    book.save(tmp_path / "三(1)班.xlsx")
    assert main(["check", str(tmp_path / "三(1)班.xlsx"), "--json"]) == 1
    errors = [
        p for p in json.loads(capsys.readouterr().out)["problems"] if p["severity"] == "error"
    ]
    assert [(p["cell"], p["code"]) for p in errors] == [("B3", "score.level_among_scores")]
    assert "“良” 是等级，但语文的其他单元格大多是分数" in errors[0]["message"]
