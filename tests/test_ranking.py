"""学生排名 (docs/口径.md): pupils of grades 1–9 are not ranked by default; 进退步 is then the
change of each subject's level; 班级排名 can be switched off; 等级写法 adds a school's spellings."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from tests.test_config import INFO, load, write_config
from tests.test_schoolnames import write_scores
from toolkit.cli.parser import main
from toolkit.config.model import SchoolConfig
from toolkit.scores.report import analyze

RANK_WORDS = ("名次", "排名")


def _headers(path: Path) -> dict[str, list[str]]:
    """Each sheet's header row (the first row with 姓名 or 班级 in it)."""
    book = openpyxl.load_workbook(path, read_only=True)
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows(max_row=6, values_only=True):
            cells = [str(c) for c in row if c is not None]
            if "姓名" in cells or "班级" in cells:
                found[sheet.title] = cells
                break
    return found


def _exams(tmp_path: Path) -> tuple[Path, Path]:
    # 语文/数学 (满分 100, lines 90/80/60): the levels each student holds are worked by hand.
    current, earlier = tmp_path / "期末", tmp_path / "期中"
    write_scores(
        current / "四年级.xlsx",
        [
            ["四(1)班", "01", "甲", 95, 70],  # 优秀, 合格
            ["四(1)班", "02", "乙", 85, 50],  # 良好, 待合格
            ["四(1)班", "03", "丙", 75, 88],  # 合格, 良好
        ],
    )
    write_scores(
        earlier / "四年级.xlsx",
        [
            ["四(1)班", "01", "甲", 85, 70],  # 良好, 合格
            ["四(1)班", "02", "乙", 95, 65],  # 优秀, 合格
            ["四(1)班", "03", "丙", 75, 88],  # unchanged
        ],
    )
    return current, earlier


def test_a_compulsory_grade_has_no_rank_column_in_any_sheet(tmp_path: Path) -> None:
    current, earlier = _exams(tmp_path)
    out = tmp_path / "成绩分析.xlsx"
    assert main(["scores", str(current), "--previous", str(earlier), "-o", str(out), "-q"]) == 0
    headers = _headers(out)
    listing = [name for name, cells in headers.items() if "姓名" in cells]
    assert {"学生成绩", "临界生"} <= set(listing)
    for name in listing:
        assert not [c for c in headers[name] if any(w in c for w in RANK_WORDS)], name
    # The class comparison is about teaching, not pupils: it stays.
    assert "名次" in headers["班级汇总"]


def test_progress_without_ranks_is_the_change_of_levels(tmp_path: Path) -> None:
    current, earlier = _exams(tmp_path)
    report = analyze([current], previous=[earlier])
    assert report.progress is not None
    moved = report.students.join(report.progress.students).set_index("姓名")
    assert moved["年级名次"].isna().all()
    assert moved["进退步"].isna().all()  # no rank, so no change of rank
    assert moved.loc["甲", "等级进退"] == 1
    assert moved.loc["甲", "等级变化"] == "语文 良好→优秀"
    assert moved.loc["乙", "等级进退"] == -2
    assert moved.loc["乙", "等级变化"] == "语文 优秀→良好；数学 合格→待合格"
    assert moved.loc["丙", "等级进退"] == 0
    assert moved.loc["丙", "等级变化"] == ""


def test_internal_ranks_are_kept_for_the_office_and_marked(tmp_path: Path) -> None:
    current, earlier = _exams(tmp_path)
    config = SchoolConfig(student_ranking={4: "内部"})
    report = analyze([current], previous=[earlier], config=config)
    table = report.students.set_index("姓名")
    # Totals 165, 135, 163 → 甲 1st, 丙 2nd, 乙 3rd.
    assert table["年级名次"].to_dict() == {"甲": 1, "丙": 2, "乙": 3}
    out = tmp_path / "内部.xlsx"
    from toolkit.render.workbooks.score_workbook import write_score_workbook

    write_score_workbook(report, out)
    sheet = openpyxl.load_workbook(out)["学生成绩"]
    assert "内部资料" in str(sheet["A1"].value)
    assert "年级名次" in _headers(out)["学生成绩"]


def test_class_ranking_can_be_switched_off(tmp_path: Path) -> None:
    current, _ = _exams(tmp_path)
    config = write_config(
        tmp_path / "学校配置.xlsx",
        {"基本信息": INFO, "参数": [["项目", "值"], ["班级排名", "否"]]},
    )
    out = tmp_path / "成绩分析.xlsx"
    assert main(["scores", str(current), "-c", str(config), "-o", str(out), "-q"]) == 0
    assert "名次" not in _headers(out)["班级汇总"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["学生排名", "排名"]], {0: "排名"}),
        ([["学生排名", "内部"], ["学生排名-高一", "排名"]], {0: "内部", 10: "排名"}),
        ([["学生排名-初三", "内部"]], {9: "内部"}),
    ],
)
def test_student_ranking_setting(tmp_path: Path, rows: list[list[str]], expected: dict) -> None:
    path = write_config(tmp_path / "c.xlsx", {"基本信息": INFO, "参数": [["项目", "值"], *rows]})
    config, problems = load(path)
    assert not problems.errors
    assert config.student_ranking == expected


def test_student_ranking_defaults_and_a_bad_value(tmp_path: Path) -> None:
    config = SchoolConfig()
    assert [config.ranking_of(g) for g in (1, 6, 9, 10, 12)] == ["不排名"] * 3 + ["排名"] * 2
    path = write_config(
        tmp_path / "c.xlsx", {"基本信息": INFO, "参数": [["项目", "值"], ["学生排名", "按总分"]]}
    )
    config, problems = load(path)
    [error] = problems.errors
    assert "不排名、内部、排名" in error.message
    assert config.student_ranking == {}


def test_a_schools_own_level_spelling_is_read_as_that_level(tmp_path: Path) -> None:
    config = write_config(
        tmp_path / "学校配置.xlsx",
        {
            "基本信息": INFO,
            "参数": [["项目", "值"], ["等级写法-优秀", "甲、A+"], ["等级写法-良好", "乙"]],
        },
    )
    folder = tmp_path / "期末"
    write_scores(
        folder / "四年级.xlsx",
        [
            ["四(1)班", "01", "甲同学", "甲", "A+"],
            ["四(1)班", "02", "乙同学", "乙", "良"],
            ["四(1)班", "03", "丙同学", "及格", "乙"],
        ],
    )
    out = tmp_path / "成绩分析.xlsx"
    assert main(["scores", str(folder), "-c", str(config), "-o", str(out), "-q"]) == 0
    sheet = openpyxl.load_workbook(out)["等级分布"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[1] == "四(1)班"]
    counts = {r[2]: r[4:8] for r in rows}  # 学科: 优秀, 良好, 合格, 待合格
    assert counts["语文"] == (1, 1, 1, 0)
    assert counts["数学"] == (1, 2, 0, 0)
    # Without the config 甲 is no level: an error at its cell.
    assert main(["scores", str(folder), "-o", str(tmp_path / "x.xlsx"), "-q"]) != 0


# Inputs and forms the demo writes for teachers (the term folder, templates, the config's 名单,
# the dirty example and its annotated copies) are not outputs of an analysis.
_NOT_OUTPUTS = ("2025-2026学年", "填报模板", "有问题的成绩示例", "待修改", "学校配置.xlsx")


@pytest.mark.slow
def test_no_output_of_the_demo_ranks_a_pupil(demo_folder: Path) -> None:
    """With the defaults (grades 3–6, 不排名) no sheet of any workbook the demo writes that lists
    students has a rank column, and each says it is internal."""
    listed = []
    for path in sorted(demo_folder.rglob("*.xlsx")):
        if any(part in str(path.relative_to(demo_folder)) for part in _NOT_OUTPUTS):
            continue
        book = openpyxl.load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(max_row=8, values_only=True))
            for row in rows:
                cells = [str(c) for c in row if c is not None]
                if "姓名" in cells:
                    listed.append((path.name, sheet.title))
                    assert not [c for c in cells if any(w in c for w in RANK_WORDS)]
                    assert "内部资料" in str(rows[0][0]), (path.name, sheet.title)
                    break
    assert ("成绩分析.xlsx", "学生成绩") in listed


@pytest.mark.slow
def test_every_slip_the_demo_writes_holds_one_pupil_and_no_rank(demo_folder: Path) -> None:
    from tests.test_config import load
    from tests.test_feedback import RANK_WORDS, pages

    config, _ = load(demo_folder / "学校配置.xlsx")
    docs = sorted((demo_folder / "个人学情反馈单").glob("*.docx"))
    assert [d.name[:5] for d in docs] == ["一年级1班", "四年级1班"]
    for doc, (grade, number) in zip(docs, [(1, 1), (4, 1)], strict=True):
        pupils = [r.name for r in config.roster if (r.grade, r.number) == (grade, number)]
        everyone = {r.name for r in config.roster}
        found = pages(doc)
        assert len(found) == len(pupils)
        for page, name in zip(found, pupils, strict=True):
            assert re.search(rf"姓名：\s*{name}(\s|$)", page.text), name
            # No other pupil's name (a shorter name inside this one's is this one's).
            assert not [n for n in everyone - {name} if n in page.text and n not in name]
            assert not RANK_WORDS.search(page.text)
