"""The XML scan that guards calamine from a grid it cannot hold (reading/xlsx_parts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.base.text import column_letter
from toolkit.reading import xlsx_parts
from toolkit.reading.xlsx_parts import (
    MAX_COLUMNS,
    MAX_GRID_CELLS,
    SheetXml,
    _beyond,
    grid_extent,
)


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
    assert grid_extent(xml) == (1_048_576, 16_384)


def test_a_prefixed_far_cell_is_found_too() -> None:
    cells = f'<x:row r="1">{_cell("A1", "x")}</x:row><x:row r="300000">{_cell("ZZ300000", "x")}'
    assert grid_extent(_sheet(cells + "</x:row>", "x")) == (300_000, 702)


def test_far_references_within_the_limit_pass() -> None:
    # Column AAA (703) on row 5, and row 100,000 in column B: both far, neither too large.
    for ref, extent in (("AAA5", 5 * 703), ("B100000", 100_000 * 2)):
        assert extent <= MAX_GRID_CELLS
        number = "".join(ch for ch in ref if ch.isdigit())
        xml = _sheet(f'<row r="1">{_cell("A1")}</row><row r="{number}">{_cell(ref)}</row>')
        assert grid_extent(xml) is None


def test_a_far_cell_without_a_value_does_not_count() -> None:
    # Formatting reaching XFD1048576 with no value there: the grid ends at the last value.
    xml = _sheet(f'<row r="1">{_cell("A1")}</row><row r="1048576"><c r="XFD1048576" s="1"/></row>')
    assert grid_extent(xml) is None


def test_columns_beyond_matches_exactly_the_columns_after_the_allowed() -> None:
    # Against the column numbers themselves: every column up to 800 and the last ones, for
    # limits of each letter length and at the Z edges.
    columns = [*range(1, 801), 16_383, 16_384]
    for allowed in (1, 25, 26, 27, 52, 166, 200, 702, 703, 728, 16_383):
        pattern = _beyond(allowed, 1_000_000)
        beyond = [c for c in columns if pattern.search(f'r="{column_letter(c - 1)}7"'.encode())]
        assert beyond == [c for c in columns if c > allowed], allowed


def test_the_bound_at_the_limit_on_a_long_sheet() -> None:
    # 100,000 rows: 200 columns fill exactly MAX_GRID_CELLS, one more is over it.
    rows = 100_000
    assert rows * 200 == MAX_GRID_CELLS
    body = "".join(f'<row r="{r}">{_cell(f"A{r}")}</row>' for r in range(1, rows))
    for column, too_large in ((200, None), (201, (rows, 201))):
        last = _cell(f"{column_letter(column - 1)}{rows}")
        assert grid_extent(_sheet(f'{body}<row r="{rows}">{last}</row>')) == too_large


@pytest.mark.parametrize("possessive", ["+", ""], ids=["python3.11", "python3.10"])
def test_beyond_matches_exactly_the_rows_after_the_last(
    possessive: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_parts, "_POSSESSIVE", possessive)
    numbers = [*range(1, 1_200), 9_999, 10_000, 10_001, 99_999, 100_000, 120_004, 120_005]
    numbers += [120_006, 120_010, 121_000, 199_999, 1_000_000, 1_048_576]
    for last in (1, 9, 10, 99, 100, 101, 999, 1_000, 1_099, 120_005, 999_999):
        pattern = _beyond(MAX_COLUMNS, last)
        for zeros in ("", "00"):  # a row number may be written with leading zeros
            beyond = [n for n in numbers if pattern.search(f'r="AB{zeros}{n}"'.encode())]
            assert beyond == [n for n in numbers if n > last], (last, zeros)


def test_a_far_cell_in_a_near_row_is_found() -> None:
    # The cell says XFD1048576 inside row 5: calamine places it by its own reference.
    xml = _sheet(f'<row r="1">{_cell("A1")}</row><row r="5">{_cell("XFD1048576")}</row>')
    assert grid_extent(xml) == (1_048_576, 16_384)


def test_a_far_row_before_a_near_last_row_is_found() -> None:
    # The bound takes the last row tag's number; rows out of order put the far one earlier,
    # and every reference is still held to that bound.
    cells = f'<row r="1048576">{_cell("XFD1048576")}</row><row r="2">{_cell("A2")}</row>'
    assert grid_extent(_sheet(cells)) == (1_048_576, 16_384)
    near = f'<row r="90000">{_cell("ZZ90000")}</row><row r="3">{_cell("A3")}</row>'
    assert grid_extent(_sheet(near)) == (90_000, 702)


def test_a_sheet_over_the_limit_without_a_far_looking_reference() -> None:
    # ZZ (702 columns) by 99,999 rows: 70 million cells, though no reference has three letters
    # or six digits.
    xml = _sheet(f'<row r="1">{_cell("A1")}</row><row r="99999">{_cell("ZZ99999")}</row>')
    assert grid_extent(xml) == (99_999, 702)


def _package(path: Path, sheet_xml: bytes, compression: int) -> None:
    import zipfile

    workbook = (
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
        b"</Relationships>"
    )
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)


def test_a_sheets_xml_is_read_as_zipfile_reads_it(tmp_path: Path) -> None:
    import zipfile

    xml = _sheet("".join(f'<row r="{r}">{_cell(f"A{r}")}</row>' for r in range(1, 3000)))
    for compression in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        path = tmp_path / f"{compression}.xlsx"
        _package(path, xml, compression)
        with SheetXml(path) as parts:
            assert parts.read("S") == xml
            assert parts.read("其他") is None


def test_a_damaged_sheet_part_reads_as_nothing(tmp_path: Path) -> None:
    # One byte of the deflated data changed: the CRC (or the inflate) says so, and the sheet's
    # XML is not handed out (calamine reports the damage).
    import zipfile

    path = tmp_path / "ok.xlsx"
    xml = _sheet("".join(f'<row r="{r}">{_cell(f"B{r}")}</row>' for r in range(1, 500)))
    _package(path, xml, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x55
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    with SheetXml(damaged) as parts:
        assert parts.read("S") is None


def test_a_sheet_inflated_ahead_is_the_sheet_and_is_handed_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    monkeypatch.setattr(xlsx_parts, "_AHEAD_MIN_BYTES", 0)  # this small sheet too
    xml = _sheet("".join(f'<row r="{r}">{_cell(f"A{r}")}</row>' for r in range(1, 3000)))
    path = tmp_path / "export.xlsx"
    _package(path, xml, zipfile.ZIP_DEFLATED)
    taken: list[bytes | None] = []
    real = xlsx_parts._taken
    monkeypatch.setattr(xlsx_parts, "_taken", lambda *a: taken.append(real(*a)) or taken[-1])
    # Folders, other formats and missing files are passed over for the first workbook.
    xlsx_parts.inflate_ahead([tmp_path, tmp_path / "a.csv", tmp_path / "gone.xlsx", path])
    with SheetXml(path) as parts:
        assert parts.read("S") == xml
        assert parts.read("S") == xml  # again: read from the package this time
    assert taken == [xml, None] and not xlsx_parts._ahead


def test_a_file_changed_after_it_was_inflated_ahead_is_read_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import zipfile

    monkeypatch.setattr(xlsx_parts, "_AHEAD_MIN_BYTES", 0)
    path = tmp_path / "export.xlsx"
    old, new = _sheet(_cell("A1")), _sheet(_cell("A1") + _cell("B1"))
    _package(path, old, zipfile.ZIP_DEFLATED)
    xlsx_parts.inflate_ahead([path])
    _package(path, new, zipfile.ZIP_DEFLATED)
    os.utime(path, ns=(1, 1))  # another modification time, whatever the clock's resolution
    with SheetXml(path) as parts:
        assert parts.read("S") == new
    xlsx_parts._ahead.clear()  # the old file's inflated XML, never to be asked for
