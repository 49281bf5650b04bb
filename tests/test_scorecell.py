"""One score cell → a number, an absence, or the reason it is neither (reading/scorecell.py)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.reading.scorecell import ScoreCell, parse_score


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (87, 87.0),
        (87.0, 87.0),
        (0, 0.0),
        (88.5, 88.5),
        ("87", 87.0),  # a number stored as text
        ("88.5", 88.5),  # halves
        ("９５", 95.0),  # full-width digits
        ("９５．５", 95.5),  # full-width digits and point
        ("95分", 95.0),
        ("９５分", 95.0),
        (" 95 ", 95.0),
        ("9 5", 95.0),  # a stray space inside the number
        ("\u200b92", 92.0),  # zero-width space pasted from a chat app
    ],
)
def test_scores(value: object, expected: float) -> None:
    cell = parse_score(value)
    assert cell == ScoreCell("valid", expected)
    assert cell.code == ""


@pytest.mark.parametrize(
    "value",
    ["缺考", " 缺考 ", "缺", "缺 考", "免考", "请假", "病假", "", "   ", None, math.nan],
)
def test_absent(value: object) -> None:
    cell = parse_score(value)
    assert cell.status == "absent"
    assert cell.score is None  # absent is never 0
    assert cell.code == ""


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("优秀", "优秀"), ("优", "优秀"), ("A", "优秀"), ("ａ", "优秀"), ("Ａ", "优秀"),
        ("★★★", "优秀"),
        ("良好", "良好"), ("良", "良好"), ("B", "良好"), (" ★★ ", "良好"),
        ("合格", "合格"), ("及格", "合格"), ("C", "合格"), ("★", "合格"),
        ("待合格", "待合格"), ("待提高", "待合格"), ("不合格", "待合格"), ("D", "待合格"),
    ],
)  # fmt: skip
def test_levels_in_the_spellings_teachers_use(value: str, level: str) -> None:
    cell = parse_score(value)
    assert (cell.status, cell.level, cell.score) == ("level", level, None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("良好了", "score.invalid"),
        ("AB", "score.invalid"),
        ("95分分", "score.invalid"),
        ("9O", "score.invalid"),  # letter O, not zero
        (True, "score.invalid"),  # a checkbox is not 1 point
        (False, "score.invalid"),
        (dt.datetime(2026, 6, 28, 0, 0), "score.date"),  # Excel turned 6.28 into a date
        (dt.date(2026, 6, 28), "score.date"),
        (dt.time(9, 30), "score.date"),
        (dt.timedelta(hours=1), "score.date"),
    ],
)
def test_invalid(value: object, code: str) -> None:
    cell = parse_score(value)
    assert cell.status == "invalid"
    assert cell.score is None
    assert cell.code == code


def test_negative_number_is_read_as_a_number() -> None:
    # Range (0 ≤ score ≤ 满分) is the schema's rule, not the cell parser's.
    assert parse_score("-3") == ScoreCell("valid", -3.0)
    assert parse_score(105) == ScoreCell("valid", 105.0)


# --------------------------------------------------------------------------------------------
# Properties


@given(st.decimals(min_value=0, max_value=200, places=1, allow_nan=False, allow_infinity=False))
def test_one_decimal_text_round_trips(value: Decimal) -> None:
    x = float(value)
    cell = parse_score(str(x))
    assert cell.status == "valid"
    assert cell.score == x


@given(st.integers(min_value=0, max_value=200))
def test_integer_text_and_full_width_round_trip(value: int) -> None:
    full_width = "".join(chr(ord(ch) - ord("0") + ord("０")) for ch in str(value))
    assert parse_score(str(value)).score == value
    assert parse_score(full_width).score == value
    assert parse_score(f"{value}分").score == value


@given(st.text())
def test_never_raises_on_text(text: str) -> None:
    cell = parse_score(text)
    assert cell.status in ("valid", "absent", "invalid", "not_taking", "level")
    assert (cell.score is not None) == (cell.status == "valid")
    assert (cell.level != "") == (cell.status == "level")
    # A code says why a cell is invalid, or that an absence is a struck-out score (作弊, 剔除).
    assert (cell.code != "") == (cell.status == "invalid" or cell.code == "score.excluded")
    assert cell.code != "score.excluded" or cell.status == "absent"


@given(st.one_of(st.integers(), st.floats(), st.booleans(), st.none(), st.datetimes()))
def test_never_raises_on_cell_values(value: object) -> None:
    cell = parse_score(value)
    assert cell.status in ("valid", "absent", "invalid", "not_taking")


@pytest.mark.parametrize(
    "text",
    [
        "缺考，不计排名",
        "缺考(病假)",
        "缺考（病假）",
        "缺考:请假",
        "0（缺考）",
        "0(缺考)",
        "未扫",
        "Q",
    ],
)
def test_absences_with_notes_are_absences(text: str) -> None:
    """How offices type an absence and platforms export one (issue 17, item 5): absent, never a
    score and never an error."""
    assert parse_score(text) == ScoreCell("absent")


@pytest.mark.parametrize("text", ["缺考95", "100(缺考)", "缺考了吧"])
def test_a_score_with_an_absence_word_is_not_guessed(text: str) -> None:
    assert parse_score(text).status == "invalid"


@pytest.mark.parametrize("text", ["作弊", "违纪", "36，剔除", "36(剔除)", "剔除", "取消成绩"])
def test_struck_out_scores_are_excluded(text: str) -> None:
    """An office's struck-out score (issue 17, item 5) is out of 实考 like an absence, marked so
    that the reader notes it; never a score (36 is not counted) and never an error."""
    assert parse_score(text) == ScoreCell("absent", code="score.excluded")


@pytest.mark.parametrize("text", ["36剔除了吗", "作弊95", "剔除36"])
def test_a_score_beside_a_strike_word_is_not_guessed(text: str) -> None:
    assert parse_score(text).status == "invalid"
