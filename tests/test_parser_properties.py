"""Property tests for the parsers teachers' cells go through: class names, score cells, dates and
header matching. Two promises are checked for each:

* no exception escapes, whatever the cell holds (text with full-width, zero-width, CJK and
  control characters, huge numbers, NaN and infinities, dates, times, booleans, None);
* round-trips hold: every way a teacher writes the same class, score or date reads as the same
  value, and a header is found whatever the order of its columns and however they are dressed.

The tests in ``test_text_and_classnames.py``, ``test_scorecell.py``, ``test_record_cells.py`` and
``test_header.py`` hold the examples; this file adds the broader properties, and keeps each
crash ``scripts/fuzz_readers.py`` found as a test.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from toolkit.base.classnames import (
    ClassId,
    class_name,
    find_class,
    find_grade,
    parse_class_cell,
    parse_grade,
)
from toolkit.base.problems import ProblemReport
from toolkit.check import check_inputs
from toolkit.config.model import SchoolConfig
from toolkit.kinds.registry import RECORD_KINDS
from toolkit.reading.header import FieldMatcher, HeaderMatch, header_key, locate_header
from toolkit.reading.scorecell import ScoreCell, parse_score
from toolkit.records.cells import CellValue, parse_cell, parse_date
from toolkit.records.fields import Field, RecordKind
from toolkit.records.read import find_header
from toolkit.scores.schema import FIELDS as SCORE_FIELDS

CONFIG = SchoolConfig()
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _examples(n: int) -> settings:
    """Sized so that the whole file runs in well under 20 s."""
    return settings(
        max_examples=n, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )


FAST, HEADERS, QUICK = _examples(150), _examples(100), _examples(60)

# --------------------------------------------------------------------------------------------
# Strategies: what a cell can hold


def _int_trap(ch: str) -> bool:
    """Characters str.isdigit() accepts but int() refuses, even after NFKC (``⓵``, ``❶``, ``፩``).

    They make ``parse_grade`` raise (see ``test_parse_grade_survives_non_decimal_digits``), so
    the general strategies leave them out and that bug is tested on its own.
    """
    return any(c.isdigit() and not c.isdecimal() for c in unicodedata.normalize("NFKC", ch))


# Characters teachers' cells really contain, weighted in so the parsers meet them often.
TRICKY = (
    "０１２３４５６７８９（）［］．－／：　"  # full-width digits, brackets, point, space
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\xa0"  # zero-width, BOM, soft hyphen, no-break space
    "\t\n\r\x00\x01\x1f\x7f\x85\u2028"  # control characters and line separators
    "一二两三四五六七八九十百初高中年级班()[]【】.-·_/、，,；;%分日月号"
    "缺考免请假优良合格是否√×①⑴⒈¹₁𝟏\u0301\u202e"  # circled, super/subscript, combining, RTL
)
characters = st.one_of(
    st.sampled_from(TRICKY),
    st.characters(exclude_categories=("Cs",)).filter(lambda c: not _int_trap(c)),
)
hostile_text = st.text(characters, max_size=24)
cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**300), max_value=10**300),  # huge, but still a float
    st.integers(min_value=-5, max_value=100_000),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.decimals(allow_nan=True, allow_infinity=True),
)


def _full_width(text: str) -> str:
    """ASCII letters, digits and punctuation → their full-width forms (as a Chinese IME types)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# Outer whitespace that a copied cell drags along, and the invisible characters chat apps add.
OUTER = ("", " ", "  ", "\u3000", "\xa0", "\t", "\n", " \u200b")
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")


@st.composite
def dressings(draw: st.DrawFn) -> Callable[[str], str]:
    """A way of dressing text: full width or not, invisible characters inside, outer spaces."""
    full_width = draw(st.booleans())
    invisible = draw(st.sampled_from(INVISIBLE))
    every = draw(st.integers(min_value=0, max_value=3))  # 0: none; k: after every k-th char
    left, right = draw(st.sampled_from(OUTER)), draw(st.sampled_from(OUTER))

    def dress(text: str) -> str:
        if full_width:
            text = _full_width(text)
        if every:
            text = "".join(
                c + (invisible if i % every == every - 1 else "") for i, c in enumerate(text)
            )
        return f"{left}{text}{right}"

    return dress


# --------------------------------------------------------------------------------------------
# Class names


CN = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十",
      11: "十一", 12: "十二"}  # fmt: skip
grades = st.integers(min_value=1, max_value=12)
class_numbers = st.integers(min_value=1, max_value=30)


def class_forms(grade: int, number: int) -> list[str]:
    """Every way of writing class ``number`` of ``grade`` that a class cell should read."""
    g, c = grade, number
    forms = [
        class_name(g, c),
        f"{g}({c})班",
        f"{g}（{c}）班",
        f"{g}({c})",
        f"{g}年级{c}班",
        f"{g}年级({c})班",
        f"{g}年级（{c}）班",
        f"{g}年{c}班",
        f"{g}-{c}",
        f"{g}.{c}",
        f"{g}/{c}",
        f"{g}_{c}",
        f"{g}·{c}",
        f"{g}-{c}班",
        f"{g}.{c}班",
        f"{g}年级 {c}班",
        f"{g} ( {c} ) 班",
    ]
    if g <= 9:
        short = CN[g]
        forms += [
            f"{short}({c})班",
            f"{short}（{c}）班",
            f"{short}年级{c}班",
            f"{short}年级（{c}）班",
            f"{short}{c}班",
            f"{short}-{c}",
            f"{short}.{c}",
        ]
        if c <= 12:
            forms += [f"{short}年级{CN[c]}班", f"{short}({CN[c]})班"]
    if g >= 7:
        stage, within = ("初" if g <= 9 else "高"), CN[(g - 7) % 3 + 1]
        forms += [
            f"{stage}{within}({c})班",
            f"{stage}{within}（{c}）班",
            f"{stage}{within}{c}班",
            f"{stage}中{within}年级{c}班",
            f"{stage}{within}.{c}",
        ]
    if g >= 10:
        forms += [f"{CN[g]}年级{c}班", f"{CN[g]}年级({c})班"]
    return forms


def _check_class(result: ClassId | None) -> None:
    if result is None:
        return
    assert isinstance(result, ClassId)
    assert result.grade is None or 1 <= result.grade <= 12
    assert result.number is None or 1 <= result.number <= 99
    assert result.grade is not None or result.number is not None


@FAST
@given(cell_values)
@example("０班")  # class number 0: no class, not ClassId(None, None)
def test_class_parsers_never_raise_and_stay_in_range(value: object) -> None:
    _check_class(parse_class_cell(value))
    _check_class(find_class(value))
    grade = find_grade(value)
    assert grade is None or 1 <= grade <= 12


@FAST
@given(grades, st.integers(min_value=1, max_value=99))
def test_canonical_class_label_round_trips(grade: int, number: int) -> None:
    label = class_name(grade, number)
    parsed = parse_class_cell(label)
    assert parsed == ClassId(grade, number)
    assert find_class(label) == parsed
    assert find_class(f"2025-2026学年第二学期期末{label}成绩") == parsed
    assert parsed is not None and parsed.grade is not None and parsed.number is not None
    assert class_name(parsed.grade, parsed.number) == label


@QUICK
@given(grades, class_numbers, dressings())
def test_every_written_variant_of_a_class_parses_to_it(
    grade: int, number: int, dress: Callable[[str], str]
) -> None:
    expected = ClassId(grade, number)
    for form in class_forms(grade, number):
        for text in (form, dress(form)):
            assert parse_class_cell(text) == expected, text
            assert find_class(text) == expected, text


@FAST
@given(grades, class_numbers)
def test_compact_class_numbers_in_a_class_column(grade: int, number: int) -> None:
    # 302 / 1001, as text, as an int and as the float calamine hands back
    compact = f"{grade}{number:02d}"
    for value in (compact, _full_width(compact), int(compact), float(compact), f"{compact}班"):
        assert parse_class_cell(value) == ClassId(grade, number), value


@FAST
@given(class_numbers, dressings())
def test_bare_class_number_has_no_grade(number: int, dress: Callable[[str], str]) -> None:
    for form in (f"{number}班", f"({number})班", f"（{number}）班"):
        assert parse_class_cell(dress(form)) == ClassId(None, number), form


# Found while writing this file and fixed in toolkit/classnames.py since: a grade beyond 十二
# was truncated to its last digit (十三(2)班 read as 三(2)班, 二十(1)班 as 高一(1)班).
@pytest.mark.parametrize(
    "text",
    ["十三(2)班", "十三年级2班", "十三2班", "十五(1)班", "十九(3)班", "二十(1)班", "三十年级1班"],
)
def test_grade_beyond_twelve_is_rejected_not_truncated(text: str) -> None:
    for found in (parse_class_cell(text), find_class(text)):
        assert found is None or found.grade is None, found
    assert parse_class_cell(text) is None  # a class cell saying 十三(2)班 is no class at all


@FAST
@given(st.integers(min_value=13, max_value=99), class_numbers, st.booleans())
def test_no_grade_beyond_twelve_in_any_spelling(grade: int, number: int, chinese: bool) -> None:
    tens, units = divmod(grade, 10)
    spelled = (
        f"{CN[tens] if tens > 1 else ''}十{CN[units] if units else ''}" if chinese else str(grade)
    )
    for text in (f"{spelled}({number})班", f"{spelled}年级{number}班", f"{spelled}年级"):
        found = parse_class_cell(text)
        assert found is None or found.grade is None, (text, found)
        assert find_grade(text) is None, text


@pytest.mark.parametrize("text", ["初四(2)班", "初四2班", "高四(1)班", "初中四年级2班"])
def test_stage_four_is_not_primary_grade_four(text: str) -> None:
    for found in (parse_class_cell(text), find_class(text)):
        assert found is None or found.grade != 4, found


@pytest.mark.parametrize("text", ["三年级\n2班", "三年级\r\n(2)班", "三年级\t2班", "3\n(2)班"])
def test_line_break_inside_a_class_cell(text: str) -> None:
    assert parse_class_cell(text) == ClassId(3, 2)


# --------------------------------------------------------------------------------------------
# Score cells


def _check_score(cell: ScoreCell) -> None:
    assert cell.status in ("valid", "absent", "invalid", "not_taking", "level")
    assert (cell.score is not None) == (cell.status == "valid")
    assert (cell.level != "") == (cell.status == "level")
    assert (cell.code != "") == (cell.status == "invalid")
    if cell.score is not None:
        assert isinstance(cell.score, float)
        assert not math.isnan(cell.score)


@FAST
@given(cell_values)
def test_parse_score_never_raises_on_any_cell(value: object) -> None:
    _check_score(parse_score(value))


scores = st.decimals(min_value=0, max_value=150, places=2, allow_nan=False, allow_infinity=False)


@FAST
@given(scores, dressings())
def test_every_written_form_of_a_score_parses_to_it(
    value: Decimal, dress: Callable[[str], str]
) -> None:
    x = float(value)
    text = format(value, "f")  # 87, 87.5, 87.25 (never 8.7E+1)
    forms: list[object] = [x, text, f"{text}分", f"+{text}", f"0{text}", _full_width(text)]
    forms += [_full_width(text) + "分", dress(text), dress(f"{text}分"), f" {text} 分 "]
    if value == value.to_integral_value():
        forms += [int(value), f"{int(value)}.", f"{int(value)}.0", f"{int(value)}.00"]
    for form in forms:
        assert parse_score(form) == ScoreCell("valid", x), form


@FAST
@given(
    st.sampled_from(sorted(["缺考", "缺", "缺席", "免考", "免", "请假", "病假", "事假", "休学"])),
    dressings(),
)
def test_absent_words_stay_absent_however_dressed(word: str, dress: Callable[[str], str]) -> None:
    cell = parse_score(dress(word))
    assert cell.status == "absent"
    assert cell.score is None


@pytest.mark.parametrize("value", [10**400, -(10**400)], ids=["1e400", "-1e400"])
def test_parse_score_survives_an_int_beyond_float_range(value: int) -> None:
    _check_score(parse_score(value))


# --------------------------------------------------------------------------------------------
# Dates


DATE_FIELDS = [f for kind in RECORD_KINDS.values() for f in kind.fields if f.type == "date"]
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@FAST
@given(cell_values)
def test_parse_date_never_raises(value: object) -> None:
    day = parse_date(value)
    assert day is None or (isinstance(day, dt.date) and not isinstance(day, dt.datetime))
    cell = parse_cell(DATE_FIELDS[0], value, CONFIG)
    assert isinstance(cell, CellValue)
    assert cell.value is None or isinstance(cell.value, dt.date)


@QUICK
@given(days, st.times(), dressings())
def test_a_date_reads_the_same_however_written(
    day: dt.date, time: dt.time, dress: Callable[[str], str]
) -> None:
    y, m, d = day.year, day.month, day.day
    serial = (day - EXCEL_EPOCH).days
    stamp = dt.datetime.combine(day, time)
    forms: list[object] = [
        day,
        stamp,
        stamp.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))),  # a timezone is ignored
        serial,
        float(serial),
        serial + (time.hour * 3600 + time.minute * 60) / 86400,  # a time of day in the serial
    ]
    texts = [
        day.isoformat(),
        f"{y}-{m}-{d}",
        f"{y}/{m}/{d}",
        f"{y}.{m:02d}.{d:02d}",
        f"{y}年{m}月{d}日",
        f"{y} 年 {m} 月 {d} 日",
        f"{y}年{m:02d}月{d:02d}日",
        f"{y}{m:02d}{d:02d}",
        f"{y}-{m:02d}-{d:02d} {time.hour}:{time.minute:02d}",
        f"{y}/{m}/{d} {time:%H:%M:%S}",
        f"{y}年{m}月{d}日 {time:%H:%M}",
    ]
    forms += texts + [_full_width(t) for t in texts] + [dress(t) for t in texts]
    for form in forms:
        assert parse_date(form) == day, form
        for date_field in DATE_FIELDS:
            assert parse_cell(date_field, form, CONFIG) == CellValue(day), (date_field.name, form)


@FAST
@given(days)
def test_a_parsed_date_round_trips_through_its_serial_and_iso_text(day: dt.date) -> None:
    serial = (day - EXCEL_EPOCH).days
    parsed = parse_date(serial)
    assert parsed == day
    assert parsed is not None and parse_date(parsed.isoformat()) == day
    assert (parsed - EXCEL_EPOCH).days == serial


# --------------------------------------------------------------------------------------------
# Record cells of every type (dates above; grade, class, number, yes/no, choices, subjects)


ALL_FIELDS = list({(f.name, f.type): f for k in RECORD_KINDS.values() for f in k.fields}.values())


@FAST
@given(cell_values)
def test_parse_cell_never_raises_for_any_field(value: object) -> None:
    for record_field in ALL_FIELDS:
        cell = parse_cell(record_field, value, CONFIG)
        assert isinstance(cell, CellValue)
        assert cell.value is None or cell.reason == ""


@pytest.mark.parametrize("text", ["⓵", "❶", "፩", "❸年级"])
def test_parse_grade_survives_non_decimal_digits(text: str) -> None:
    assert parse_grade(text) is None


@pytest.mark.parametrize("value", [10**400, -(10**400)], ids=["1e400", "-1e400"])
def test_number_cells_survive_huge_numbers(value: object) -> None:
    count = RECORD_KINDS["homework"].field("布置次数")
    assert parse_cell(count, value, CONFIG) == CellValue(reason="整数")


# --------------------------------------------------------------------------------------------
# Header matching


SUBJECTS = {
    "语文": ("语文",),
    "数学": ("数学",),
    "英语": ("英语", "英文", "外语"),
    "科学": ("科学",),
    "道德与法治": ("道德与法治", "道法", "品德", "思品"),
    "信息科技": ("信息科技", "信息技术"),
    "历史": ("历史",),
}
SCORE_COLUMNS = {
    "姓名": ("姓名", "学生姓名", "考生姓名"),
    "学号": ("学号", "考号", "学籍号"),
    "班级": ("班级", "班别", "所在班级"),
    "总分": ("总分", "总成绩", "总分数"),
    "名次": ("名次", "排名", "班级名次"),
    "序号": ("序号", "编号", "No."),
    "性别": ("性别",),
    "备注": ("备注",),
}
JUNK = ("家长签字", "联系电话", "家庭住址", "座位号", "身份证号码", "Column1", "", None, 2026, 3.5)
TITLES = (
    ["博山区实验小学2025-2026学年第二学期期末三年级(2)班成绩"],
    ["班主任：王老师", "", "", "填表日期：2026.6.28"],
    [],
    ["", None, ""],
    ["说明：请于6月30日前上交"],
)
NOTES = ("", "（100分）", "(满分120)", "[卷面]", "【必填】", "（单位：分钟）")


@st.composite
def header_labels(draw: st.DrawFn, label: str) -> str:
    """``label`` as it may stand in a header cell: inner spaces and line breaks (Alt+Enter),
    a bracketed note, a ``*`` for required, a trailing colon, full-width forms, outer spaces."""
    if draw(st.booleans()) and len(label) > 1:
        at = draw(st.integers(min_value=1, max_value=len(label) - 1))
        label = (
            label[:at] + draw(st.sampled_from((" ", "\n", "\r\n", "\u3000", " \n "))) + label[at:]
        )
    label = draw(st.sampled_from(("", "*"))) + label + draw(st.sampled_from(NOTES))
    label += draw(st.sampled_from(("", "：", ":")))
    if draw(st.booleans()):
        label = _full_width(label)
    return draw(st.sampled_from(OUTER)) + label + draw(st.sampled_from(OUTER))


@st.composite
def junk_columns(draw: st.DrawFn, is_column: Callable[[object], bool]) -> list[object]:
    texts = hostile_text.filter(lambda t: not is_column(t) and len(header_key(t)) > 0)
    return draw(st.lists(st.one_of(st.sampled_from(JUNK), texts), max_size=4))


@st.composite
def score_headers(draw: st.DrawFn) -> tuple[list[list[object]], dict[str, int], dict[int, str]]:
    """A score sheet's top: titles, then a header in any order with extra columns, then data."""
    others = [name for name in SCORE_COLUMNS if name != "姓名"]
    names = ["姓名", *draw(st.lists(st.sampled_from(others), unique=True))]
    subjects = draw(st.lists(st.sampled_from(sorted(SUBJECTS)), min_size=1, unique=True))
    junk = draw(
        junk_columns(lambda v: SCORE_FIELDS(v) is not None or CONFIG.subject_of(v) is not None)
    )
    cells: list[tuple[object, str | None, str | None]] = []
    for name in names:
        spelling = draw(st.sampled_from(SCORE_COLUMNS[name]))
        cells.append((draw(header_labels(spelling)), name, None))
    for subject in subjects:
        spelling = draw(st.sampled_from(SUBJECTS[subject])) + draw(st.sampled_from(("", "成绩")))
        cells.append((draw(header_labels(spelling)), None, subject))
    cells += [(j, None, None) for j in junk]
    cells = draw(st.permutations(cells))
    titles = draw(st.lists(st.sampled_from(TITLES), max_size=4))
    header = [cell for cell, _, _ in cells]
    data = ["张三" if name == "姓名" else 88 for _, name, _ in cells]
    fields = {name: c for c, (_, name, _) in enumerate(cells) if name}
    groups = {c: subject for c, (_, _, subject) in enumerate(cells) if subject}
    return [list(t) for t in titles] + [header, data], fields, groups


@HEADERS
@given(score_headers())
def test_score_header_is_found_whatever_the_order_and_dress(
    case: tuple[list[list[object]], dict[str, int], dict[int, str]],
) -> None:
    rows, fields, groups = case
    match = locate_header(rows, SCORE_FIELDS, CONFIG.subject_of, anchor="姓名")
    assert match is not None
    assert (match.first_row, match.last_row) == (len(rows) - 2, len(rows) - 2)
    assert match.fields == fields
    assert match.groups == groups
    assert match.duplicates == []


def _spellings(record_field: Field) -> tuple[str, ...]:
    """Every header a field is known by: its name, its synonyms and its template header."""
    words = (record_field.name, *record_field.synonyms, record_field.header)
    return tuple(dict.fromkeys(w for w in words if w))


@st.composite
def record_headers(draw: st.DrawFn) -> tuple[RecordKind, list[list[object]], dict[str, int]]:
    kind = draw(st.sampled_from([RECORD_KINDS[k] for k in sorted(RECORD_KINDS)]))
    # A kind also filled wide (乐考) is in its long form only with its item and value columns.
    needed = [kind.wide.item, kind.wide.value] if kind.wide else []
    others = [f.name for f in kind.fields if f.name not in (kind.anchor, *needed)]
    least = max(kind.min_fields - 1 - len(needed), 0)
    chosen = [*needed, *draw(st.lists(st.sampled_from(others), min_size=least, unique=True))]
    junk = draw(junk_columns(lambda v: kind.matcher(v) is not None))
    cells: list[tuple[object, str | None]] = []
    for name in [kind.anchor, *chosen]:
        spelling = draw(st.sampled_from(_spellings(kind.field(name))))
        cells.append((draw(header_labels(spelling)), name))
    cells += [(j, None) for j in junk]
    cells = draw(st.permutations(cells))
    titles = [list(t) for t in draw(st.lists(st.sampled_from(TITLES), max_size=4))]
    header = [cell for cell, _ in cells]
    fields = {name: c for c, (_, name) in enumerate(cells) if name}
    return kind, [*titles, header, ["示例"] * len(header)], fields


@HEADERS
@given(record_headers())
def test_record_header_is_found_whatever_the_order_and_dress(
    case: tuple[RecordKind, list[list[object]], dict[str, int]],
) -> None:
    kind, rows, fields = case
    match = find_header(kind, rows)
    assert match is not None
    assert match.first_row == len(rows) - 2
    assert match.fields == fields
    assert match.duplicates == []


@pytest.mark.parametrize("kind", sorted(RECORD_KINDS))
def test_no_spelling_of_one_field_names_another(kind: str) -> None:
    """Each header spelling maps to its own field (a synonym clash would move a column)."""
    record_kind = RECORD_KINDS[kind]
    for record_field in record_kind.fields:
        for spelling in _spellings(record_field):
            assert record_kind.matcher(spelling) == record_field.name, spelling


grids = st.lists(st.lists(cell_values, max_size=8), max_size=8)
MATCHERS: list[tuple[FieldMatcher, Callable[[object], str | None], str]] = [
    (SCORE_FIELDS, CONFIG.subject_of, "姓名"),
    *((k.matcher, lambda _: None, k.anchor) for k in RECORD_KINDS.values()),
]


def _check_header(match: HeaderMatch | None, rows: Sequence[Sequence[object]]) -> None:
    if match is None:
        return
    assert 0 <= match.first_row <= match.last_row <= match.first_row + 1
    assert match.last_row < len(rows)
    width = max(len(r) for r in rows[match.first_row : match.last_row + 1])
    assert all(0 <= c < width for c in (*match.fields.values(), *match.groups))
    assert not set(match.fields.values()) & set(match.groups)


@HEADERS
@given(grids, st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=4))
def test_header_matching_never_raises(
    rows: list[list[object]], start: int, min_groups: int
) -> None:
    for matcher, group, anchor in MATCHERS:
        match = locate_header(
            rows, matcher, group, anchor=anchor, min_groups=min_groups, start=start
        )
        _check_header(match, rows)


@FAST
@given(cell_values)
@example("R¸")  # a spacing cedilla: squeezing its space left R + a combining mark
def test_header_key_is_idempotent(value: object) -> None:
    key = header_key(value)
    assert header_key(key) == key or "(" in key or "[" in key or "【" in key


# --------------------------------------------------------------------------------------------
# Whole workbooks: crashes found by scripts/fuzz_readers.py, reduced to a minimal workbook


def _write_xlsx(path: Path, cells: dict[tuple[int, int], object], sheet: str = "Sheet1") -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    worksheet = workbook.add_worksheet(sheet)
    for (r, c), value in cells.items():
        worksheet.write(r, c, value)
    workbook.close()
    return path


def _grid(rows: list[list[object]]) -> dict[tuple[int, int], object]:
    return {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row)}


def _check(folder: Path) -> ProblemReport:
    problems = ProblemReport()
    check_inputs([folder], CONFIG, problems)
    for problem in problems:
        str(problem)
    return problems


def test_check_inputs_survives_odd_digit_in_grade_column(tmp_path: Path) -> None:
    rows = [["姓名", "语文", "年级"], ["张三", 90, "⓵"]]
    _write_xlsx(tmp_path / "成绩.xlsx", _grid(rows), sheet="三(2)班")
    _check(tmp_path)


def test_check_inputs_survives_a_zip_with_a_bad_central_directory(tmp_path: Path) -> None:
    # The 22-byte end-of-central-directory record alone, pointing at a directory that is not
    # there: what a transfer cut short can leave.
    end = b"PK\x05\x06" + (0).to_bytes(4, "little") + (1).to_bytes(2, "little") * 2
    end += (46).to_bytes(4, "little") + (100).to_bytes(4, "little") + b"\x00\x00"
    (tmp_path / "三年级成绩.xlsx").write_bytes(end)
    problems = _check(tmp_path)
    assert [p.code for p in problems.errors] == ["file.unreadable"]


_FAR_CORNER = """
import sys
from toolkit.config.model import SchoolConfig
from toolkit.check import check_inputs
from toolkit.base.problems import ProblemReport
check_inputs([sys.argv[1]], SchoolConfig(), ProblemReport())
"""


def test_check_inputs_survives_a_value_in_the_far_corner(tmp_path: Path) -> None:
    resource = pytest.importorskip("resource")
    folder = tmp_path / "输入"
    folder.mkdir()
    _write_xlsx(
        folder / "三(2)班成绩.xlsx",
        {**_grid([["姓名", "语文"], ["张三", 90]]), (1048575, 16383): "x"},
    )

    def limit_memory() -> None:  # so the allocation fails at once whatever the machine
        resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))

    result = subprocess.run(
        [sys.executable, "-c", _FAR_CORNER, str(folder)],
        capture_output=True,
        timeout=300,
        preexec_fn=limit_memory,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-500:]


def test_check_inputs_survives_a_damaged_deflate_stream(tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "三(2)班成绩.xlsx", _grid([["姓名", "语文"], ["张三", 90]]))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo("xl/worksheets/sheet1.xml").header_offset
    name_length = int.from_bytes(data[offset + 26 : offset + 28], "little")
    extra_length = int.from_bytes(data[offset + 28 : offset + 30], "little")
    start = offset + 30 + name_length + extra_length
    data[start : start + 2] = b"\xff\xff"  # a deflate block of the invalid type 3
    path.write_bytes(bytes(data))
    problems = _check(tmp_path)
    assert "file.unreadable" in [p.code for p in problems.errors]


@pytest.mark.parametrize("version", ["inf", "1e999", "-Infinity"])
def test_check_inputs_survives_an_infinite_template_version(tmp_path: Path, version: str) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(tmp_path / "三(2)班成绩.xlsx"))
    workbook.add_worksheet("Sheet1").write_row(0, 0, ["姓名", "语文"])
    workbook.add_worksheet("_xueqing").write_row(0, 0, ["xueqing-template", "scores", version])
    workbook.close()
    _check(tmp_path)
