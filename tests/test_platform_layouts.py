"""Score exports of marking platforms (issue 17, item 1): a title row, 考号/姓名/班级 merged
down over two header rows, each subject merged over its sub-columns (得分 | 校次 | 班次, or
等级 | 原始分 | 赋分). Read from the score sub-column; ranks and levels are never scores."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
import xlsxwriter

from toolkit.base.problems import ProblemReport
from toolkit.cli.parser import main
from toolkit.config.model import SchoolConfig
from toolkit.scores.report import analyze

STUDENTS = [  # 考号, 姓名, 班级, 语文, 数学
    ("401001", "王小明", "四(1)班", 92, 88),
    ("401002", "李华", "四(1)班", 78, 95),
    ("401003", "张伟", "四(2)班", 61, 59),
    ("401004", "刘洋", "四(2)班", 85, 71),
    ("401005", "陈静", "四(2)班", 70, 100),
]
LAYOUTS = {
    "rank_after": ["得分", "校次", "班次"],
    "score_in_the_middle": ["等级", "原始分", "赋分"],
}


def write_export(path: Path, subs: list[str]) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("成绩")
    width = 3 + 3 * 2 + 1
    sheet.merge_range(0, 0, 0, width - 1, "2025-2026学年第二学期四年级期末考试成绩")
    for c, text in enumerate(["考号", "姓名", "班级"]):
        sheet.merge_range(1, c, 2, c, text)
    for k, subject in enumerate(["语文", "数学"]):
        first = 3 + 3 * k
        sheet.merge_range(1, first, 1, first + 2, subject)
        for j, sub in enumerate(subs):
            sheet.write(2, first + j, sub)
    sheet.merge_range(1, width - 1, 2, width - 1, "总分")
    score_at = next(j for j, sub in enumerate(subs) if sub in ("得分", "原始分"))
    for r, (sid, name, klass, chinese, maths) in enumerate(STUDENTS, start=3):
        sheet.write_string(r, 0, sid)
        sheet.write_string(r, 1, name)
        sheet.write_string(r, 2, klass)
        for k, score in enumerate((chinese, maths)):
            for j, sub in enumerate(subs):
                value: object = {"等级": "A" if score >= 85 else "B", "赋分": score + 7}.get(
                    sub, r - 2
                )  # ranks: 1, 2, 3 … never a score
                if j == score_at:
                    value = score
                sheet.write(r, 3 + 3 * k + j, value)
        sheet.write(r, width - 1, chinese + maths)
    book.close()


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_platform_export_is_read_from_its_score_sub_columns(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "期末"
    folder.mkdir()
    write_export(folder / "四年级期末成绩.xlsx", LAYOUTS[layout])
    problems = ProblemReport()
    report = analyze([folder], config=SchoolConfig(), problems=problems, exam="期末")
    assert report.analysed and not problems.has_errors, [str(p) for p in problems]
    assert len(report.records.students) == len(STUDENTS)
    summary = report.summary
    for subject, column in (("语文", 3), ("数学", 4)):
        for klass in (1, 2):
            scores = [s[column] for s in STUDENTS if s[2] == f"四({klass})班"]
            row = summary[(summary["班级"] == klass) & (summary["学科"] == subject)].iloc[0]
            assert int(row["实考人数"]) == len(scores)
            assert row["平均分"] == pytest.approx(statistics.fmean(scores))


def test_check_counts_the_export_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before, check read such an export as 0 students and said 没有错误."""
    folder = tmp_path / "期末"
    folder.mkdir()
    write_export(folder / "四年级期末成绩.xlsx", LAYOUTS["rank_after"])
    assert main(["check", str(folder), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert (rows["读取"], rows["计入"], rows["跳过"]) == (len(STUDENTS), len(STUDENTS), 0)


def test_a_header_that_gives_nothing_is_an_error_not_silence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sub-columns we do not know (卷一 | 卷二) under merged subjects: nothing can be read, and
    check says so, naming the sheet and the likely cause, instead of 没有错误."""
    folder = tmp_path / "期末"
    folder.mkdir()
    book = xlsxwriter.Workbook(str(folder / "四年级期末成绩.xlsx"))
    sheet = book.add_worksheet("成绩")
    for c, text in enumerate(["考号", "姓名", "班级"]):
        sheet.merge_range(0, c, 1, c, text)
    sheet.merge_range(0, 3, 0, 4, "语文")
    sheet.write_row(1, 3, ["卷一", "卷二"])
    for r, (sid, name, klass, chinese, _) in enumerate(STUDENTS, start=2):
        sheet.write_row(r, 0, [sid, name, klass, chinese // 2, chinese - chinese // 2])
    book.close()
    assert main(["check", str(folder), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    errors = [p for p in payload["problems"] if p["code"] == "sheet.nothing_read"]
    assert len(errors) == 1 and errors[0]["sheet"] == "成绩"
    assert "两行表头" in errors[0]["message"] and f"{len(STUDENTS) + 1} 行" in errors[0]["message"]


@pytest.mark.parametrize(
    ("layout", "unused"),
    [
        ("rank_after", "语文·校次、语文·班次、数学·校次、数学·班次"),
        ("score_in_the_middle", "语文·等级、语文·赋分、数学·等级、数学·赋分"),
    ],
)
def test_columns_not_analysed_are_named(tmp_path: Path, layout: str, unused: str) -> None:
    """No column is dropped quietly: the sub-columns beside the scores are named in a note."""
    folder = tmp_path / "期末"
    folder.mkdir()
    write_export(folder / "四年级期末成绩.xlsx", LAYOUTS[layout])
    problems = ProblemReport()
    analyze([folder], config=SchoolConfig(), problems=problems, exam="期末")
    notes = [str(p) for p in problems if p.code == "header.unused"]
    assert len(notes) == 1 and notes[0].endswith(f"未分析的列：{unused}")


def test_the_nothing_read_rule_is_shared_and_names_the_kind() -> None:
    """One rule for every reader (scores and the routine records): rows under a header that gave
    nothing are an error naming the sheet, the count of rows and the kind."""
    from toolkit.reading.context import report_nothing_read
    from toolkit.reading.discover import InputFile
    from toolkit.reading.header import HeaderMatch
    from toolkit.reading.workbook import Sheet

    rows = [
        ["任课教师", "班级", "检查日期"],
        ["任课教师", "班级", "检查日期"],  # a second header line, copied down by a merge
        ["王老师", "三(1)班", "2026-03-05"],
        ["", "", ""],
        ["李老师", "三(2)班", "2026-03-06"],
    ]
    sheet = Sheet(InputFile(Path("作业检查.xlsx"), "作业检查.xlsx"), "三年级", rows)
    header = HeaderMatch(first_row=0, last_row=0, fields={"任课教师": 0, "班级": 1})
    report = ProblemReport()
    report_nothing_read(sheet, header, 0, lambda v: v == "任课教师", "作业检查", report)
    (problem,) = list(report)
    assert (problem.code, problem.sheet, problem.cell) == ("sheet.nothing_read", "三年级", "A1")
    assert "下面 3 行没有读出任何作业检查" in str(problem) and "两行表头" in str(problem)
    quiet = ProblemReport()
    empty = Sheet(sheet.file, "空表", rows[:1])
    report_nothing_read(empty, header, 0, lambda v: v == "任课教师", "作业检查", quiet)
    assert list(quiet) == []  # a header with nothing under it is no error


COHORT_STUDENTS = [  # 考号, 姓名, 班级 (by the year the class entered), 语, 数, 物
    ("230301", "周一", "2023级3班", 101, 88, 61),
    ("230302", "吴二", "2023级3班", 96, 112, 55),
    ("230401", "郑三", "初2023级4班", 87, 75, 70),
    ("230402", "王四", "2023级(4)班", 119, 98, 48),
]


def test_one_character_heads_and_cohort_classes(tmp_path: Path) -> None:
    """语 数 物 are subjects; 2023级3班 names the cohort, not the grade: the grade comes from the
    file name (九年级), the class number from the cell."""
    path = tmp_path / "九年级期末成绩.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["考号", "姓名", "班级", "语(120)", "数(120)", "物(70)"])
    for r, row in enumerate(COHORT_STUDENTS, start=1):
        sheet.write_row(r, 0, row)
    book.close()
    problems = ProblemReport()
    report = analyze([path], config=SchoolConfig(), problems=problems)
    assert not problems.has_errors, [str(p) for p in problems.errors]
    summary = report.summary
    for subject, column, full in (("语文", 3, 120), ("数学", 4, 120), ("物理", 5, 70)):
        for klass in (3, 4):
            scores = [
                s[column] for s in COHORT_STUDENTS if f"{klass}班" in s[2].replace("(4)", "4")
            ]
            row = summary[
                (summary["年级"] == 9) & (summary["班级"] == klass) & (summary["学科"] == subject)
            ].iloc[0]
            assert row["平均分"] == pytest.approx(statistics.fmean(scores))
            assert row["及格率"] == pytest.approx(
                sum(s >= 0.6 * full for s in scores) / len(scores)
            )


def test_classes_side_by_side_are_two_tables(tmp_path: Path) -> None:
    """An office prints two classes side by side (四(1)班 in A–D, 四(2)班 in F–I, each titled
    above): both are read, each with its class; none of the second is lost as a duplicate."""
    first = [("甲一", 81, 70), ("甲二", 93, 64), ("甲三", 58, 77)]
    second = [("乙一", 66, 90), ("乙二", 74, 85)]
    path = tmp_path / "四年级期末成绩.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("打印")
    for offset, title, students in ((0, "四(1)班", first), (5, "四(2)班", second)):
        sheet.merge_range(0, offset, 0, offset + 3, title)
        sheet.write_row(1, offset, ["序号", "姓名", "语文120", "数学"])
        for r, row in enumerate(students, start=2):
            sheet.write_row(r, offset, [r - 1, *row])
    book.close()
    problems = ProblemReport()
    report = analyze([path], config=SchoolConfig(), problems=problems)
    assert not problems.has_errors and not problems.of("warning")
    assert report.row_totals() == {"读取": 5, "计入": 5, "跳过": 0}
    summary = report.summary
    for klass, students in ((1, first), (2, second)):
        for subject, k, full in (("语文", 1, 120), ("数学", 2, 100)):
            row = summary[(summary["班级"] == klass) & (summary["学科"] == subject)].iloc[0]
            scores = [s[k] for s in students]
            assert row["平均分"] == pytest.approx(statistics.fmean(scores))
            assert row["满分"] == full
            assert row["及格率"] == pytest.approx(
                sum(x >= 0.6 * full for x in scores) / len(scores)
            )
