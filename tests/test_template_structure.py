"""The generated templates as a teacher sees them in Excel: titles, a locked header over
unlocked input cells, frozen panes, print setup, and data validation drawn from the declared
fields and the school's config.

Opened with openpyxl (not the toolkit's reader), so what is checked is what Excel shows.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from template_fill import header_columns, write_sample_config

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.render.templates.write import template_files, write_templates

SCHOOL = "博山区实验小学"
TERM = "2025-2026学年第二学期"
GRADES = ["三年级", "四年级", "五年级", "六年级"]
CLASSES = [f"{g}({n})班" for g in "三四五六" for n in (1, 2, 3)]
ALL_GRADES = [
    "一年级", "二年级", "三年级", "四年级", "五年级", "六年级",
    "七年级", "八年级", "九年级", "高一", "高二", "高三",
]  # fmt: skip
ALL_SUBJECTS = [
    "语文", "数学", "英语", "科学", "道德与法治", "物理", "化学", "生物", "历史", "地理",
    "政治", "信息科技", "音乐", "美术", "体育", "劳动", "综合实践", "书法",
    "日语", "俄语", "法语", "德语", "西班牙语",
]  # fmt: skip
LEVELS = ["优秀", "良好", "合格", "待改进"]
YES_NO = ["是", "否"]
# Excel serial day numbers of 2000-01-01 and 2099-12-31 (days since 1899-12-30).
FIRST_SERIAL = (dt.date(2000, 1, 1) - dt.date(1899, 12, 30)).days
LAST_SERIAL = (dt.date(2099, 12, 31) - dt.date(1899, 12, 30)).days
CJK = re.compile(r"[\u4e00-\u9fff]")
DATA_SHEETS = {
    "homework": "作业检查",
    "observation": "听评课记录",
    "weakpoints": "薄弱点台账",
}
ANCHORS = {"homework": "任课教师", "observation": "听课人", "weakpoints": "知识点"}


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> tuple[SchoolConfig, list[str]]:
    """The sample school's config, edited as a school would: 数学 out of 120 in 三年级 and
    学生投入度 out of 20. Returns it with its teachers as listed on the 任课 sheet."""
    folder = tmp_path_factory.mktemp("config")
    path, _ = write_sample_config(folder)
    book = load_workbook(path)
    book["学科"].append(["三年级", "数学", 120])
    params = book["参数"]
    rows = [r for r in params.iter_rows(min_row=2) if r[0].value == "听评课满分-学生投入度"]
    assert len(rows) == 1
    rows[0][1].value = 20
    # The teachers in the order the 任课 sheet lists them, each once.
    teaching = book["任课"]
    assert teaching["A1"].value == "教师"
    teachers = list(dict.fromkeys(r[0].value for r in teaching.iter_rows(min_row=2) if r[0].value))
    assert len(teachers) == 24  # 4 grades × 3 subjects × 2 teachers (each teaches two classes)
    book.save(path)
    report = ProblemReport()
    config = load_config(path, report)
    assert report.errors == []
    return config, teachers


@pytest.fixture(scope="module")
def generic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Workbook]:
    folder = tmp_path_factory.mktemp("generic")
    paths = write_templates(folder)
    return {kind: load_workbook(p) for kind, p in zip(template_files(), paths, strict=True)}


@pytest.fixture(scope="module")
def own(
    tmp_path_factory: pytest.TempPathFactory, school: tuple[SchoolConfig, list[str]]
) -> dict[str, Workbook]:
    folder = tmp_path_factory.mktemp("own")
    paths = write_templates(folder, school[0])
    return {kind: load_workbook(p) for kind, p in zip(template_files(), paths, strict=True)}


def data_sheets(book: Workbook) -> list[Worksheet]:
    return [ws for ws in book.worksheets if ws.title not in ("填写说明", "_下拉选项", "_xueqing")]


def column_validations(ws: Worksheet, row: int) -> dict[int, DataValidation]:
    """Validations whose range starts on ``row``, by their (single) column."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for cells in dv.sqref.ranges:
            min_col, min_row, max_col, _ = range_boundaries(str(cells))
            if min_row == row:
                assert min_col == max_col
                found[min_col] = dv
    return found


def by_header(ws: Worksheet, anchor: str) -> dict[str, DataValidation]:
    header, columns = header_columns(ws, anchor)
    validations = column_validations(ws, header + 1)
    return {name: validations[c] for name, c in columns.items() if c in validations}


def list_values(book: Workbook, dv: DataValidation) -> list[str]:
    """The values of a list validation's source range on the hidden lists sheet."""
    match = re.fullmatch(r"'_下拉选项'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", dv.formula1)
    assert match, dv.formula1
    column, first, column_end, last = match.groups()
    assert column == column_end and first == "1"
    lists = book["_下拉选项"]
    return [lists[f"{column}{r}"].value for r in range(1, int(last) + 1)]


# -- titles, header, protection, print setup -----------------------------------------------------


@pytest.mark.parametrize("kind", list(template_files()))
def test_title_names_school_term_and_kind(
    kind: str, generic: dict[str, Workbook], own: dict[str, Workbook]
) -> None:
    what = {"scores": "质量监测成绩", "items": "小题分", "lekao": "乐考"}.get(
        kind, f"{DATA_SHEETS.get(kind)}记录表"
    )
    for ws in data_sheets(own[kind]):
        title = ws["A1"].value
        assert SCHOOL in title
        assert TERM in title
        assert what in title
        assert ws["A1"].font.b
        assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)
    for ws in data_sheets(generic[kind]):
        title = ws["A1"].value
        assert SCHOOL not in title
        assert "学校" in title and "学期" in title  # blanks to fill by hand
        assert what in title


@pytest.mark.parametrize("kind", list(template_files()))
@pytest.mark.parametrize("which", ["generic", "own"])
def test_header_locked_data_unlocked_sheet_protected_without_password(
    kind: str, which: str, request: pytest.FixtureRequest
) -> None:
    book = request.getfixturevalue(which)[kind]
    for ws in data_sheets(book):
        anchor = "姓名" if kind in ("scores", "items", "lekao") else ANCHORS[kind]
        header, columns = header_columns(ws, anchor)
        assert header == 3
        first_data = header + (3 if kind == "items" else 1)
        # Headers the user may change: subject headers of the generic score sheet, item numbers.
        editable = set()
        if kind == "items":
            editable = {c for name, c in columns.items() if name.isdigit()}
            assert len(editable) == 30
        if kind == "scores" and which == "generic":
            editable = {columns[s] for s in ("语文", "数学", "英语", "科学", "道德与法治")}
        for name, c in columns.items():
            cell = ws.cell(header, c)
            assert cell.font.b, name
            assert cell.protection.locked is (c not in editable), name
        assert ws["A1"].protection.locked  # the title too
        for r in range(first_data, first_data + 5):
            for c in columns.values():
                assert ws.cell(r, c).protection.locked is False, ws.cell(r, c).coordinate
        assert ws.protection.sheet is True
        assert not ws.protection.password
        # Rows can still be inserted, deleted and sorted under the protection.
        assert ws.protection.insertRows is False
        assert ws.protection.deleteRows is False
        assert ws.protection.sort is False


def test_optional_columns_have_a_lighter_header(own: dict[str, Workbook]) -> None:
    ws = own["homework"]["作业检查"]
    header, columns = header_columns(ws, "任课教师")
    fills = {name: ws.cell(header, c).fill.fgColor.rgb for name, c in columns.items()}
    assert {name for name, fill in fills.items() if fill == "FF5B7FA6"} == {
        "存在问题",
        "整改要求",
        "检查人",
    }
    assert {fill for name, fill in fills.items() if fill != "FF5B7FA6"} == {"FF1F4E79"}


@pytest.mark.parametrize(
    ("kind", "freeze", "print_rows"),
    [
        ("homework", "A4", "$3:$3"),
        ("observation", "A4", "$3:$3"),
        ("weakpoints", "A4", "$3:$3"),
        ("scores", "C4", "$3:$3"),  # 学号 and 姓名 stay in view
        ("items", "D6", "$3:$5"),  # 班级, 学号, 姓名; the 满分 and 知识点 rows print too
    ],
)
def test_frozen_panes_print_titles_and_a4_landscape(
    kind: str, freeze: str, print_rows: str, own: dict[str, Workbook]
) -> None:
    sheets = data_sheets(own[kind])
    assert len(sheets) == {"scores": 12, "items": 4}.get(kind, 1)
    for ws in sheets:
        assert ws.freeze_panes == freeze
        assert ws.print_title_rows == print_rows
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == "landscape"


def test_generic_score_sheet_freezes_after_its_class_column(generic: dict[str, Workbook]) -> None:
    (ws,) = data_sheets(generic["scores"])
    assert ws.title == "成绩"
    assert ws.freeze_panes == "D4"
    assert [c.value for c in ws[3]] == ["班级", "学号", "姓名", *ALL_SUBJECTS[:5]]


@pytest.mark.parametrize("kind", list(template_files()))
@pytest.mark.parametrize("which", ["generic", "own"])
def test_marker_and_lists_sheets_are_hidden(
    kind: str, which: str, request: pytest.FixtureRequest
) -> None:
    book = request.getfixturevalue(which)[kind]
    marker = book["_xueqing"]
    assert marker.sheet_state == "hidden"
    assert (marker["A1"].value, marker["B1"].value, marker["C1"].value) == (
        "xueqing-template",
        kind,
        1,
    )
    assert book.sheetnames[0] == "填写说明"
    assert book["填写说明"].sheet_state == "visible"
    if "_下拉选项" in book.sheetnames:
        assert book["_下拉选项"].sheet_state == "hidden"
    assert book.active.title == data_sheets(book)[0].title  # opens on the first data sheet


# -- data validation ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["homework", "observation", "weakpoints"])
def test_school_lists_come_from_the_config(
    kind: str, own: dict[str, Workbook], school: tuple[SchoolConfig, list[str]]
) -> None:
    _, teachers = school
    book = own[kind]
    dvs = by_header(book[DATA_SHEETS[kind]], ANCHORS[kind])
    expected = {"年级": GRADES, "班级": CLASSES, "学科": ["语文", "数学", "英语"]}
    if kind == "homework":
        expected |= {"任课教师": teachers, "检查人": teachers}
    if kind == "observation":
        expected |= {"听课人": teachers, "授课教师": teachers}
    if kind == "weakpoints":
        expected |= {"责任教师": teachers}
    for name, values in expected.items():
        dv = dvs[name]
        assert dv.type == "list", name
        assert list_values(book, dv) == values, name
        # Teachers and subjects may be typed outside the list (with a warning); grades and
        # classes must be chosen.
        loose = name in ("学科", "任课教师", "检查人", "听课人", "授课教师", "责任教师")
        assert dv.errorStyle == ("warning" if loose else None), name  # None: Excel's "stop"


@pytest.mark.parametrize("kind", ["homework", "observation", "weakpoints"])
def test_generic_lists(kind: str, generic: dict[str, Workbook]) -> None:
    book = generic[kind]
    dvs = by_header(book[DATA_SHEETS[kind]], ANCHORS[kind])
    assert list_values(book, dvs["年级"]) == ALL_GRADES
    assert list_values(book, dvs["学科"]) == ALL_SUBJECTS
    # Without a config there is no list of classes or teachers: the cells only prompt.
    for name in ("班级", {"homework": "任课教师", "observation": "授课教师"}.get(kind, "责任教师")):
        assert dvs[name].type is None, name
        assert CJK.search(dvs[name].prompt), name


CHOICES = {
    "homework": {
        "等级": LEVELS,
        **dict.fromkeys(["有批", "有改", "有评", "有追踪", "错题再学习"], YES_NO),
    },
    "observation": {
        "听课层级": ["教导处", "年级组", "教研组"],
        "课型": ["推门课", "公开课", "研讨课", "示范课", "汇报课"],
        "等级": LEVELS,
        "整改状态": ["未整改", "整改中", "已整改"],
    },
    "weakpoints": {
        "原因类别": ["知识", "能力", "习惯", "教学"],
        "状态": ["待整改", "整改中", "已销号"],
    },
}


@pytest.mark.parametrize("kind", list(CHOICES))
@pytest.mark.parametrize("which", ["generic", "own"])
def test_choice_lists_hold_exactly_the_declared_choices(
    kind: str, which: str, request: pytest.FixtureRequest
) -> None:
    book = request.getfixturevalue(which)[kind]
    dvs = by_header(book[DATA_SHEETS[kind]], ANCHORS[kind])
    for name, values in CHOICES[kind].items():
        assert dvs[name].type == "list", name
        assert dvs[name].errorStyle is None, name  # stop: only the list is allowed
        assert list_values(book, dvs[name]) == values, name


NUMBERS = {
    "homework": {
        "布置次数": ("whole", 0, 200),
        "基础巩固": ("whole", 0, 200),
        "能力提升": ("whole", 0, 200),
        "实践探究": ("whole", 0, 200),
        "日均时长(分钟)": ("decimal", 0, 300),
        "得分": ("decimal", 0, 100),
    },
    "observation": {
        "学生投入度": ("decimal", 0, 30),
        "教学环节落实": ("decimal", 0, 40),
        "课堂反馈实效": ("decimal", 0, 30),
        "总分": ("decimal", 0, 100),
    },
    "weakpoints": {
        "错误率": ("decimal", 0, 1),  # percent cells hold fractions
        "复测正确率": ("decimal", 0, 1),
        "涉及人数": ("whole", 0, 100),
    },
}
DATES = {
    "homework": ["检查日期"],
    "observation": ["日期", "复查日期"],
    "weakpoints": ["登记日期", "计划完成日期", "复测日期"],
}


def bounds(dv: DataValidation) -> tuple[str | None, float, float]:
    return dv.type, float(dv.formula1), float(dv.formula2)


@pytest.mark.parametrize("kind", list(NUMBERS))
def test_number_and_date_validations_in_generic_templates(
    kind: str, generic: dict[str, Workbook]
) -> None:
    dvs = by_header(generic[kind][DATA_SHEETS[kind]], ANCHORS[kind])
    for name, (kind_of_number, low, high) in NUMBERS[kind].items():
        assert dvs[name].operator in (None, "between"), name
        assert bounds(dvs[name]) == (kind_of_number, low, high), name
    for name in DATES[kind]:
        assert bounds(dvs[name]) == ("date", FIRST_SERIAL, LAST_SERIAL), name


def test_observation_marks_follow_the_config(
    own: dict[str, Workbook], school: tuple[SchoolConfig, list[str]]
) -> None:
    config, _ = school
    assert config.observation_marks == {"学生投入度": 20, "教学环节落实": 40, "课堂反馈实效": 30}
    dvs = by_header(own["observation"]["听评课记录"], "听课人")
    assert bounds(dvs["学生投入度"]) == ("decimal", 0, 20)
    assert bounds(dvs["教学环节落实"]) == ("decimal", 0, 40)
    assert bounds(dvs["总分"]) == ("decimal", 0, 90)  # 20 + 40 + 30
    assert "0–20" in dvs["学生投入度"].prompt
    assert "0–20" in dvs["学生投入度"].error


def test_score_columns_use_the_subjects_full_mark_and_the_absence_words(
    own: dict[str, Workbook], school: tuple[SchoolConfig, list[str]]
) -> None:
    config, _ = school
    assert config.rule(3, "数学").full_mark == 120
    assert config.rule(4, "数学").full_mark == 100
    book = own["scores"]
    for ws in data_sheets(book):
        grade_120 = ws.title.startswith("三")
        dvs = by_header(ws, "姓名")
        assert set(dvs) == {"学号", "姓名", "语文", "数学", "英语"}
        for subject in ("语文", "数学", "英语"):
            dv = dvs[subject]
            full = 120 if grade_120 and subject == "数学" else 100
            _, columns = header_columns(ws, "姓名")
            cell = f"{'ABCDE'[columns[subject] - 1]}4"
            assert dv.type == "custom"
            assert f"{cell}<={full})" in dv.formula1, dv.formula1
            assert f'{cell}="缺考"' in dv.formula1
            assert f"ISNUMBER({cell})" in dv.formula1
            assert f"0–{full} 的分数" in dv.prompt
            assert "缺考" in dv.error
        # Validation covers the pre-filled students and the spare rows below them.
        name_col = header_columns(ws, "姓名")[1]["姓名"]
        last_student = max(r for r in range(4, ws.max_row + 1) if ws.cell(r, name_col).value)
        (cells,) = dvs["数学"].sqref.ranges
        assert range_boundaries(str(cells))[3] == last_student + 5


def test_item_scores_are_checked_against_the_full_mark_row(own: dict[str, Workbook]) -> None:
    ws = own["items"]["三年级"]
    dvs = column_validations(ws, 6)  # the first student row
    item_d = dvs[4]  # column D: item 1
    assert item_d.type == "custom"
    assert "D6<=D$4)" in item_d.formula1
    assert 'D6="缺考"' in item_d.formula1
    full_marks = column_validations(ws, 4)
    assert bounds(full_marks[4]) == ("decimal", 0.5, 200)
    # The sheet-wide 学科 and 年级 cells offer the config's lists.
    info = column_validations(ws, 2)
    assert list_values(own["items"], info[2]) == ["语文", "数学", "英语"]  # B2
    assert list_values(own["items"], info[6]) == GRADES  # F2


@pytest.mark.parametrize("kind", list(template_files()))
@pytest.mark.parametrize("which", ["generic", "own"])
def test_prompts_and_errors_are_chinese(
    kind: str, which: str, request: pytest.FixtureRequest
) -> None:
    book = request.getfixturevalue(which)[kind]
    count = 0
    for ws in data_sheets(book):
        for dv in ws.data_validations.dataValidation:
            count += 1
            assert dv.promptTitle and CJK.search(dv.promptTitle), dv.sqref
            assert dv.prompt and CJK.search(dv.prompt), dv.sqref
            assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255
            if dv.type is not None:  # a rule, not just a prompt
                assert dv.errorTitle == "输入有误"
                assert dv.error and CJK.search(dv.error), dv.sqref
    assert count >= 5


def test_every_record_column_is_validated_from_the_first_data_row(
    own: dict[str, Workbook],
) -> None:
    for kind, sheet in DATA_SHEETS.items():
        ws = own[kind][sheet]
        header, columns = header_columns(ws, ANCHORS[kind])
        dvs = column_validations(ws, header + 1)
        assert set(dvs) == set(columns.values()), kind
        for dv in dvs.values():
            (cells,) = dv.sqref.ranges
            assert range_boundaries(str(cells))[3] == header + 1000  # 1000 rows
