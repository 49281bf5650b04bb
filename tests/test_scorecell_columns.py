"""A column of score cells read at once (``scorecell.parse_scores``) says, cell for cell, what
``parse_score`` says of each cell on its own: the vectorised parse is the same parse."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.reading.faults import ExcelError, UncomputedFormula
from toolkit.reading.scorecell import STATUSES, ScoreCell, parse_score, parse_scores
from toolkit.reading.vocabulary import (
    ABSENT_WORDS,
    EXCLUDED_WORDS,
    LEVEL_SPELLINGS,
    NOT_TAKING_MARKS,
)

COLUMNS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

_FULL_WIDTH = str.maketrans("0123456789.+-", "０１２３４５６７８９．＋－")


def _score_texts(x: Decimal) -> list[str]:
    text = format(x, "f")
    wide = text.translate(_FULL_WIDTH)
    return [
        text,
        f"{text}分",
        wide,
        f"{wide}分",
        f" {text} ",
        f"{text} 分",
        f"\u200b{text}",
        f"+{text}",
    ]


numbers = st.one_of(
    st.integers(min_value=-5, max_value=200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=0, max_value=150, places=1).map(float),
    st.sampled_from([10**400, -(10**400), 2**63, 10**30, -0.0, 0.0]),
)
text_numbers = st.decimals(min_value=-10, max_value=150, places=2, allow_nan=False).flatmap(
    lambda x: st.sampled_from(_score_texts(x))
)
words = sorted({*ABSENT_WORDS, *EXCLUDED_WORDS, *NOT_TAKING_MARKS, *LEVEL_SPELLINGS})
noted = st.tuples(
    st.sampled_from(sorted(w for w in ABSENT_WORDS if len(w) > 1)),
    st.sampled_from(["，不计排名", "(病假)", "（事假）", "、", ""]),
).map("".join)
placeholder = st.sampled_from(sorted(ABSENT_WORDS - {"Q", "q"})).map(lambda w: f"0（{w}）")
struck = st.tuples(st.integers(0, 100), st.sampled_from(EXCLUDED_WORDS)).map(
    lambda p: f"{p[0]}，{p[1]}"
)
other = st.one_of(
    st.none(),
    st.booleans(),
    st.just(""),
    st.just("   "),
    st.text(max_size=6),
    st.sampled_from(["abc", "3.5.2", "1e2", "nan", "inf", "零", "三分", "--5", "5..", ".", "分"]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
    st.just(dt.timedelta(hours=1)),
    st.sampled_from([ExcelError("#DIV/0!"), ExcelError("#N/A"), UncomputedFormula("=A1+1")]),
    st.sampled_from(["#DIV/0!", "=A1+1"]),  # the same text typed: not a fault
    st.sampled_from([Decimal("87.5"), np.float64(88.0), np.int64(7), np.float32(0.5)]),
)
cells = st.one_of(numbers, text_numbers, st.sampled_from(words), noted, placeholder, struck, other)
# A column repeats its values, as real ones do (every 缺考 parsed once, the rest at once).
columns = st.lists(cells, max_size=12).flatmap(
    lambda pool: st.lists(st.sampled_from(pool), max_size=60) if pool else st.just([])
)


def _same(column: list[object], levels: dict[str, str] = LEVEL_SPELLINGS) -> None:
    parsed = parse_scores(column, levels)
    assert len(parsed) == len(column)
    grid = np.empty((len(column), 2), dtype=object)  # a grid's column, as the item reader hands on
    grid[:, 0] = column if column else grid[:, 0]
    as_array = parse_scores(grid[:, 0], levels)
    for name in ("status", "score", "code", "level"):
        assert np.array_equal(
            getattr(as_array, name), getattr(parsed, name), equal_nan=name == "score"
        )
    for i, value in enumerate(column):
        expected = parse_score(value, levels)
        got = parsed.cell(i)
        assert got == expected, (value, got, expected)
        if expected.score is not None:  # -0.0 stays -0.0, as parse_score keeps it
            assert math.copysign(1, got.score) == math.copysign(1, expected.score)  # type: ignore[arg-type]


@COLUMNS
@given(columns)
def test_column_parse_equals_the_cell_parse(column: list[object]) -> None:
    _same(column)


@COLUMNS
@given(st.lists(cells, max_size=40))
def test_column_of_distinct_cells_equals_the_cell_parse(column: list[object]) -> None:
    _same(column)


def test_a_school_s_own_level_spellings() -> None:
    levels = {**LEVEL_SPELLINGS, "甲": "优秀", "乙": "良好"}
    _same(["甲", "乙", "丙", "优", 5, "甲"], levels)


@pytest.mark.parametrize(
    "column",
    [
        [],
        [87.0] * 5,
        [87, 88, 10**400, 3],  # one int beyond float range among the numbers
        ["缺考"] * 4 + [None, math.nan, ""],
        ["87", "８７", "87分", "８７分", 87.0, 87],
        [True, 1, 1.0, "1", False, 0, 0.0],  # bool is no number, and 1 == True
        [ExcelError("#DIV/0!"), "#DIV/0!"],  # a fault and the same text typed
    ],
)
def test_column_parse_examples(column: list[object]) -> None:
    _same(column)


def test_column_arrays() -> None:
    parsed = parse_scores([87.0, "缺考", "abc", "优", "-"])
    assert [STATUSES[s] for s in parsed.status] == [
        "valid",
        "absent",
        "invalid",
        "level",
        "not_taking",
    ]
    assert parsed.score[0] == 87.0 and np.isnan(parsed.score[1:]).all()
    assert list(parsed.code) == ["", "", "score.invalid", "", ""]
    assert list(parsed.level) == ["", "", "", "优秀", ""]
    assert parsed.cell(3) == ScoreCell("level", level="优秀")


def test_a_long_column_read_a_stretch_at_a_time_equals_the_cell_parse() -> None:
    # Stretches of all floats are taken at once; a stretch with one 缺考, a numpy float, a
    # bool or a NaN among the floats is looked at cell by cell: the same either way.
    column: list[object] = [float(k % 7) / 2 for k in range(3000)]
    column[5] = "缺考"
    column[1500] = np.float32(0.1)  # its value as a float64, as parse_score takes it
    column[2100] = True
    column[2500] = math.nan
    column[2999] = np.float64(2.5)
    _same(column)
    assert parse_scores(column).cell(1500) == ScoreCell("valid", float(np.float32(0.1)))
