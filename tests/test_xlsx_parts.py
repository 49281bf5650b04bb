"""The XML scan that guards calamine from a grid it cannot hold (reading/xlsx_parts.py)."""

from __future__ import annotations

from toolkit.reading.xlsx_parts import MAX_GRID_CELLS, _scan


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
