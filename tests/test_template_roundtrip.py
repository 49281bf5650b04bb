"""Fill every generated template the way a teacher would, then read it back through the normal
readers: every typed value must come back exactly, with no error.

Each kind is filled both in the generic template (no config) and in the school's own (the
sample school's config written as 学校配置.xlsx and read back). Values are typed as people type
them: numbers as text ('12', '88.5'), dropdown words, percents as 0.35 and as '35%', dates as
date cells and as text, 缺考 in score cells.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from template_fill import fill_rows, header_columns, plain, write_sample_config

from toolkit.base.classnames import class_name
from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.items.report import load_items
from toolkit.kinds.recognise import recognise
from toolkit.kinds.registry import RECORD_KINDS, load_records
from toolkit.reading.discover import InputFile
from toolkit.reading.workbook import MARKER_SHEET
from toolkit.render.templates.write import template_files, write_templates
from toolkit.scores.report import load_scores

ABSENT = "缺考"
KINDS = ["scores", "items", "homework", "observation", "weakpoints"]


@dataclass
class Setting:
    name: str
    config: SchoolConfig
    templates: dict[str, Path]
    teachers: tuple[str, str]


@pytest.fixture(scope="module")
def school_config(tmp_path_factory: pytest.TempPathFactory) -> SchoolConfig:
    _, config = write_sample_config(tmp_path_factory.mktemp("config"))
    return config


@pytest.fixture(scope="module", params=["generic", "school"])
def setting(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Setting:
    if request.param == "generic":
        config = SchoolConfig()
        teachers = ("王丽", "张强")
    else:
        config = request.getfixturevalue("school_config")
        teachers = (config.teachers[0], config.teachers[1])
    folder = tmp_path_factory.mktemp(f"templates_{request.param}")
    paths = write_templates(folder, config)
    assert [p.name for p in paths] == list(template_files().values())
    return Setting(request.param, config, dict(zip(template_files(), paths, strict=True)), teachers)


def copy_template(setting: Setting, kind: str, folder: Path) -> Path:
    target = folder / template_files()[kind]
    shutil.copy(setting.templates[kind], target)
    return target


# -- filling, kind by kind: each returns the values a correct reader must give back ------------


def fill_homework(path: Path, setting: Setting) -> list[dict[str, Any]]:
    first, second = setting.teachers
    book = load_workbook(path)
    fill_rows(
        book["作业检查"],
        "任课教师",
        [
            {
                "检查日期": dt.date(2026, 3, 20),
                "年级": "三年级",
                "班级": "三(2)班",
                "学科": "数学",
                "任课教师": first,
                "布置次数": "12",
                "基础巩固": "8",
                "能力提升": 3,
                "实践探究": "1",
                "日均时长(分钟)": "45.5",
                "有批": "是",
                "有改": "否",
                "有评": "是",
                "有追踪": "是",
                "错题再学习": "否",
                "得分": "88.5",
                "等级": "良好",
                "存在问题": "=个别学生订正不及时",  # text that looks like a formula
                "检查人": "李明",
            },
            {
                "检查日期": "2026-03-27",
                "班级": "四(1)班",  # 年级 left blank: the class names it
                "学科": "语文",
                "任课教师": second,
                "布置次数": 10,
                "基础巩固": 6,
                "能力提升": "3",
                "实践探究": 1,
                "日均时长(分钟)": 40,
                "有批": "是",
                "有改": "是",
                "有评": "否",
                "有追踪": "否",
                "错题再学习": "是",
                "得分": 95,
                "等级": "优秀",
                "整改要求": "继续保持",
            },
        ],
    )
    book.save(path)
    common = {"存在问题": None, "整改要求": None, "检查人": None}
    return [
        {
            **common,
            "检查日期": dt.date(2026, 3, 20),
            "年级": 3,
            "班级": 2,
            "学科": "数学",
            "任课教师": first,
            "布置次数": 12,
            "基础巩固": 8,
            "能力提升": 3,
            "实践探究": 1,
            "日均时长": 45.5,
            "有批": True,
            "有改": False,
            "有评": True,
            "有追踪": True,
            "错题再学习": False,
            "得分": 88.5,
            "等级": "良好",
            "存在问题": "=个别学生订正不及时",
            "检查人": "李明",
        },
        {
            **common,
            "检查日期": dt.date(2026, 3, 27),
            "年级": 4,
            "班级": 1,
            "学科": "语文",
            "任课教师": second,
            "布置次数": 10,
            "基础巩固": 6,
            "能力提升": 3,
            "实践探究": 1,
            "日均时长": 40.0,
            "有批": True,
            "有改": True,
            "有评": False,
            "有追踪": False,
            "错题再学习": True,
            "得分": 95.0,
            "等级": "优秀",
            "整改要求": "继续保持",
        },
    ]


def fill_observation(path: Path, setting: Setting) -> list[dict[str, Any]]:
    first, second = setting.teachers
    book = load_workbook(path)
    fill_rows(
        book["听评课记录"],
        "听课人",
        [
            {
                "日期": dt.date(2026, 3, 18),
                "听课人": "李明",
                "听课层级": "年级组",
                "授课教师": first,
                "年级": "三年级",
                "班级": "三(2)班",
                "学科": "数学",
                "课题": "两位数乘两位数",
                "课型": "推门课",
                "学生投入度": "26",
                "教学环节落实": 35,
                "课堂反馈实效": "25.5",
                "总分": "86.5",
                "等级": "良好",
                "亮点": "小组合作充分",
                "改进建议": "当堂检测后集中讲评",
                "整改状态": "整改中",
                "复查日期": "2026-04-08",
            },
            {
                "日期": "2026-03-25",
                "听课人": "赵敏",
                "听课层级": "教导处",
                "授课教师": second,
                "班级": "四(1)班",
                "学科": "英语",
                "课题": "My family",
                "课型": "公开课",
                "学生投入度": 28,
                "教学环节落实": "38",
                "课堂反馈实效": 27,
                "总分": 93,
                "等级": "优秀",
                "存在问题": "板书略乱",
                "整改状态": "已整改",
                "复查日期": dt.date(2026, 4, 1),
            },
        ],
    )
    book.save(path)
    common = {"亮点": None, "存在问题": None, "改进建议": None}
    return [
        {
            **common,
            "日期": dt.date(2026, 3, 18),
            "听课人": "李明",
            "听课层级": "年级组",
            "授课教师": first,
            "年级": 3,
            "班级": 2,
            "学科": "数学",
            "课题": "两位数乘两位数",
            "课型": "推门课",
            "学生投入度": 26.0,
            "教学环节落实": 35.0,
            "课堂反馈实效": 25.5,
            "总分": 86.5,
            "等级": "良好",
            "亮点": "小组合作充分",
            "改进建议": "当堂检测后集中讲评",
            "整改状态": "整改中",
            "复查日期": dt.date(2026, 4, 8),
        },
        {
            **common,
            "日期": dt.date(2026, 3, 25),
            "听课人": "赵敏",
            "听课层级": "教导处",
            "授课教师": second,
            "年级": 4,
            "班级": 1,
            "学科": "英语",
            "课题": "My family",
            "课型": "公开课",
            "学生投入度": 28.0,
            "教学环节落实": 38.0,
            "课堂反馈实效": 27.0,
            "总分": 93.0,
            "等级": "优秀",
            "存在问题": "板书略乱",
            "整改状态": "已整改",
            "复查日期": dt.date(2026, 4, 1),
        },
    ]


def fill_weakpoints(path: Path, setting: Setting) -> list[dict[str, Any]]:
    first, second = setting.teachers
    book = load_workbook(path)
    fill_rows(
        book["薄弱点台账"],
        "知识点",
        [
            {
                "登记日期": dt.date(2026, 3, 10),
                "年级": "三年级",
                "班级": "三(2)班",
                "学科": "数学",
                "单元": "第三单元",
                "知识点": "两位数乘两位数的进位",
                "问题表现": "进位后忘记加",
                "错误率": 0.35,
                "涉及人数": "14",
                "原因类别": "习惯",
                "原因分析": "竖式书写不规范",
                "改进措施": "每日三道进位练习",
                "责任教师": first,
                "计划完成日期": "2026-04-10",
                "状态": "整改中",
            },
            {
                "登记日期": "2026-03-12",
                "班级": "四(1)班",
                "学科": "语文",
                "单元": "第二单元",
                "知识点": "修改病句",
                "问题表现": "找不出成分残缺",
                "错误率": "35%",
                "原因类别": "知识",
                "改进措施": "病句专项练习",
                "责任教师": second,
                "计划完成日期": dt.date(2026, 4, 1),
                "状态": "已销号",
                "复测日期": dt.date(2026, 4, 2),
                "复测正确率": "85%",
            },
        ],
    )
    book.save(path)
    return [
        {
            "登记日期": dt.date(2026, 3, 10),
            "年级": 3,
            "班级": 2,
            "学科": "数学",
            "单元": "第三单元",
            "知识点": "两位数乘两位数的进位",
            "问题表现": "进位后忘记加",
            "错误率": 0.35,
            "涉及人数": 14,
            "原因类别": "习惯",
            "原因分析": "竖式书写不规范",
            "改进措施": "每日三道进位练习",
            "责任教师": first,
            "计划完成日期": dt.date(2026, 4, 10),
            "状态": "整改中",
            "复测日期": None,
            "复测正确率": None,
        },
        {
            "登记日期": dt.date(2026, 3, 12),
            "年级": 4,
            "班级": 1,
            "学科": "语文",
            "单元": "第二单元",
            "知识点": "修改病句",
            "问题表现": "找不出成分残缺",
            "错误率": 0.35,
            "涉及人数": None,
            "原因类别": "知识",
            "原因分析": None,
            "改进措施": "病句专项练习",
            "责任教师": second,
            "计划完成日期": dt.date(2026, 4, 1),
            "状态": "已销号",
            "复测日期": dt.date(2026, 4, 2),
            "复测正确率": 0.85,
        },
    ]


def read_record_kind(key: str) -> Callable[[Path, SchoolConfig], tuple[ProblemReport, Any]]:
    def read(path: Path, config: SchoolConfig) -> tuple[ProblemReport, Any]:
        report = ProblemReport()
        table = load_records(key, [path], config, report)
        kind = RECORD_KINDS[key]
        frame = table.frame.sort_values("行")
        assert list(frame["问题"]) == [""] * len(frame)
        assert table.row_totals() == {"读取": len(frame), "计入": len(frame), "跳过": 0}
        rows = [{f.name: plain(r[f.name]) for f in kind.fields} for _, r in frame.iterrows()]
        return report, rows

    return read


def fill_scores(path: Path, setting: Setting) -> dict[str, Any]:
    """Generic: one sheet with a 班级 column. School: the pre-filled 三(2)班 sheet."""
    book = load_workbook(path)
    if setting.name == "generic":
        fill_rows(
            book["成绩"],
            "姓名",
            [
                {"班级": "三(2)班", "学号": "20230201", "姓名": "张子涵", "语文": "88.5",
                 "数学": 92, "英语": ABSENT, "科学": "76", "道德与法治": 90},
                {"班级": "三(2)班", "学号": "20230202", "姓名": "李明轩", "语文": 100,
                 "数学": "0", "英语": 59.5, "道德与法治": "85"},
                {"班级": "四(1)班", "学号": "20220101", "姓名": "王一诺", "语文": "95",
                 "数学": 61, "英语": "缺考", "科学": 80.5, "道德与法治": 70},
            ],
        )  # fmt: skip
        book.save(path)
        return {
            "students": [
                (3, 2, "20230201", "张子涵"),
                (3, 2, "20230202", "李明轩"),
                (4, 1, "20220101", "王一诺"),
            ],
            "marks": [
                {"语文": 88.5, "数学": 92.0, "英语": ABSENT, "科学": 76.0, "道德与法治": 90.0},
                {"语文": 100.0, "数学": 0.0, "英语": 59.5, "科学": ABSENT, "道德与法治": 85.0},
                {"语文": 95.0, "数学": 61.0, "英语": ABSENT, "科学": 80.5, "道德与法治": 70.0},
            ],
        }
    students = [s for s in setting.config.roster if (s.grade, s.number) == (3, 2)]
    assert 38 <= len(students) <= 45  # scores stay within 满分 100
    marks = []
    rows = []
    for k, _ in enumerate(students):
        english: object = ABSENT if k == 0 else str(50 + k)
        rows.append({"语文": 50 + k, "数学": f"{40 + k}.5", "英语": english})
        marks.append({"语文": 50.0 + k, "数学": 40.5 + k, "英语": ABSENT if k == 0 else 50.0 + k})
    ws = book["三(2)班"]
    first = fill_rows(ws, "姓名", rows)
    _, columns = header_columns(ws, "姓名")
    # The rows filled are the pre-filled students' rows, in the roster's order.
    assert [ws.cell(first + k, columns["姓名"]).value for k in range(len(students))] == [
        s.name for s in students
    ]
    book.save(path)
    return {
        "students": [(3, 2, s.student_id, s.name) for s in students],
        "marks": marks,
    }


def read_scores(path: Path, config: SchoolConfig) -> tuple[ProblemReport, Any]:
    report = ProblemReport()
    _, records = load_scores([path], config, report)
    students = records.students.sort_index()
    found = [(int(r["年级"]), int(r["班级"]), r["学号"], r["姓名"]) for _, r in students.iterrows()]
    marks: list[dict[str, object]] = [{} for _ in found]
    for _, m in records.marks.iterrows():
        assert m["满分"] == 100
        value = m["分数"] if m["状态"] == "valid" else ABSENT if m["状态"] == "absent" else "?"
        marks[int(m["sid"])][m["学科"]] = value
    assert records.row_totals() == {"读取": len(found), "计入": len(found), "跳过": 0}
    return report, {"students": found, "marks": marks}


def fill_items(path: Path, setting: Setting) -> dict[str, Any]:
    """Generic: the one 小题分 sheet. School: the 三年级 sheet, pre-filled with its roster."""
    book = load_workbook(path)
    items = [("1", 4.0, "分数的意义"), ("2", 6.0, "小数加法"), ("3", 10.5, "")]
    if setting.name == "generic":
        ws = book["小题分"]
        ws["F2"] = "三年级"
        people = [("三(2)班", "20230201", "张子涵"), ("三(2)班", "20230202", "李明轩"),
                  ("2班", "20230203", "王一诺")]  # fmt: skip
        typed = [(3, "4.5", ABSENT), ("4", 6, 10.5), (0, "0", "5")]
        expected = [(3.0, 4.5, ABSENT), (4.0, 6.0, 10.5), (0.0, 0.0, 5.0)]
        exam = "期末"
    else:
        ws = book["三年级"]
        assert ws["E2"].value == "年级"
        assert ws["F2"].value == "三年级"  # pre-filled from the sheet's grade
        roster = [s for s in setting.config.roster if s.grade == 3]
        people = [(class_name(s.grade, s.number), s.student_id, s.name) for s in roster]
        typed, expected = [], []
        for k in range(len(roster)):
            third: object = ABSENT if k == 0 else (k % 10) + 0.5
            typed.append((k % 5, str(k % 7), third))
            expected.append((float(k % 5), float(k % 7), third))
        exam = "期中"
    assert ws["A2"].value == "学科"
    assert ws["C2"].value == "考试"
    ws["B2"] = "数学"
    ws["D2"] = exam
    _, columns = header_columns(ws, "姓名")
    full_row = header_columns(ws, "姓名")[0] + 1
    assert ws.cell(full_row, 1).value == "满分"
    assert ws.cell(full_row + 1, 1).value == "知识点"
    ws.cell(full_row, columns["1"]).value = 4
    ws.cell(full_row, columns["2"]).value = "6"
    ws.cell(full_row, columns["3"]).value = 10.5
    ws.cell(full_row + 1, columns["1"]).value = "分数的意义"
    ws.cell(full_row + 1, columns["2"]).value = "小数加法"
    rows = []
    for (klass, sid, name), scores in zip(people, typed, strict=True):
        row: dict[str, object] = dict(zip(("1", "2", "3"), scores, strict=True))
        if setting.name == "generic":
            row |= {"班级": klass, "学号": sid, "姓名": name}
        rows.append(row)
    fill_rows(ws, "姓名", rows, skip=2)
    book.save(path)
    grade_classes = (
        [(3, 2)] * 3
        if setting.name == "generic"
        else [(s.grade, s.number) for s in setting.config.roster if s.grade == 3]
    )
    return {
        "students": [
            (g, n, sid, name, "数学", exam)
            for (g, n), (_, sid, name) in zip(grade_classes, people, strict=True)
        ],
        "marks": [dict(zip(("1", "2", "3"), e, strict=True)) for e in expected],
        "items": items,
    }


def read_items(path: Path, config: SchoolConfig) -> tuple[ProblemReport, Any]:
    report = ProblemReport()
    records = load_items([path], config, report)
    students = records.students.sort_index()
    found = [
        (int(r["年级"]), int(r["班级"]), r["学号"], r["姓名"], r["学科"], r["考试"])
        for _, r in students.iterrows()
    ]
    marks: list[dict[str, object]] = [{} for _ in found]
    for _, m in records.marks.iterrows():
        value = m["分数"] if m["状态"] == "valid" else ABSENT if m["状态"] == "absent" else "?"
        marks[int(m["sid"])][m["题号"]] = value
    items = [(r["题号"], r["满分"], r["知识点"]) for _, r in records.items.iterrows()]
    assert set(records.items["年级"]) == {3}
    return report, {"students": found, "marks": marks, "items": items}


FILL: dict[str, Callable[[Path, Setting], Any]] = {
    "scores": fill_scores,
    "items": fill_items,
    "homework": fill_homework,
    "observation": fill_observation,
    "weakpoints": fill_weakpoints,
}
READ: dict[str, Callable[[Path, SchoolConfig], tuple[ProblemReport, Any]]] = {
    "scores": read_scores,
    "items": read_items,
    **{key: read_record_kind(key) for key in RECORD_KINDS},
}


# -- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_filled_template_reads_back_exactly(kind: str, setting: Setting, tmp_path: Path) -> None:
    path = copy_template(setting, kind, tmp_path)
    expected = FILL[kind](path, setting)
    report, found = READ[kind](path, setting.config)
    assert report.errors == []
    assert report.of("warning") == []
    assert found == expected


@pytest.mark.parametrize("kind", KINDS)
def test_filled_template_is_recognised_with_or_without_its_marker(
    kind: str, setting: Setting, tmp_path: Path
) -> None:
    path = copy_template(setting, kind, tmp_path)
    expected = FILL[kind](path, setting)
    assert recognise(InputFile(path, path.name)) == recognise_result(kind, "标记")

    book = load_workbook(path)
    assert book[MARKER_SHEET].sheet_state == "hidden"
    del book[MARKER_SHEET]
    renamed = tmp_path / "新建 Microsoft Excel 工作表.xlsx"
    book.save(renamed)
    assert recognise(InputFile(renamed, renamed.name)) == recognise_result(kind, "表头")
    # Without its marker the file still reads the same, and its 填写说明 is not taken for data.
    report, found = READ[kind](renamed, setting.config)
    assert report.errors == []
    assert [p for p in report if p.sheet == "填写说明"] == []
    assert found == expected


def recognise_result(kind: str, how: str) -> Any:
    from toolkit.kinds.recognise import Recognised

    return Recognised(kind, how)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("marker", [True, False], ids=["marker", "no-marker"])
def test_unfilled_template_gives_no_records(
    kind: str, marker: bool, setting: Setting, tmp_path: Path
) -> None:
    """The example values of 填写说明 are never read as a record."""
    path = copy_template(setting, kind, tmp_path)
    if not marker:
        book = load_workbook(path)
        del book[MARKER_SHEET]
        book.save(path)
    report = ProblemReport()
    if kind == "scores":
        _, records = load_scores([path], setting.config, report)
        count = len(records.students)
    elif kind == "items":
        count = len(load_items([path], setting.config, report).students)
    else:
        count = len(load_records(kind, [path], setting.config, report).frame)
    assert count == 0
    assert report.errors == []
    assert report.of("warning") == []
    assert {p.sheet for p in report} <= set(load_workbook(path).sheetnames) - {"填写说明"}


def test_score_template_has_one_sheet_per_class_prefilled_from_the_roster(
    school_config: SchoolConfig, tmp_path: Path
) -> None:
    (path,) = write_templates(tmp_path, school_config, kinds=["scores"])
    book = load_workbook(path)
    classes = [f"{g}({n})班" for g in "三四五六" for n in (1, 2, 3)]
    assert book.sheetnames == ["填写说明", *classes, MARKER_SHEET]
    for grade, word in zip((3, 4, 5, 6), "三四五六", strict=True):
        for number in (1, 2, 3):
            ws = book[f"{word}({number})班"]
            header, _ = header_columns(ws, "姓名")
            assert header == 3
            assert [ws.cell(header, c).value for c in range(1, 6)] == [
                "学号", "姓名", "语文", "数学", "英语",
            ]  # fmt: skip
            roster = [s for s in school_config.roster if (s.grade, s.number) == (grade, number)]
            assert 38 <= len(roster) <= 45
            written = [
                (ws.cell(r, 1).value, ws.cell(r, 2).value)
                for r in range(header + 1, ws.max_row + 1)
                if ws.cell(r, 2).value is not None
            ]
            assert written == [(s.student_id, s.name) for s in roster]
            # 学号 like 20230201: the sample school's enrolment year, class and number.
            assert [sid for sid, _ in written] == [
                f"{2026 - grade}{number:02d}{k:02d}" for k in range(1, len(roster) + 1)
            ]
            # Score cells are left for the teacher.
            assert all(
                ws.cell(r, c).value is None
                for r in range(header + 1, header + 1 + len(roster))
                for c in range(3, 6)
            )
