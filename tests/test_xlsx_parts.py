"""The XML scan that guards calamine from a grid it cannot hold (reading/xlsx_parts.py)."""

from __future__ import annotations

from toolkit.base.text import column_letter
from toolkit.reading.xlsx_parts import MAX_GRID_CELLS, _columns_beyond, _scan


def _sheet(cells: str, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    return (
        f'<{p}worksheet xmlns{":" + prefix if prefix else ""}="x"><{p}sheetData>{cells}'
        f"</{p}sheetData></{p}worksheet>"
    ).encode()


def _cell(ref: str, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    return f'<{p}c r="{ref}"><{p}v>1</{p}v></{p}c>'


def test_a_value_in_the_last_cell_of_the_sheet_is_too_large() -> None:
    xml = _sheet(f'<row r="1">{_cell("A1")}</row><row r="1048576">{_cell("XFD1048576")}</row>')
    assert _scan(xml).too_large == (1_048_576, 16_384)


def test_a_prefixed_far_cell_is_found_too() -> None:
    cells = f'<x:row r="1">{_cell("A1", "x")}</x:row><x:row r="300000">{_cell("ZZ300000", "x")}'
    assert _scan(_sheet(cells + "</x:row>", "x")).too_large == (300_000, 702)


def test_far_references_within_the_limit_pass() -> None:
    # Column AAA (703) on row 5, and row 100,000 in column B: both far, neither too large.
    for ref, extent in (("AAA5", 5 * 703), ("B100000", 100_000 * 2)):
        assert extent <= MAX_GRID_CELLS
        number = "".join(ch for ch in ref if ch.isdigit())
        xml = _sheet(f'<row r="1">{_cell("A1")}</row><row r="{number}">{_cell(ref)}</row>')
        assert _scan(xml).too_large is None


def test_a_far_cell_without_a_value_does_not_count() -> None:
    # Formatting reaching XFD1048576 with no value there: the grid ends at the last value.
    xml = _sheet(f'<row r="1">{_cell("A1")}</row><row r="1048576"><c r="XFD1048576" s="1"/></row>')
    assert _scan(xml).too_large is None


def test_columns_beyond_matches_exactly_the_columns_after_the_allowed() -> None:
    # Against the column numbers themselves: every column up to 800 and the last ones, for
    # limits of each letter length and at the Z edges.
    columns = [*range(1, 801), 16_383, 16_384]
    for allowed in (1, 25, 26, 27, 52, 166, 200, 702, 703, 728, 16_383):
        pattern = _columns_beyond(allowed)
        beyond = [c for c in columns if pattern.search(f'r="{column_letter(c - 1)}7"'.encode())]
        assert beyond == [c for c in columns if c > allowed], allowed


def test_the_bound_at_the_limit_on_a_long_sheet() -> None:
    # 100,000 rows: 200 columns fill exactly MAX_GRID_CELLS, one more is over it.
    rows = 100_000
    assert rows * 200 == MAX_GRID_CELLS
    body = "".join(f'<row r="{r}">{_cell(f"A{r}")}</row>' for r in range(1, rows))
    for column, too_large in ((200, None), (201, (rows, 201))):
        last = _cell(f"{column_letter(column - 1)}{rows}")
        assert _scan(_sheet(f'{body}<row r="{rows}">{last}</row>')).too_large == too_large
