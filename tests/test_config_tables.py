"""The school config's 班级, 任课 and 名单 sheets and the per-grade / per-dimension 参数 rows:
values read as the school wrote them, and every bad cell reported as file › sheet › cell."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.config.tables import ClassInfo, RosterEntry, Teaching

Rows = Sequence[Sequence[object]]
FILE = "学校配置.xlsx"
INFO = [["项目", "值"], ["学校", "实验小学"], ["学年", "2025-2026"], ["学期", "第二学期"]]
SUBJECTS = [["年级", "学科", "满分"], [None, "语文", 100]]
CLASSES = [
    ["年级", "班级", "班主任", "人数"],
    ["三年级", "三(1)班", "赵敏", 42],
    ["三年级", "2班", "钱亮", "40人"],  # grade from the 年级 column, 人 dropped
    [None, "四（1）班", "孙丽", None],  # full-width brackets; grade from the class
]
TEACHING = [
    ["教师", "学科", "年级", "班级"],
    ["王丽", "数学", "三年级", "1班、2班"],  # two classes in one cell
    ["张强", "语文", "三年级", None],  # blank: every class of 三年级 on the 班级 sheet
    ["李娜", "英语", None, "四(1)班"],  # grade from the class
    ["周红", "科学", "4", "1"],
]
ROSTER = [
    ["年级", "班级", "学号", "姓名"],
    ["三年级", "三(1)班", "20230101", "张子涵"],
    ["三年级", "三(1)班", 20230102, "李明轩"],  # a number cell: 学号 read as text
    [None, "三(2)班", "20230201", "王一诺"],
    ["四年级", "1班", None, "赵 小雨"],  # no 学号
]


def write_config(path: Path, sheets: dict[str, Rows]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    book.save(path)
    return path


def load(tmp_path: Path, **sheets: Rows) -> tuple[SchoolConfig, ProblemReport]:
    """A config with 基本信息 and 学科 plus ``sheets``; read back."""
    path = write_config(tmp_path / FILE, {"基本信息": INFO, "学科": SUBJECTS, **sheets})
    report = ProblemReport()
    return load_config(path, report), report


def errors(report: ProblemReport) -> list[str]:
    return [str(p) for p in report.errors]


# -- values ----------------------------------------------------------------------------------------


@pytest.fixture
def good(tmp_path: Path) -> tuple[SchoolConfig, ProblemReport]:
    return load(tmp_path, 班级=CLASSES, 任课=TEACHING, 名单=ROSTER, 参数=[["项目", "值"]])


def test_classes(good: tuple[SchoolConfig, ProblemReport]) -> None:
    config, report = good
    assert errors(report) == []
    assert config.classes == [
        ClassInfo(3, 1, "赵敏", 42),
        ClassInfo(3, 2, "钱亮", 40),
        ClassInfo(4, 1, "孙丽", None),
    ]


def test_teaching_expands_class_lists_and_blank_classes(
    good: tuple[SchoolConfig, ProblemReport],
) -> None:
    config, _ = good
    assert config.teaching == [
        Teaching("王丽", "数学", 3, 1),
        Teaching("王丽", "数学", 3, 2),
        Teaching("张强", "语文", 3, 1),
        Teaching("张强", "语文", 3, 2),
        Teaching("李娜", "英语", 4, 1),
        Teaching("周红", "科学", 4, 1),
    ]
    assert config.teachers == ["王丽", "张强", "李娜", "周红"]


def test_roster(good: tuple[SchoolConfig, ProblemReport]) -> None:
    config, _ = good
    assert config.roster == [
        RosterEntry(3, 1, "20230101", "张子涵"),
        RosterEntry(3, 1, "20230102", "李明轩"),
        RosterEntry(3, 2, "20230201", "王一诺"),
        RosterEntry(4, 1, "", "赵 小雨"),
    ]


def test_grades_classes_and_subjects_follow_the_tables(
    good: tuple[SchoolConfig, ProblemReport],
) -> None:
    config, _ = good
    assert config.grades == [3, 4]
    assert config.class_numbers(3) == [1, 2]
    assert config.class_numbers(4) == [1]
    # The 学科 sheet names 语文 for every grade; the 任课 sheet adds what each grade is taught.
    assert config.subjects_for(3) == ["语文", "数学"]
    assert config.subjects_for(4) == ["语文", "英语", "科学"]


def test_no_tables_no_lists(tmp_path: Path) -> None:
    config, report = load(tmp_path, 参数=[["项目", "值"]])
    assert errors(report) == []
    assert (config.classes, config.teaching, config.roster) == ([], [], [])
    assert config.grades == []


# -- bad cells -------------------------------------------------------------------------------------


def test_bad_cells_in_the_class_sheet(tmp_path: Path) -> None:
    rows = [
        ["年级", "班级", "班主任", "人数"],
        ["三年级", "三(1)班", "赵敏", 42],
        ["火星年级", "2班", "钱亮", 40],
        ["三年级", "三(3)班", "孙丽", "四十"],
        ["三年级", "三(4)班", "周红", 0],
    ]
    config, report = load(tmp_path, 班级=rows)
    assert errors(report) == [
        "学校配置.xlsx › 班级 › A3: “火星年级” 不是有效的年级：应为年级，如 三年级、初一",
        "学校配置.xlsx › 班级 › D4: “四十” 不是有效的人数：应为整数",
        "学校配置.xlsx › 班级 › D5: 0 超出范围：人数应在 1–120 之间",
    ]
    assert config.classes == [ClassInfo(3, 1, "赵敏", 42)]  # bad rows are left out


def test_duplicate_student(tmp_path: Path) -> None:
    rows = [
        ["年级", "班级", "学号", "姓名"],
        ["三年级", "三(1)班", "20230101", "张子涵"],
        ["三年级", "三(1)班", "20230102", "李明轩"],
        ["三年级", "三(1)班", "20230101", "张子涵"],
        ["三年级", "三(2)班", None, "王一诺"],
        ["三年级", "三(2)班", None, "王一诺"],  # no 学号: the same name twice in one class
        ["三年级", "三(3)班", None, "王一诺"],  # the same name in another class is fine
    ]
    config, report = load(tmp_path, 名单=rows)
    assert [p.code for p in report.errors] == ["config.duplicate_student"] * 2
    assert errors(report) == [
        "学校配置.xlsx › 名单 › D4: 学生“张子涵”在名单中重复（另见 D2）",
        "学校配置.xlsx › 名单 › D6: 学生“王一诺”在名单中重复（另见 D5）",
    ]
    assert [(r.grade, r.number, r.name) for r in config.roster] == [
        (3, 1, "张子涵"),
        (3, 1, "李明轩"),
        (3, 2, "王一诺"),
        (3, 3, "王一诺"),
    ]


def test_teacher_with_blank_classes_and_no_classes_sheet(tmp_path: Path) -> None:
    rows = [["教师", "学科", "年级", "班级"], ["张强", "语文", "三年级", None]]
    config, report = load(tmp_path, 任课=rows)
    assert errors(report) == [
        "学校配置.xlsx › 任课 › D2: “张强”的任教班级没有填写，且“班级”表中没有该年级的班级"
    ]
    assert config.teaching == []


def test_bad_parameters(tmp_path: Path) -> None:
    rows = [
        ["项目", "值"],
        ["作业时长上限-三年级", "abc"],
        ["听评课满分-学生兴趣", 20],
        ["作业时长上限-火星", 60],
        ["听评课满分-学生投入度", 0],
        ["听课节数要求", "十五"],
    ]
    config, report = load(tmp_path, 参数=rows)
    assert errors(report) == [
        "学校配置.xlsx › 参数 › B2: “abc” 无效：作业时长上限应为分钟数（0 表示不布置书面作业）",
        # A bad key points at the key's cell (A), a bad value at the value's (B).
        "学校配置.xlsx › 参数 › A3: “听评课满分-学生兴趣” 无效："
        "应为 学生投入度、教学环节落实、课堂反馈实效 之一",
        "学校配置.xlsx › 参数 › A4: “作业时长上限-火星” 无效："
        "“作业时长上限-火星”中的年级无法识别（如 作业时长上限-三年级）",
        "学校配置.xlsx › 参数 › B5: “0” 无效：满分应为正数",
        "学校配置.xlsx › 参数 › B6: “十五” 无效：应为非负数",
    ]
    assert {p.code for p in report.errors} == {"config.invalid"}
    # Bad values leave the defaults standing.
    assert config.homework_minutes[3] == 60
    assert config.observation_marks == {"学生投入度": 30, "教学环节落实": 40, "课堂反馈实效": 30}
    assert config.observation_quota == 15


# -- parameter values ------------------------------------------------------------------------------


def test_parameter_values(tmp_path: Path) -> None:
    rows = [
        ["项目", "值"],
        ["听课节数要求", 20],
        ["作业检查预警分", "85分"],
        ["整改超期天数", 7],
        ["作业时长上限-三年级", 45],
        ["作业时长上限-四年级", "不限"],
        ["作业时长上限（初一）", 100],
        ["听评课满分-学生投入度", 20],
        ["听评课满分：课堂反馈实效", "40"],
    ]
    config, report = load(tmp_path, 参数=rows)
    assert errors(report) == []
    assert config.observation_quota == 20
    assert config.homework_alert_score == 85
    assert config.follow_up_days == 7
    assert config.homework_minutes == {
        1: 0,
        2: 0,
        3: 45,  # overrides the default 60
        # 4: 不限 removes the limit
        5: 60,
        6: 60,
        7: 100,
        8: 90,
        9: 90,
    }
    assert config.observation_marks == {"学生投入度": 20, "教学环节落实": 40, "课堂反馈实效": 40}


def test_parameter_defaults(tmp_path: Path) -> None:
    config, report = load(tmp_path, 参数=[["项目", "值"]])
    assert errors(report) == []
    assert config.observation_quota == 15
    assert config.homework_alert_score == 80
    assert config.follow_up_days == 14
    assert config.homework_minutes == {1: 0, 2: 0, 3: 60, 4: 60, 5: 60, 6: 60, 7: 90, 8: 90, 9: 90}
    assert config.observation_marks == {"学生投入度": 30, "教学环节落实": 40, "课堂反馈实效": 30}


def test_observation_mark_bounds_the_records(tmp_path: Path) -> None:
    """A configured 满分 is what the 听评课 reader checks against."""
    from toolkit.kinds.registry import RECORD_KINDS

    config, _ = load(tmp_path, 参数=[["项目", "值"], ["听评课满分-学生投入度", 20]])
    fields = {f.name: f for f in RECORD_KINDS["observation"].fields}
    assert fields["学生投入度"].bounds(config) == (0, 20)
    assert fields["总分"].bounds(config) == (0, 90)
    assert fields["学生投入度"].bounds(SchoolConfig()) == (0, 30)
