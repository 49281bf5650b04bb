"""Text normalisation (toolkit.base.text) and grade/class parsing (toolkit.base.classnames)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.base.classnames import (
    ClassId,
    class_name,
    cn_number,
    find_class,
    find_grade,
    grade_name,
    parse_class_cell,
)
from toolkit.base.text import cell_ref, column_letter, display_width, normalize, squeeze

CN_DIGITS = ["一", "二", "三", "四", "五", "六", "七", "八", "九"]

# --------------------------------------------------------------------------------------------
# toolkit.base.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  张三  ", "张三"),
        ("９５", "95"),  # full-width digits → half-width
        ("（２）", "(2)"),  # full-width brackets → half-width
        ("\ufeff姓名\u200b", "姓名"),  # BOM and zero-width space removed
        (87, "87"),
    ],
)
def test_normalize(value: object, expected: str) -> None:
    assert normalize(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("姓 名", "姓名"), (" 数 学\t(100分) ", "数学(100分)"), ("姓\u3000名", "姓名")],
)
def test_squeeze_removes_every_space(value: str, expected: str) -> None:
    assert squeeze(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("三年级", 3 * 2), ("abc", 3), ("3(2)班", 1 + 1 + 1 + 1 + 2), ("９５", 2 + 2), ("", 0)],
)
def test_display_width_counts_wide_characters_twice(text: str, expected: int) -> None:
    assert display_width(text) == expected


@pytest.mark.parametrize(
    ("index", "expected"),
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ")],
)
def test_column_letter(index: int, expected: str) -> None:
    assert column_letter(index) == expected


def test_column_letter_after_zz() -> None:
    # ZZ is 26 + 26·26 = 702 columns, so index 702 is the 703rd column: AAA.
    assert column_letter(26 + 26 * 26) == "AAA"


@pytest.mark.parametrize(("row", "col", "expected"), [(0, 0, "A1"), (7, 3, "D8"), (2, 26, "AA3")])
def test_cell_ref_is_one_based_row(row: int, col: int, expected: str) -> None:
    assert cell_ref(row, col) == expected


# --------------------------------------------------------------------------------------------
# toolkit.base.classnames: small helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三", 3),
        ("两", 2),
        ("十", 10),
        ("十一", 11),
        ("十二", 12),
        ("7", 7),
        ("12", 12),
        ("甲", None),
        ("三四", None),
    ],
)
def test_cn_number(text: str, expected: int | None) -> None:
    assert cn_number(text) == expected


@pytest.mark.parametrize(
    ("grade", "expected"), [(1, "一年级"), (3, "三年级"), (9, "九年级"), (10, "高一"), (12, "高三")]
)
def test_grade_name(grade: int, expected: str) -> None:
    assert grade_name(grade) == expected


@pytest.mark.parametrize(
    ("grade", "number", "expected"), [(3, 2, "三(2)班"), (7, 12, "七(12)班"), (10, 2, "高一(2)班")]
)
def test_class_name(grade: int, number: int, expected: str) -> None:
    assert class_name(grade, number) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三年级", 3),
        ("7年级", 7),
        ("初二", 6 + 2),
        ("高三", 9 + 3),
        ("2026年6月", None),
        ("", None),
    ],
)
def test_find_grade(text: str, expected: int | None) -> None:
    assert find_grade(text) == expected


# --------------------------------------------------------------------------------------------
# parse_class_cell: one whole cell of a 班级 column


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("三年级2班", (3, 2)),
        ("三(2)班", (3, 2)),
        ("3（2）班", (3, 2)),  # full-width brackets
        ("3(2)班", (3, 2)),
        ("3.2", (3, 2)),
        ("3-2", (3, 2)),
        ("302", (3, 2)),  # compact form in a class column: grade 3, class 02
        (302, (3, 2)),  # a number cell
        (302.0, (3, 2)),  # calamine gives numbers as floats
        (3.2, (3, 2)),  # "3.2" typed into a number cell
        ("1001", (10, 1)),
        ("初一(3)班", (6 + 1, 3)),
        ("高二3班", (9 + 2, 3)),
        ("五年级二班", (5, 2)),
        ("七年级12班", (7, 12)),
        (" 三 年 级 2 班 ", (3, 2)),  # stray spaces
        ("2班", (None, 2)),  # no grade: it must come from elsewhere
        ("(2)班", (None, 2)),
        ("四年级", (4, None)),
    ],
)
def test_parse_class_cell(cell: object, expected: tuple[int | None, int | None]) -> None:
    assert parse_class_cell(cell) == ClassId(*expected)


@pytest.mark.parametrize("cell", ["", None, "   ", True, "张三", "合计", "0班"])
def test_parse_class_cell_not_a_class(cell: object) -> None:
    assert parse_class_cell(cell) is None


def test_class_id_complete() -> None:
    assert ClassId(3, 2).complete
    assert not ClassId(None, 2).complete
    assert not ClassId(3, None).complete


# --------------------------------------------------------------------------------------------
# find_class: titles, sheet names, file names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("博山区实验小学2025-2026学年第二学期期末三年级(2)班成绩", (3, 2)),
        ("三年级（2）班期末成绩", (3, 2)),  # full-width brackets in a file name
        ("四(2)班期末成绩", (4, 2)),
        ("5.3", (5, 3)),  # a sheet named just 5.3
        ("3.2班数学", (3, 2)),
        ("初一(3)班", (7, 3)),
        ("2025-2026学年12班", (None, 12)),  # no grade; 2026 + 12 must not become a class
        ("三年级期末成绩", (3, None)),
    ],
)
def test_find_class(text: str, expected: tuple[int | None, int | None]) -> None:
    assert find_class(text) == ClassId(*expected)


@pytest.mark.parametrize(
    "text",
    [
        "填表日期：2026.6.28",  # a date is not class 6.28
        "2025-2026学年第二学期期末成绩",
        "Sheet1",
        "",
        None,
    ],
)
def test_find_class_finds_nothing(text: object) -> None:
    assert find_class(text) is None


# --------------------------------------------------------------------------------------------
# Properties


@given(st.text())
def test_parse_class_cell_never_raises(text: str) -> None:
    result = parse_class_cell(text)
    assert result is None or isinstance(result, ClassId)


@given(st.text())
def test_find_class_never_raises(text: str) -> None:
    result = find_class(text)
    assert result is None or isinstance(result, ClassId)


@given(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.none()))
def test_parse_class_cell_never_raises_on_numbers(value: object) -> None:
    result = parse_class_cell(value)
    assert result is None or isinstance(result, ClassId)


grades = st.integers(min_value=1, max_value=9)
classes = st.integers(min_value=1, max_value=20)


@given(grades, classes)
def test_chinese_grade_spelling_round_trips(grade: int, cls: int) -> None:
    text = f"{CN_DIGITS[grade - 1]}年级{cls}班"
    assert parse_class_cell(text) == ClassId(grade, cls)
    assert find_class(text) == ClassId(grade, cls)


@given(grades, classes)
def test_bracket_spelling_round_trips(grade: int, cls: int) -> None:
    text = f"{grade}({cls})班"
    assert parse_class_cell(text) == ClassId(grade, cls)
    assert find_class(text) == ClassId(grade, cls)
    full_width = f"{grade}（{cls}）班"
    assert parse_class_cell(full_width) == ClassId(grade, cls)


@given(grades, classes)
def test_dotted_spelling_round_trips(grade: int, cls: int) -> None:
    text = f"{grade}.{cls}"
    assert parse_class_cell(text) == ClassId(grade, cls)
    assert find_class(text) == ClassId(grade, cls)  # e.g. a sheet name


@given(grades, classes)
def test_class_name_parses_back(grade: int, cls: int) -> None:
    assert parse_class_cell(class_name(grade, cls)) == ClassId(grade, cls)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("初中三年级2班", (9, 2)), ("高中二年级3班", (11, 3)), ("初中一年级(4)班", (7, 4))],
)
def test_stage_prefixed_grades(text: str, expected: tuple[int, int]) -> None:
    found = parse_class_cell(text)
    assert found is not None and (found.grade, found.number) == expected
    assert find_class(f"2025-2026学年{text}期末成绩") == found


@pytest.mark.parametrize("text", ["十三(2)班", "九十九班", "二十三年级1班"])
def test_a_longer_number_is_not_read_as_its_last_digit(text: str) -> None:
    # 十三(2)班 used to read as 三(2)班: a grade that does not exist must not become another.
    assert parse_class_cell(text) is None


# A plain text (letters and digits, already NFKC) takes a short way through normalize,
# header_key, clean_name and the summary check; it must arrive where the long way does.
_TRICKY = ["杨静坤", "01401001", "ＡＢ１", "⑴", "½", "İstanbul", "Ⅳ班", "平均分", "总计", "ﬁ", "ǅ"]


@given(st.one_of(st.sampled_from(_TRICKY), st.text(max_size=6)))
def test_plain_text_takes_a_short_way_to_the_same_place(text: str) -> None:
    from toolkit.base.text import _SPACES, _normalized, clean_name
    from toolkit.reading.header import _text_key, header_key
    from toolkit.reading.walker import _summary_of, _summary_text

    assert normalize(text) == _normalized.__wrapped__(text)
    assert clean_name(text) == _SPACES.sub(" ", _normalized.__wrapped__(text))
    assert header_key(text) == _text_key.__wrapped__(text)
    assert _summary_of(text) == _summary_text.__wrapped__(text)


def test_only_letters_and_digits_already_composed_are_plain() -> None:
    from toolkit.base.text import plain

    assert plain("杨静坤") and plain("01401001") and plain("第1小学")
    # ⑴ and ½ are digits to isalnum but compose to brackets and a slash; full-width letters
    # compose to ASCII; a space, a bracket or a zero-width space is not a letter.
    for text in ("⑴", "½", "ＡＢ", "四(1)班", "张 三", "张\u200b三", ""):
        assert not plain(text), text
