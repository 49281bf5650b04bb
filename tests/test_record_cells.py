"""One cell of a record → a typed value (toolkit.records.cells), and item numbers in headers
(toolkit.items.schema.item_label): examples and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.base.classnames import ClassId, parse_grade
from toolkit.config.model import SchoolConfig
from toolkit.items.schema import item_label
from toolkit.kinds.registry import RECORD_KINDS
from toolkit.records.cells import (
    BLANK,
    CellValue,
    parse_cell,
    parse_classes,
    parse_date,
    parse_percent,
)
from toolkit.records.fields import Field, level_field

CONFIG = SchoolConfig()
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug absorbed)


def serial(day: dt.date) -> int:
    """The Excel serial number of ``day``: days since 1899-12-30."""
    return (day - EXCEL_EPOCH).days


# -- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.datetime(2026, 3, 5, 10, 30), dt.date(2026, 3, 5)),
        (dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
        (46086, dt.date(2026, 3, 5)),  # 2026-01-01 is 46023; + 31 (Jan) + 28 (Feb) + 4
        (46086.75, dt.date(2026, 3, 5)),  # a time of day is dropped
        (36526, dt.date(2000, 1, 1)),
        (73050, dt.date(2099, 12, 31)),
        ("2026-3-5", dt.date(2026, 3, 5)),
        ("2026/03/05", dt.date(2026, 3, 5)),
        ("2026年3月5日", dt.date(2026, 3, 5)),
        ("2026 年 3 月 5 日", dt.date(2026, 3, 5)),
        ("2026.3.5", dt.date(2026, 3, 5)),
        ("20260305", dt.date(2026, 3, 5)),
        ("2026-03-05 08:30", dt.date(2026, 3, 5)),
        ("2026-03-05 08:30:15", dt.date(2026, 3, 5)),
        ("２０２６－０３－０５", dt.date(2026, 3, 5)),  # full-width
        (" 2026-03-05 ", dt.date(2026, 3, 5)),
    ],
)
def test_parse_date(raw: object, expected: dt.date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "2026-13-01",  # no 13th month
        "2026-02-30",
        "2026-02-29",  # 2026 is not a leap year
        "19990305",  # the compact form is only read for 20xx
        "2026-3",
        "3月5日",  # no year
        "abc",
        "",
        36525,  # 1999-12-31: outside the serial range read as dates
        73051,
        12,
        -5,
        float("nan"),
        True,
        dt.time(8, 30),
    ],
)
def test_parse_date_refuses(raw: object) -> None:
    assert parse_date(raw) is None


def test_serial_range_edges_match_excel() -> None:
    assert serial(dt.date(2000, 1, 1)) == 36526
    assert serial(dt.date(2099, 12, 31)) == 73050
    assert serial(dt.date(2026, 3, 5)) == 46086


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_written_form_of_a_date_parses_back(day: dt.date) -> None:
    y, m, d = day.year, day.month, day.day
    forms: list[object] = [
        day,
        dt.datetime(y, m, d, 14, 5),
        serial(day),
        float(serial(day)),
        f"{y}-{m}-{d}",
        f"{y}-{m:02d}-{d:02d}",
        f"{y}/{m}/{d}",
        f"{y}/{m:02d}/{d:02d}",
        f"{y}.{m}.{d}",
        f"{y}年{m}月{d}日",
        f"{y}年{m:02d}月{d:02d}日",
        f"{y}{m:02d}{d:02d}",
        f"{y}-{m:02d}-{d:02d} 00:00:00",
    ]
    for form in forms:
        assert parse_date(form) == day, form


def test_date_cell_reason() -> None:
    f = Field("检查日期", "date")
    assert parse_cell(f, "2026-03-05", CONFIG) == CellValue(dt.date(2026, 3, 5))
    assert parse_cell(f, "abc", CONFIG) == CellValue(reason="日期，如 2026-03-15")
    assert parse_cell(f, None, CONFIG) == BLANK
    assert parse_cell(f, "   ", CONFIG).blank


# -- percents -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0.35, 0.35),
        ("0.35", 0.35),
        ("35%", 0.35),
        (" 35 % ", 0.35),
        ("35", 0.35),  # above 1: percent points
        (35, 0.35),
        ("１２％", 0.12),  # full-width
        ("0.5%", 0.005),
        ("100%", 1.0),
        (1, 1.0),  # up to 1 is a fraction: 1 is 100%
        (0, 0.0),
        ("150%", 1.5),  # read as written; the range rule refuses it later
    ],
)
def test_parse_percent(raw: object, expected: float) -> None:
    assert parse_percent(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["abc", "%", "35%%", "三成", True, float("nan"), "1.2.3"])
def test_parse_percent_refuses(raw: object) -> None:
    assert parse_percent(raw) is None


@given(st.integers(min_value=0, max_value=100))
def test_percent_forms_agree(k: int) -> None:
    share = k / 100
    assert parse_percent(share) == share
    assert parse_percent(str(share)) == share
    assert parse_percent(f"{k}%") == share
    if k > 1:
        assert parse_percent(k) == share
        assert parse_percent(str(k)) == share
        assert parse_percent(float(k)) == share


# -- yes / no -------------------------------------------------------------------------------------

YES_NO = Field("有批", "yesno")


YES = ["是", "有", "Y", "y", "yes", "YES", "True", "1", "√", "✓", "✔", "对", "已", 1, 1.0, True]


@pytest.mark.parametrize("raw", YES)
def test_yes_words(raw: object) -> None:
    assert parse_cell(YES_NO, raw, CONFIG) == CellValue(True)


@pytest.mark.parametrize(
    "raw", ["否", "无", "没有", "N", "no", "FALSE", "0", "×", "✗", "x", "X", "未", 0, 0.0, False]
)
def test_no_words(raw: object) -> None:
    assert parse_cell(YES_NO, raw, CONFIG) == CellValue(False)


@pytest.mark.parametrize("raw", ["是否", "maybe", "2", 2, "好", "有有"])
def test_neither_yes_nor_no(raw: object) -> None:
    assert parse_cell(YES_NO, raw, CONFIG) == CellValue(reason="“是”或“否”")


def test_yes_word_with_spaces_and_full_width() -> None:
    assert parse_cell(YES_NO, " 是 ", CONFIG) == CellValue(True)
    assert parse_cell(YES_NO, "ＹＥＳ", CONFIG) == CellValue(True)


# -- choices --------------------------------------------------------------------------------------

LEVEL = level_field("")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("优秀", "优秀"),
        ("良好", "良好"),
        (" 合 格 ", "合格"),
        ("良", "良好"),
        ("优", "优秀"),
        ("A", "优秀"),
        ("a", "优秀"),  # aliases are case-insensitive
        ("b", "良好"),
        ("及格", "合格"),
        ("中", "合格"),
        ("不合格", "待改进"),
        ("需改进", "待改进"),
        ("Ｄ", "待改进"),  # full-width letter
    ],
)
def test_level_aliases(raw: str, expected: str) -> None:
    assert parse_cell(LEVEL, raw, CONFIG) == CellValue(expected)


def test_unknown_level_names_the_choices() -> None:
    assert parse_cell(LEVEL, "X", CONFIG) == CellValue(reason="以下之一：优秀、良好、合格、待改进")
    assert parse_cell(LEVEL, "E", CONFIG).value is None


@pytest.mark.parametrize(
    ("kind", "name", "raw", "expected"),
    [
        ("observation", "课型", "推门", "推门课"),
        ("observation", "课型", "示范", "示范课"),
        ("observation", "听课层级", "学科组", "教研组"),
        ("observation", "听课层级", "校级", "教导处"),
        ("observation", "整改状态", "已完成", "已整改"),
        ("weakpoints", "原因类别", "习惯性", "习惯"),
        ("weakpoints", "原因类别", "教学方面", "教学"),
        ("weakpoints", "原因类别", "能力原因", "能力"),
        ("weakpoints", "状态", "销号", "已销号"),
        ("weakpoints", "状态", "未开始", "待整改"),
    ],
)
def test_kind_choice_aliases(kind: str, name: str, raw: str, expected: str) -> None:
    field = RECORD_KINDS[kind].field(name)
    assert parse_cell(field, raw, CONFIG) == CellValue(expected)


# -- numbers --------------------------------------------------------------------------------------


def test_int_and_decimal_cells() -> None:
    times = RECORD_KINDS["homework"].field("布置次数")
    minutes = RECORD_KINDS["homework"].field("日均时长")
    score = RECORD_KINDS["homework"].field("得分")
    assert parse_cell(times, "12", CONFIG) == CellValue(12)
    assert parse_cell(times, "12次", CONFIG) == CellValue(12)
    assert parse_cell(times, 12.0, CONFIG) == CellValue(12)
    assert parse_cell(times, "１２", CONFIG) == CellValue(12)
    assert parse_cell(times, "12.5", CONFIG) == CellValue(reason="整数")
    assert parse_cell(times, "十二", CONFIG) == CellValue(reason="整数")
    assert parse_cell(times, True, CONFIG) == CellValue(reason="整数")
    assert parse_cell(minutes, "45.5分钟", CONFIG) == CellValue(45.5)
    assert parse_cell(score, "88.5分", CONFIG) == CellValue(88.5)
    assert parse_cell(score, ".5", CONFIG) == CellValue(0.5)
    assert parse_cell(score, "88.5.1", CONFIG) == CellValue(reason="数字")
    assert parse_cell(score, dt.date(2026, 3, 5), CONFIG) == CellValue(reason="数字")
    assert parse_cell(score, float("nan"), CONFIG) == BLANK


def test_text_and_person_cells() -> None:
    text = Field("课题")
    person = Field("听课人", "person")
    assert parse_cell(text, 12.0, CONFIG) == CellValue("12")
    assert parse_cell(text, "  两位数乘法 ", CONFIG) == CellValue("两位数乘法")
    assert parse_cell(text, dt.datetime(2026, 3, 5), CONFIG) == CellValue("2026-03-05")
    assert parse_cell(person, "王  丽", CONFIG) == CellValue("王 丽")


def test_subject_cells() -> None:
    subject = Field("学科", "subject")
    assert parse_cell(subject, "道法", CONFIG) == CellValue("道德与法治")
    assert parse_cell(subject, "数学", CONFIG) == CellValue("数学")
    assert parse_cell(subject, "校本课程", CONFIG) == CellValue("校本课程")  # kept as typed


# -- grades and classes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("三年级", 3),
        ("3", 3),
        (3, 3),
        (3.0, 3),
        ("3年级", 3),
        ("三年", 3),
        ("三", 3),
        ("初一", 7),
        ("初三", 9),
        ("初中三年级", 9),
        ("七年级", 7),
        ("高一", 10),
        ("高二", 11),
        ("十二年级", 12),
        ("１２", 12),
    ],
)
def test_parse_grade(raw: object, expected: int) -> None:
    assert parse_grade(raw) == expected


@pytest.mark.parametrize("raw", ["十三", "13", 13, 0, 3.5, True, "火星", "", "三班"])
def test_parse_grade_refuses(raw: object) -> None:
    assert parse_grade(raw) is None


@given(st.integers(min_value=1, max_value=12))
def test_grade_numbers_and_names_agree(grade: int) -> None:
    names = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九",
             10: "十", 11: "十一", 12: "十二"}  # fmt: skip
    assert parse_grade(grade) == grade
    assert parse_grade(float(grade)) == grade
    assert parse_grade(str(grade)) == grade
    assert parse_grade(f"{names[grade]}年级") == grade
    if grade >= 7:
        stage = "初" if grade <= 9 else "高"
        assert parse_grade(f"{stage}{names[(grade - 7) % 3 + 1]}") == grade


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1班、2班", [ClassId(None, 1), ClassId(None, 2)]),
        ("三(1)班,三(2)班", [ClassId(3, 1), ClassId(3, 2)]),
        ("三（1）班，三（2）班", [ClassId(3, 1), ClassId(3, 2)]),
        ("1 2 3", [ClassId(None, 1), ClassId(None, 2), ClassId(None, 3)]),
        ("3.2；3.3", [ClassId(3, 2), ClassId(3, 3)]),
        ("四(1)班", [ClassId(4, 1)]),
        (2, [ClassId(None, 2)]),
        (2.0, [ClassId(None, 2)]),
        ("1班、 2班 、", [ClassId(None, 1), ClassId(None, 2)]),
    ],
)
def test_parse_classes(raw: object, expected: list[ClassId]) -> None:
    assert parse_classes(raw) == expected


@pytest.mark.parametrize("raw", ["", "1班、火星", "全部", "三年级"])
def test_parse_classes_refuses(raw: object) -> None:
    assert parse_classes(raw) is None


def test_class_cell() -> None:
    klass = Field("班级", "class")
    assert parse_cell(klass, "三(2)班", CONFIG) == CellValue(ClassId(3, 2))
    assert parse_cell(klass, "3.2", CONFIG) == CellValue(ClassId(3, 2))
    assert parse_cell(klass, "三年级2班", CONFIG) == CellValue(ClassId(3, 2))
    assert parse_cell(klass, "2班", CONFIG) == CellValue(ClassId(None, 2))
    assert parse_cell(klass, "三年级", CONFIG) == CellValue(reason="班级，如 三(2)班、2班")


# -- item numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", "1"),
        (3, "3"),
        (3.0, "3"),
        ("第3题", "3"),
        ("题3", "3"),
        ("3题", "3"),
        ("T3", "3"),
        ("q12", "12"),
        ("13(1)", "13(1)"),
        ("13（1）", "13(1)"),
        ("第13(2)题", "13(2)"),
        ("3.2", "3.2"),
        (3.2, "3.2"),  # a sub-item typed into a number cell
        ("5（4分）", "5"),  # a bracketed note is not a sub-item
        ("２０", "20"),
        (200, "200"),
    ],
)
def test_item_label(raw: object, expected: str) -> None:
    assert item_label(raw) == expected


@pytest.mark.parametrize("raw", [0, 201, -3, True, "姓名", "总分", "满分", "", "第题", "1234"])
def test_item_label_refuses(raw: object) -> None:
    assert item_label(raw) is None


@given(st.integers(min_value=1, max_value=200))
def test_item_numbers_in_every_form(n: int) -> None:
    for form in (n, float(n), str(n), f"第{n}题", f"T{n}", f"{n}题"):
        assert item_label(form) == str(n)


def test_nan_cells_are_blank() -> None:
    for f in RECORD_KINDS["homework"].fields:
        assert parse_cell(f, float("nan"), CONFIG) == BLANK
        assert parse_cell(f, None, CONFIG).blank
