"""The shared record reader on files teachers make themselves: titles above the header, their
own words for the columns, full-width text, merged class cells, totals and footnotes, blank
rows, stacked tables, and every kind of bad cell, each reported at its exact place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook
from template_fill import plain

from toolkit.base.problems import Problem, ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.kinds.registry import RECORD_KINDS, load_records
from toolkit.reading.discover import InputFile
from toolkit.records.read import RecordTable, read_records
from toolkit.render.templates.write import write_templates

HOMEWORK = RECORD_KINDS["homework"]
OBSERVATION = RECORD_KINDS["observation"]
WEAKPOINTS = RECORD_KINDS["weakpoints"]
CONFIG = SchoolConfig()

HOMEWORK_HEADER = [
    "检查日期", "年级", "班级", "学科", "任课教师", "布置次数", "基础巩固", "能力提升",
    "实践探究", "日均时长", "有批", "有改", "有评", "有追踪", "错题再学习", "得分", "等级",
]  # fmt: skip
OBSERVATION_HEADER = [
    "日期", "听课人", "听课层级", "授课教师", "年级", "班级", "学科", "课题", "课型",
    "学生投入度", "教学环节落实", "课堂反馈实效", "总分", "等级",
]  # fmt: skip
WEAKPOINT_HEADER = [
    "登记日期", "年级", "班级", "学科", "单元", "知识点", "问题表现", "错误率", "涉及人数",
    "原因类别", "改进措施", "责任教师", "计划完成日期", "状态",
]  # fmt: skip


GOOD_HOMEWORK = [
    dt.date(2026, 3, 20), "三年级", "三(2)班", "数学", "王丽", 12, 8, 3, 1, 45,
    "是", "是", "是", "是", "是", 92, "优秀",
]  # fmt: skip


def homework_row(**changes: object) -> list[object]:
    """A good homework row (三(2)班 数学, 12 = 8 + 3 + 1), with some cells changed."""
    values = dict(zip(HOMEWORK_HEADER, GOOD_HOMEWORK, strict=True))
    values.update(changes)
    return list(values.values())


def write_book(
    path: Path,
    sheets: dict[str, Sequence[Sequence[object]]],
    merges: dict[str, list[str]] | None = None,
) -> InputFile:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c).value = value
        for cells in (merges or {}).get(name, []):
            ws.merge_cells(cells)
    book.save(path)
    return InputFile(path, path.name)


def read(kind_key: str, file: InputFile) -> tuple[RecordTable, ProblemReport]:
    report = ProblemReport()
    return read_records(RECORD_KINDS[kind_key], [file], CONFIG, report), report


def load(kind_key: str, file: InputFile) -> tuple[RecordTable, ProblemReport]:
    report = ProblemReport()
    return load_records(kind_key, [file.path], CONFIG, report), report


def only(report: ProblemReport, code: str) -> Problem:
    found = [p for p in report if p.code == code]
    assert len(found) == 1, [str(p) for p in report]
    return found[0]


def records(table: RecordTable, *names: str) -> list[tuple[object, ...]]:
    frame = table.frame.sort_values("行")
    return [tuple(plain(r[n]) for n in ("行", *names)) for _, r in frame.iterrows()]


# -- a messy sheet read right ---------------------------------------------------------------------


@pytest.fixture
def messy_homework(tmp_path: Path) -> InputFile:
    first_header = [
        "日期", "年级", "班级", "科目", "老师", "作业次数", "基础巩固类", "能力提升",
        "实践探究", "日均作业时长（分钟）", "批阅", "订正", "评价", "跟踪", "错题本",
        "检查得分（满分100）", "评价等级", "问题", "建议", "检查者",
    ]  # fmt: skip
    second_header = [
        "检查时间", "任课教师", "学科", "年级", "班级", "布置次数", "基础巩固", "能力提升",
        "实践探究", "日均时长", "有批", "有改", "有评", "有追踪", "错题再学习", "得分", "等级",
    ]  # fmt: skip
    rows: list[list[object]] = [
        ["博山区实验小学 2025-2026学年第二学期"],  # 1: titles
        ["三年级作业检查记录（3月）"],
        [],
        first_header,  # 4
        [dt.date(2026, 3, 20), "三年级", "三（２）班", "数学", "王丽", "１２", 8, 3, 1, "45分钟",
         "是", "√", "有", "Y", "否", "９２分", "优", "订正不及时", "", "李明"],
        [dt.date(2026, 3, 20), None, None, "语文", "张强", 10, 6, 3, 1, 40,
         "是", "是", "否", "是", "是", 85.5, "良", "", "加强评语", ""],
        ["2026-3-21", None, None, "英语", "李娜", 9, "6次", 2, 1, "30",
         "是", "是", "是", "是", "是", 78, "C", "", "", ""],
        [],  # 8: a blank row between records
        ["合计", None, None, None, None, 31, 20, 8, 3],  # 9: totals
        [],
        ["填表人：张三"],  # 11: a footnote
        [],
        [],
        second_header,  # 14: a second table with its own header
        ["2026/03/27", "赵敏", "数学", None, "3.2", 11, 7, 3, 1, 50,
         "是", "是", "是", "否", "是", 88, "良好"],
        ["2026年3月28日", "钱亮", "科学", None, "三年级2班", 4, 2, 1, 1, 20,
         "否", "否", "否", "否", "否", 65, "待改进"],
    ]  # fmt: skip
    return write_book(tmp_path / "三年级作业检查.xlsx", {"3月": rows}, {"3月": ["B5:B7", "C5:C7"]})


def test_messy_sheet_values(messy_homework: InputFile) -> None:
    table, report = read("homework", messy_homework)
    assert report.errors == []
    assert records(
        table, "检查日期", "年级", "班级", "学科", "任课教师", "布置次数", "基础巩固",
        "日均时长", "有批", "有改", "有评", "有追踪", "错题再学习", "得分", "等级",
    ) == [
        (5, dt.date(2026, 3, 20), 3, 2, "数学", "王丽", 12, 8, 45.0,
         True, True, True, True, False, 92.0, "优秀"),
        (6, dt.date(2026, 3, 20), 3, 2, "语文", "张强", 10, 6, 40.0,
         True, True, False, True, True, 85.5, "良好"),
        (7, dt.date(2026, 3, 21), 3, 2, "英语", "李娜", 9, 6, 30.0,
         True, True, True, True, True, 78.0, "合格"),
        (15, dt.date(2026, 3, 27), 3, 2, "数学", "赵敏", 11, 7, 50.0,
         True, True, True, False, True, 88.0, "良好"),
        (16, dt.date(2026, 3, 28), 3, 2, "科学", "钱亮", 4, 2, 20.0,
         False, False, False, False, False, 65.0, "待改进"),
    ]  # fmt: skip
    first = records(table, "存在问题", "整改要求", "检查人")
    assert first[:2] == [(5, "订正不及时", None, "李明"), (6, None, "加强评语", None)]


def test_messy_sheet_notes_and_row_totals(messy_homework: InputFile) -> None:
    table, report = read("homework", messy_homework)
    summary = only(report, "row.summary")
    assert (summary.severity, summary.sheet, summary.cell, summary.value) == (
        "note",
        "3月",
        "A9",
        "合计",
    )
    stray = only(report, "row.stray")
    assert (stray.severity, stray.cell, stray.value) == ("note", "A11", "填表人：张三")
    assert str(stray) == (
        "三年级作业检查.xlsx › 3月 › A11: "
        "这一行不是一条记录（“填表人：张三”，像是表格下方的说明或备注），已跳过"
    )
    # 5 records, the totals row and the footnote were read; the last two skipped.
    assert (table.rows_read, table.rows_skipped) == (7, 2)
    totals = table.row_totals()
    assert totals == {"读取": 7, "计入": 5, "跳过": 2}
    assert totals["读取"] == totals["计入"] + totals["跳过"]


def test_each_table_keeps_its_own_column_layout(messy_homework: InputFile) -> None:
    table, _ = read("homework", messy_homework)
    assert len(table.layouts) == 2
    frame = table.frame.sort_values("行")
    first, fourth = frame.index[0], frame.index[3]
    assert table.cell(first, "得分") == "P5"  # 检查得分 is column P of the first table
    assert table.cell(first, "任课教师") == "E5"
    assert table.cell(fourth, "得分") == "P15"
    assert table.cell(fourth, "任课教师") == "B15"  # the second table has 任课教师 in B
    assert table.cell(first, "检查人") == "T5"
    assert table.cell(fourth, "检查人") == ""  # no such column in the second table


def test_merged_cells_fill_only_block_columns(tmp_path: Path) -> None:
    """A merged 班级 covers its rows; a name merged over two rows stays one cell."""
    rows = [
        HOMEWORK_HEADER,
        homework_row(**{"班级": "三(1)班", "任课教师": "王丽"}),
        homework_row(**{"班级": None, "任课教师": None, "学科": "语文"}),
    ]
    file = write_book(tmp_path / "merged.xlsx", {"Sheet1": rows}, {"Sheet1": ["C2:C3", "E2:E3"]})
    table, report = read("homework", file)
    # 任课教师 is a block column too (a teacher's rows merged), so both rows have it.
    assert records(table, "班级", "学科", "任课教师") == [
        (2, 1, "数学", "王丽"),
        (3, 1, "语文", "王丽"),
    ]
    assert report.errors == []


def test_weakpoints_messy_values(tmp_path: Path) -> None:
    rows = [
        ["三年级数学薄弱点台账"],
        ["日期", "年级", "班别", "科目", "章节", "考点", "典型错误", "出错率", "出错人数",
         "成因类别", "措施", "负责人", "完成时限", "进展"],
        [46091, "3", "2班", "数学", "第三单元", "进位", "忘记加", 35, "14人", "习惯性",
         "每日练习", "王丽", "2026.4.10", "已完成"],
        ["2026-03-12", "三年级", "2班", "数学", "第四单元", "退位", "忘记减", "0.2", None,
         "能力方面", "专项练习", "王丽", "20260415", "进行中"],
    ]  # fmt: skip
    file = write_book(tmp_path / "台账.xlsx", {"Sheet1": rows}, {"Sheet1": ["B3:B4"]})
    table, report = read("weakpoints", file)
    assert report.errors == []
    # 46091 is the Excel serial of 2026-03-10; 35 in a percent column means 35%.
    assert dt.date(1899, 12, 30) + dt.timedelta(days=46091) == dt.date(2026, 3, 10)
    assert records(
        table, "登记日期", "年级", "班级", "错误率", "涉及人数", "原因类别", "计划完成日期", "状态"
    ) == [
        (3, dt.date(2026, 3, 10), 3, 2, 0.35, 14, "习惯", dt.date(2026, 4, 10), "已销号"),
        (4, dt.date(2026, 3, 12), 3, 2, 0.2, None, "能力", dt.date(2026, 4, 15), "整改中"),
    ]


# -- bad cells, each named by file › sheet › cell ----------------------------------------


def test_invalid_and_missing_cells_are_located(tmp_path: Path) -> None:
    rows = [
        HOMEWORK_HEADER,
        homework_row(),  # 2: fine
        homework_row(**{"检查日期": "abc"}),  # 3
        homework_row(**{"有批": "是否"}),  # 4
        homework_row(**{"等级": "良"}),  # 5: an alias of 良好
        homework_row(**{"等级": "X"}),  # 6
        homework_row(**{"任课教师": None}),  # 7
        homework_row(**{"布置次数": "12.5", "基础巩固": "8.5"}),  # 8: two bad cells
    ]
    file = write_book(tmp_path / "作业检查.xlsx", {"三年级": rows})
    table, report = read("homework", file)
    assert [str(p) for p in report.errors] == [
        "作业检查.xlsx › 三年级 › A3: “abc” 不是有效的检查日期：应为日期，如 2026-03-15",
        "作业检查.xlsx › 三年级 › K4: “是否” 不是有效的有批：应为“是”或“否”",
        "作业检查.xlsx › 三年级 › Q6: “X” 不是有效的等级：应为以下之一：优秀、良好、合格、待改进",
        "作业检查.xlsx › 三年级 › E7: “任课教师”未填写",
        "作业检查.xlsx › 三年级 › F8: “12.5” 不是有效的布置次数：应为整数",
        "作业检查.xlsx › 三年级 › G8: “8.5” 不是有效的基础巩固：应为整数",
    ]
    assert [p.code for p in report.errors] == [
        "field.invalid", "field.invalid", "field.invalid", "field.missing",
        "field.invalid", "field.invalid",
    ]  # fmt: skip
    # Rows with an error keep their place, marked with the first problem's code.
    assert records(table, "问题") == [
        (2, ""),
        (3, "field.invalid"),
        (4, "field.invalid"),
        (5, ""),
        (6, "field.invalid"),
        (7, "field.missing"),
        (8, "field.invalid"),
    ]
    assert list(table.valid["行"]) == [2, 5]
    assert list(table.valid["等级"]) == ["优秀", "良好"]
    assert table.row_totals() == {"读取": 7, "计入": 2, "跳过": 5}


def test_class_grade_conflict(tmp_path: Path) -> None:
    rows = [HOMEWORK_HEADER, homework_row(**{"年级": "四年级", "班级": "三(2)班"})]
    file = write_book(tmp_path / "作业检查.xlsx", {"Sheet1": rows})
    table, report = read("homework", file)
    problem = only(report, "class.grade_conflict")
    assert problem.severity == "error"
    assert str(problem) == "作业检查.xlsx › Sheet1 › B2: 年级“四年级”与班级“三(2)班”不一致"
    assert table.valid.empty


def test_class_without_grade_anywhere(tmp_path: Path) -> None:
    rows = [HOMEWORK_HEADER, homework_row(**{"年级": None, "班级": "2班"})]
    file = write_book(tmp_path / "作业检查.xlsx", {"Sheet1": rows})
    _, report = read("homework", file)
    problem = only(report, "class.grade_missing")
    assert (problem.cell, problem.value) == ("C2", "2班")


def test_class_number_with_grade_from_the_sheet_name(tmp_path: Path) -> None:
    rows = [HOMEWORK_HEADER, homework_row(**{"年级": None, "班级": "2班"})]
    file = write_book(tmp_path / "作业检查.xlsx", {"五年级": rows})
    table, report = read("homework", file)
    assert report.errors == []
    assert records(table, "年级", "班级") == [(2, 5, 2)]


def test_ranges_are_checked(tmp_path: Path) -> None:
    rows = [HOMEWORK_HEADER, homework_row(**{"得分": 105}), homework_row(**{"得分": "100"})]
    file = write_book(tmp_path / "作业检查.xlsx", {"Sheet1": rows})
    table, report = load("homework", file)
    assert [str(p) for p in report.errors] == [
        "作业检查.xlsx › Sheet1 › P2: 105 超出范围：得分应在 0–100 之间"
    ]
    assert only(report, "field.range").value == "105"
    assert list(table.valid["行"]) == [3]


def test_percent_above_one_hundred_is_out_of_range(tmp_path: Path) -> None:
    row = ["2026-03-10", "三年级", "三(2)班", "数学", "第三单元", "进位", "忘记加", "150%", 14,
           "习惯", "每日练习", "王丽", "2026-04-10", "整改中"]  # fmt: skip
    file = write_book(tmp_path / "台账.xlsx", {"Sheet1": [WEAKPOINT_HEADER, row]})
    table, report = load("weakpoints", file)
    problem = only(report, "field.range")
    assert problem.severity == "error"
    assert str(problem) == "台账.xlsx › Sheet1 › H2: 150% 超出范围：错误率应在 0%–100% 之间"
    assert table.valid.empty


def test_homework_mix_not_adding_up_is_a_warning(tmp_path: Path) -> None:
    rows = [HOMEWORK_HEADER, homework_row(**{"实践探究": 2}), homework_row()]
    file = write_book(tmp_path / "作业检查.xlsx", {"Sheet1": rows})
    table, report = load("homework", file)
    assert report.errors == []
    problem = only(report, "homework.mix")
    assert problem.severity == "warning"
    assert str(problem) == (
        "作业检查.xlsx › Sheet1 › F2: 基础巩固、能力提升、实践探究之和与布置次数 12 不一致"
    )
    assert list(table.valid["行"]) == [2, 3]  # a warning leaves the row counted


def test_observation_total_not_adding_up_is_a_warning(tmp_path: Path) -> None:
    def row(total: object) -> list[object]:
        return ["2026-03-18", "李明", "年级组", "王丽", "三年级", "三(2)班", "数学", "乘法",
                "推门课", 26, 35, 25, total, "良好"]  # fmt: skip

    file = write_book(tmp_path / "听课.xlsx", {"Sheet1": [OBSERVATION_HEADER, row(90), row(86)]})
    table, report = load("observation", file)
    assert report.errors == []
    problem = only(report, "observation.total")
    assert problem.severity == "warning"
    assert str(problem) == (
        "听课.xlsx › Sheet1 › M2: 总分 90 与三项得分之和不一致（总分由工具重新计算）"
    )
    assert len(table.valid) == 2


def test_observation_dimension_above_its_mark(tmp_path: Path) -> None:
    row = ["2026-03-18", "李明", "年级组", "王丽", "三年级", "三(2)班", "数学", "乘法",
           "推门课", 31, 35, 25, 91, "良好"]  # fmt: skip
    file = write_book(tmp_path / "听课.xlsx", {"Sheet1": [OBSERVATION_HEADER, row]})
    _, report = load("observation", file)
    assert [str(p) for p in report.errors] == [
        "听课.xlsx › Sheet1 › J2: 31 超出范围：学生投入度应在 0–30 之间"
    ]


def test_observation_marks_contradicting_the_default_are_one_error(tmp_path: Path) -> None:
    """三看 marks of 31–35 in most rows against the default 30: one error naming the setting,
    not a cell error per row; a configured 满分 of 35 reads them all."""
    marks = [31, 33, 35, 28, 34, 32, 26, 33]
    rows = [
        ["2026-03-18", "李明", "年级组", "王丽", "三年级", "三(2)班", "数学", "乘法",
         "推门课", mark, 35, 25, mark + 60, "良好"]
        for mark in marks
    ]  # fmt: skip
    file = write_book(tmp_path / "听课.xlsx", {"Sheet1": [OBSERVATION_HEADER, *rows]})
    table, report = load("observation", file)
    (error,) = report.errors
    assert error.code == "field.bound_guess"
    over = [m for m in marks if m > 30]
    assert error.params["count"] == len(over) and error.params["top"] == str(max(over))
    assert "听评课满分-学生投入度" in str(error) and "35" in str(error)
    assert report.unskippable == [error]
    assert len(table.valid) == len(marks) - len(over)

    config = SchoolConfig()
    config.observation_marks["学生投入度"] = 35
    config.observation_marks_set.add("学生投入度")
    configured = ProblemReport()
    table = load_records("observation", [file.path], config, configured)
    assert configured.errors == [] and len(table.valid) == len(marks)


def test_weak_point_without_any_measure(tmp_path: Path) -> None:
    row = ["2026-03-10", "三年级", "三(2)班", "数学", "第三单元", "进位", "忘记加", None, None,
           "习惯", "每日练习", "王丽", "2026-04-10", "整改中"]  # fmt: skip
    file = write_book(tmp_path / "台账.xlsx", {"Sheet1": [WEAKPOINT_HEADER, row]})
    table, report = load("weakpoints", file)
    problem = only(report, "weakpoint.no_measure")
    assert problem.severity == "error"
    assert str(problem) == "台账.xlsx › Sheet1 › H2: 错误率和涉及人数至少填一项"
    assert table.valid.empty


def test_header_missing_required_columns(tmp_path: Path) -> None:
    header = [h for h in HOMEWORK_HEADER if h not in ("得分", "等级")]
    rows = [["标题"], header, homework_row()[:-2]]
    file = write_book(tmp_path / "作业检查.xlsx", {"Sheet1": rows})
    table, report = read("homework", file)
    problem = only(report, "header.missing")
    assert problem.severity == "error"
    assert str(problem) == "作业检查.xlsx › Sheet1 › A2: 表头缺少必填列：得分、等级"
    assert table.frame.empty


def test_template_of_another_kind_is_refused(tmp_path: Path) -> None:
    (path,) = write_templates(tmp_path, kinds=["homework"])
    table, report = read("observation", InputFile(path, path.name))
    problem = only(report, "file.wrong_kind")
    assert problem.severity == "error"
    assert str(problem) == "作业检查.xlsx: 这是“作业检查”填报模板，不是听评课记录，已跳过"
    assert table.frame.empty
    assert len(report) == 1


def test_sheet_without_the_kind_is_noted_and_a_file_without_any_is_an_error(
    tmp_path: Path,
) -> None:
    file = write_book(tmp_path / "杂项.xlsx", {"说明": [["本表记录本月作业检查情况"]]})
    _, report = read("homework", file)
    assert [(p.severity, p.code, p.sheet) for p in report] == [
        ("note", "sheet.no_records", "说明"),
        ("error", "file.no_records", ""),
    ]


# -- found on the sample corpus (issue 4) -------------------------------------------------------


def test_a_footnote_merged_across_the_table_is_a_note_not_a_record(tmp_path: Path) -> None:
    rows = [
        HOMEWORK_HEADER,
        homework_row(),
        ["注：每位教师每月检查一次，日均时长以学生问卷为准。"],
    ]
    file = write_book(tmp_path / "脚注.xlsx", {"Sheet1": rows}, {"Sheet1": ["A3:Q3"]})
    table, report = read("homework", file)
    assert report.errors == []
    assert [r[0] for r in records(table)] == [2]
    note = only(report, "row.stray")
    assert (note.cell, table.rows_read, table.rows_skipped) == ("A3", 2, 1)


def test_free_text_is_kept_as_typed(tmp_path: Path) -> None:
    """问题、措施 are read back to people: full-width punctuation stays; invisible characters and
    outer spaces go."""
    header = [*HOMEWORK_HEADER, "存在问题"]
    typed = "订正不及时；错题本（数学）未整理，=需复查"
    rows = [header, [*homework_row(), f"  {typed}\u200b "]]
    table, report = read("homework", write_book(tmp_path / "问题.xlsx", {"Sheet1": rows}))
    assert report.errors == []
    assert table.frame["存在问题"].tolist() == [typed]


def test_a_class_the_config_does_not_have_is_a_warning(tmp_path: Path) -> None:
    from toolkit.config.tables import ClassInfo

    config = SchoolConfig(classes=[ClassInfo(3, 1), ClassInfo(3, 2)])
    rows = [
        HOMEWORK_HEADER,
        homework_row(),  # 三(2)班: known
        homework_row(**{"班级": "三(7)班"}),
    ]
    file = write_book(tmp_path / "班级.xlsx", {"Sheet1": rows})
    report = ProblemReport()
    table = load_records("homework", [file.path], config, report)
    warning = only(report, "class.not_in_config")
    assert (warning.severity, warning.cell) == ("warning", "C3")
    assert "三(7)班" in warning.message
    assert len(table.valid) == 2  # a warning: the row still counts
    # Without a 班级 sheet nothing is known, so nothing is questioned.
    report = ProblemReport()
    load_records("homework", [file.path], CONFIG, report)
    assert [p for p in report if p.code == "class.not_in_config"] == []


def test_a_month_without_records_is_a_clear_message(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from toolkit.cli.parser import main

    file = write_book(tmp_path / "作业.xlsx", {"Sheet1": [HOMEWORK_HEADER, homework_row()]})
    target = tmp_path / "汇总.xlsx"
    assert main(["homework", str(file.path), "-o", str(target), "--month", "2026-09"]) == 1
    err = capsys.readouterr().err.replace("\n", "")
    assert "2026年9月没有作业检查记录" in err and "2026-03" in err
    assert not target.exists()
    assert main(["homework", str(file.path), "-o", str(target), "--month", "2026-3"]) == 0
    assert main(["homework", str(file.path), "-o", str(target), "--month", "三月"]) == 2
