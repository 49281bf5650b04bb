"""A large sheet read in parts on several cores (reading/sheet_parts.py) gives the grid, merged
ranges and problems calamine gives for the whole sheet; where it cannot, the sheet is read whole.

Each test compares against python-calamine reading the whole sheet, the way the reader did
before parts existed, so what is compared is computed by a second method."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import python_calamine
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.base.problems import ProblemReport
from toolkit.reading import sheet_parts
from toolkit.reading.discover import InputFile
from toolkit.reading.parallel import WORKERS_ENV
from toolkit.reading.workbook import read_sheets
from toolkit.reading.xlsx_parts import SheetXml


def _whole(path: Path, sheet: str) -> tuple[list[list[Any]], list[Any]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        found = book.get_sheet_by_name(sheet)
        return found.to_python(skip_empty_area=False), list(found.merged_cell_ranges or [])
    finally:
        book.close()


def _split(path: Path, sheet: str, parts: int) -> sheet_parts.PartFiles | None:
    """The sheet cut as the reader cuts it, or None when it has nowhere to cut."""
    with SheetXml(path) as package:
        xml = package.read(sheet)
        part = package.part(sheet)
        assert xml is not None and part is not None
        return sheet_parts.split_sheet(path, sheet, part, package.worksheet_parts(), xml, parts)


def _in_parts(path: Path, sheet: str, parts: int) -> tuple[list[list[Any]], list[Any]] | None:
    split = _split(path, sheet, parts)
    assert split is not None, "the sheet could not be cut"
    return split.read()


def _read_through_reader(
    path: Path, monkeypatch: pytest.MonkeyPatch, cores: int
) -> tuple[dict[str, list[list[Any]]], list[str]]:
    """Every sheet as ``read_sheets`` hands it out, on ``cores`` cores with parts of 1 byte."""
    monkeypatch.setattr(sheet_parts, "PART_MIN_BYTES", 1)
    monkeypatch.setenv(WORKERS_ENV, str(cores))
    report = ProblemReport()
    sheets = {s.name: s.rows for s in read_sheets(InputFile(path, path.name), report)}
    return sheets, sorted(f"{p.code} {p.sheet} {p.cell}" for p in report)


def _school_export(path: Path, *, constant_memory: bool = False, date_1904: bool = False) -> None:
    """A platform's export as teachers receive it: a merged title, a two-row header merged
    down, classes merged down their block, text-stored numbers, 缺考 with a note, dates,
    formulas with their results, an error value, blank rows, a footnote in a far column, and
    a second sheet of its own."""
    book = xlsxwriter.Workbook(
        str(path), {"constant_memory": constant_memory, "date_1904": date_1904}
    )
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("四年级")
    sheet.merge_range(0, 0, 0, 7, "2025-2026学年第二学期 四年级数学 期末小题分")
    for c, head in enumerate(["学校", "班级", "学号", "姓名"]):
        if not constant_memory:
            sheet.merge_range(1, c, 2, c, head)
        else:
            sheet.write(1, c, head)
    sheet.write_row(1, 4, ["一、计算", "", "二、应用", "考试日期"])
    sheet.write_row(2, 4, ["1", "2", "3", ""])
    r = 3
    for block in range(6):
        for k in range(40):
            name = f"学生{block}-{k}"
            marks: list[Any] = [k % 6, f"{k % 5}", 10 - k % 10]
            if k == 7:
                marks = ["缺考（病假）", "", ""]
            sheet.write_row(r, 0, ["实验小学", f"四年级({block + 1})班", f"2026{r:05d}", name])
            sheet.write_row(r, 4, marks)
            sheet.write_datetime(r, 7, dt.datetime(2026, 6, 28), dates)
            if k == 3:
                sheet.write_formula(r, 8, f"=E{r + 1}+F{r + 1}", None, k % 6 + k % 5)
            if k == 4:
                sheet.write_formula(r, 8, "=1/0", None, "#DIV/0!")
            r += 1
        r += 2  # two blank rows between blocks
    sheet.write(r + 3, 11, "制表人：王老师")
    sheet.write(r + 4, 0, True)
    other = book.add_worksheet("说明")
    other.write(0, 0, "本表由阅卷系统导出")
    book.close()


@pytest.mark.parametrize("constant_memory", [False, True], ids=["shared-strings", "inline"])
@pytest.mark.parametrize("parts", [2, 3, 5])
def test_parts_give_the_whole_sheet(tmp_path: Path, constant_memory: bool, parts: int) -> None:
    path = tmp_path / "export.xlsx"
    _school_export(path, constant_memory=constant_memory)
    grid, merged = _whole(path, "四年级")
    assert _in_parts(path, "四年级", parts) == (grid, merged)
    assert len(grid) == 3 + 6 * 42 + 5 and len(grid[0]) == 12  # the footnote widens every row


def test_dates_keep_the_1904_system(tmp_path: Path) -> None:
    path = tmp_path / "mac.xlsx"
    _school_export(path, date_1904=True)
    grid, _ = _in_parts(path, "四年级", 2) or ([], [])
    assert grid == _whole(path, "四年级")[0]
    assert grid[3][7] == dt.date(2026, 6, 28) or grid[3][7] == dt.datetime(2026, 6, 28)


def test_a_part_wider_or_further_right_than_the_first_is_padded(tmp_path: Path) -> None:
    # The first rows fill A..C; the last ones start in column E and reach column J.
    path = tmp_path / "ragged.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    for r in range(60):
        sheet.write_row(r, 0, [r, "甲", r / 2])
    for r in range(70, 130):
        sheet.write_row(r, 4, ["乙", r, None, "", f"{r}", r * 3])
    book.close()
    for parts in (2, 3, 4):
        assert _in_parts(path, "S", parts) == _whole(path, "S"), parts


def test_an_empty_part_is_blank_rows(tmp_path: Path) -> None:
    # Rows formatted but empty (a template's blank form) fill the middle: that part has no value.
    path = tmp_path / "form.xlsx"
    book = xlsxwriter.Workbook(str(path))
    border = book.add_format({"border": 1})
    sheet = book.add_worksheet("S")
    sheet.write_row(0, 0, ["姓名", "语文"])
    for r in range(1, 400):
        sheet.write_blank(r, 0, None, border)
        sheet.write_blank(r, 1, None, border)
    sheet.write_row(400, 0, ["张三", 90])
    book.close()
    assert _in_parts(path, "S", 3) == _whole(path, "S")


def _rewrite_sheet(path: Path, target: Path, change: Any) -> None:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            out.writestr(info, data)


def _plain(path: Path, rows: int = 200) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    for r in range(rows):
        sheet.write_row(r, 0, [f"学生{r}", r, r % 7])
    book.close()


def _move_row(xml: bytes, number: int, *, to_start: bool) -> bytes:
    """The sheet's XML with row ``number``'s element moved to the start or the end of its rows."""
    row = re.search(rb'<row r="%d"[^>]*>.*?</row>' % number, xml, re.DOTALL)
    assert row is not None
    xml = xml[: row.start()] + xml[row.end() :]
    at = xml.index(b"<sheetData>") + len(b"<sheetData>") if to_start else xml.index(b"</sheetData>")
    return xml[:at] + row.group(0) + xml[at:]


def test_rows_out_of_order_are_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The first row's element moved to the end: calamine places it by its number; parts would
    # overlap, so the reader reads the whole sheet and hands out the same grid.
    path, moved = tmp_path / "a.xlsx", tmp_path / "moved.xlsx"
    _plain(path)

    _rewrite_sheet(path, moved, lambda xml: _move_row(xml, 1, to_start=False))
    assert _in_parts(moved, "S", 2) is None
    sheets, _ = _read_through_reader(moved, monkeypatch, cores=2)
    assert sheets["S"] == _whole(moved, "S")[0]
    assert sheets["S"][0] == ["学生0", 0, 0]


def test_a_cell_addressed_outside_its_part_is_read_whole(tmp_path: Path) -> None:
    # A cell of a late row element addressed to row 3: the parts' rows overlap.
    path, odd = tmp_path / "a.xlsx", tmp_path / "odd.xlsx"
    _plain(path)
    _rewrite_sheet(path, odd, lambda xml: xml.replace(b'<c r="C190"', b'<c r="D3"', 1))
    assert _in_parts(odd, "S", 2) is None


def test_rows_without_numbers_are_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # r is optional on a row: without it no part can say where its rows stand.
    path, bare = tmp_path / "a.xlsx", tmp_path / "bare.xlsx"
    _plain(path)
    _rewrite_sheet(path, bare, lambda xml: re.sub(rb'<row r="\d+"', b"<row", xml))
    assert _split(bare, "S", 2) is None
    sheets, _ = _read_through_reader(bare, monkeypatch, cores=2)
    assert sheets["S"] == _whole(bare, "S")[0]


@pytest.mark.parametrize("cores", [2, 4])
def test_the_reader_hands_out_the_same_sheets_and_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    # Through read_sheets: the error values put back, the long text cut, the same problems.
    path = tmp_path / "export.xlsx"
    _school_export(path)
    in_parts = _read_through_reader(path, monkeypatch, cores)
    whole = _read_through_reader(path, monkeypatch, cores=1)
    assert in_parts == whole
    grid = in_parts[0]["四年级"]
    assert str(grid[7][8]) == "#DIV/0!"  # an error value, restored from the XML in both


def test_parts_are_really_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The comparisons above would pass if the reader always read whole: count the part reads.
    path = tmp_path / "export.xlsx"
    _school_export(path)
    calls: list[int] = []
    read = sheet_parts.PartFiles.read

    def counted(self: sheet_parts.PartFiles) -> Any:
        got = read(self)
        calls.append(got is not None)
        return got

    monkeypatch.setattr(sheet_parts.PartFiles, "read", counted)
    _read_through_reader(path, monkeypatch, cores=2)
    assert calls == [True]  # the export in parts; 说明, one row, has nowhere to cut


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.dictionaries(
        st.tuples(st.integers(0, 120), st.integers(0, 9)),
        st.one_of(
            st.integers(-5, 500),
            st.floats(allow_nan=False, allow_infinity=False, width=32),
            st.text("甲乙 1a", min_size=1, max_size=4),
            st.booleans(),
        ),
        max_size=80,
    ),
    parts=st.integers(2, 6),
)
def test_any_sparse_sheet_in_parts_is_the_whole(
    tmp_path_factory: pytest.TempPathFactory, cells: dict[tuple[int, int], Any], parts: int
) -> None:
    path = tmp_path_factory.mktemp("sparse") / "s.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    for (r, c), value in sorted(cells.items()):
        sheet.write(r, c, value)
    book.close()
    split = _split(path, "S", parts)
    if split is not None:  # too few rows to cut in this many places: read whole, nothing to compare
        assert split.read() == _whole(path, "S")


def _watch_parts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the part files calamine is asked to open, as it is asked."""
    parsed: list[str] = []
    real = python_calamine.CalamineWorkbook.from_path

    def watched(name: str) -> Any:
        if Path(name).parent.name.startswith("xueqing-"):
            parsed.append(Path(name).name)
        return real(name)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", watched)
    return parsed


@pytest.mark.parametrize("far_row", [0, 1299], ids=["first-part", "last-part"])
def test_a_sheet_too_large_is_refused_and_its_far_part_never_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, far_row: int
) -> None:
    # Each part is held to the guard's bound before calamine sees it (it would abort the
    # process on the far cell); the part that holds it never reaches calamine, the sheet is
    # measured whole and refused, and no part's folder is left behind.
    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    for r in range(1300):
        sheet.write_row(r, 0, [f"学生{r}", r])
    sheet.write(far_row, 16_383, 1)  # XFD: 1,300 rows × 16,384 columns is over the limit
    book.close()
    parsed = _watch_parts(monkeypatch)
    folders = set(Path(sheet_parts.tempfile.gettempdir()).glob("xueqing-*"))
    sheets, problems = _read_through_reader(path, monkeypatch, cores=2)
    assert sheets == {}
    assert problems == ["sheet.too_large S XFD1300"]
    far_part = "0.xlsx" if far_row == 0 else "1.xlsx"
    assert far_part not in parsed
    assert set(Path(sheet_parts.tempfile.gettempdir()).glob("xueqing-*")) == folders


def test_a_part_outside_the_bound_of_a_sheet_not_too_large_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bound is the last row tag's number. Rows out of order put a higher row before it:
    # that part is outside the bound and never parsed, the whole sheet measures within the
    # limit, and it is read whole, the grid as calamine gives it.
    path, moved = tmp_path / "a.xlsx", tmp_path / "moved.xlsx"
    _plain(path)

    _rewrite_sheet(path, moved, lambda xml: _move_row(xml, 200, to_start=True))
    parsed = _watch_parts(monkeypatch)
    sheets, problems = _read_through_reader(moved, monkeypatch, cores=2)
    assert "0.xlsx" not in parsed  # row 200 in the first part: beyond row 199, the last tag
    assert sheets["S"] == _whole(moved, "S")[0] and problems == []
    assert sheets["S"][199] == ["学生199", 199, 3]


def test_without_a_temporary_folder_the_sheet_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No room or no right to write the parts: the same sheets, read whole.
    path = tmp_path / "export.xlsx"
    _school_export(path)

    def no_folder(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    whole = _read_through_reader(path, monkeypatch, cores=1)
    monkeypatch.setattr(sheet_parts.tempfile, "TemporaryDirectory", no_folder)
    assert _read_through_reader(path, monkeypatch, cores=2) == whole


def test_a_prefixed_sheet_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # <x:sheetData> (a namespace prefix, as some generators write): no part is cut, and the
    # sheet reads as calamine reads it.
    path, prefixed = tmp_path / "a.xlsx", tmp_path / "prefixed.xlsx"
    _plain(path)

    def add_prefix(xml: bytes) -> bytes:
        xml = re.sub(rb"<(/?)(?!\?)([a-zA-Z]+)", rb"<\1x:\2", xml)
        return xml.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=", 1)

    _rewrite_sheet(path, prefixed, add_prefix)
    assert b"<x:sheetData>" in zipfile.ZipFile(prefixed).read("xl/worksheets/sheet1.xml")
    assert _split(prefixed, "S", 2) is None
    sheets, _ = _read_through_reader(prefixed, monkeypatch, cores=2)
    assert sheets["S"] == _whole(prefixed, "S")[0]
    assert sheets["S"][5] == ["学生5", 5, 5]


def test_parts_are_one_per_core_up_to_a_few(monkeypatch: pytest.MonkeyPatch) -> None:
    # 1 MB a part at least; no more parts than cores, nor than MAX_PARTS on a large machine
    # (each part parses the shared strings anew).
    mb = 1 << 20
    for cores, size, parts in [(2, 178 * mb, 2), (16, 178 * mb, 4), (16, 3 * mb, 3), (8, mb, 1)]:
        monkeypatch.setenv(WORKERS_ENV, str(cores))
        assert sheet_parts.part_count(b" " * size) == parts, (cores, size)
    monkeypatch.setenv(WORKERS_ENV, "1")
    assert sheet_parts.part_count(b" " * 178 * mb) == 1
