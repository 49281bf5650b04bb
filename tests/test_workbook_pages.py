"""What the term and monthly workbooks show and print (issue 16): change charts that can show a
decline, numbers written as numbers in the format their meaning needs, a readable 口径说明, one
sign for 名次变化, and charts that no A4 page break cuts.

The workbooks are read back as files (openpyxl, and the chart and drawing XML inside the zip),
never through the code that wrote them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import pytest
from conftest import PACK_AS_OF, PACK_MONTH, SamplePacks
from openpyxl import load_workbook

from toolkit.cli.parser import main

pytestmark = pytest.mark.slow

MONTH, AS_OF = "2026-05", "2026-05-31"
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class Packs:
    term_dir: Path
    monthly_dir: Path
    scores: Path  # 成绩分析.xlsx of the term's last exam against the one before

    @property
    def workbooks(self) -> list[Path]:
        packs = [*self.term_dir.glob("*.xlsx"), *self.monthly_dir.glob("*.xlsx")]
        return [*sorted(packs), self.scores]


@pytest.fixture(scope="module")
def packs(sample_packs: SamplePacks, tmp_path_factory: pytest.TempPathFactory) -> Packs:
    # The sample holds data errors on purpose: the packs are written all the same.
    assert (MONTH, AS_OF) == (PACK_MONTH, PACK_AS_OF)
    term_dir, monthly_dir = sample_packs.term_dir, sample_packs.monthly_dir
    assert (term_dir / "期末质量分析.xlsx").exists() and (
        monthly_dir / "四年级学情研判.xlsx"
    ).exists()
    exams = sample_packs.truth.folder / "成绩"
    scores = tmp_path_factory.mktemp("pages") / "成绩分析.xlsx"
    main(
        ["scores", str(exams / "期末"), "--previous", str(exams / "期中"), "-o", str(scores), "-q"]
    )
    assert scores.exists()
    return Packs(term_dir, monthly_dir, scores)


# --------------------------------------------------------------------------- chart XML


def _charts(path: Path) -> dict[str, ElementTree.Element]:
    with zipfile.ZipFile(path) as z:
        return {
            n: ElementTree.fromstring(z.read(n))
            for n in z.namelist()
            if re.fullmatch(r"xl/charts/chart\d+\.xml", n)
        }


def _chart_title(chart: ElementTree.Element) -> str:
    title = chart.find("c:chart/c:title", NS)
    return "".join(t.text or "" for t in title.iter(f"{{{NS['a']}}}t")) if title is not None else ""


def _cached_values(chart: ElementTree.Element) -> list[float]:
    return [float(v.text) for v in chart.iterfind(".//c:val//c:pt/c:v", NS) if v.text]


def test_change_charts_can_show_a_decline(packs: Packs) -> None:
    """Every chart of a change (变化) leaves its value axis free below 0; with the sample's
    declines among the values, the axis must not start at 0 or above."""
    seen = 0
    for path in packs.workbooks:
        for name, chart in _charts(path).items():
            if "变化" not in _chart_title(chart):
                continue
            seen += 1
            value_axis = chart.find(".//c:plotArea/c:valAx", NS)
            minimum = value_axis.find("c:scaling/c:min", NS)
            assert minimum is None or float(minimum.get("val")) < 0, (path.name, name)
            category_axis = chart.find(".//c:plotArea/c:catAx", NS)
            labels = category_axis.find("c:tickLblPos", NS)
            assert labels is not None and labels.get("val") == "low", (path.name, name)
    assert seen >= 2  # the term pack's and a monthly grade's


def test_every_chart_holding_negatives_shows_them(packs: Packs) -> None:
    """Whatever a chart is called: negative values are never under a pinned 0."""
    for path in packs.workbooks:
        for name, chart in _charts(path).items():
            minimum = chart.find(".//c:plotArea/c:valAx/c:scaling/c:min", NS)
            values = [v for v in _cached_values(chart)]
            if minimum is not None and values:
                assert float(minimum.get("val")) <= min(values), (path.name, name)


# --------------------------------------------------------------------------- number cells

# Text by meaning, whatever it looks like: names, and 原值 quoting a problem cell as typed.
TEXT_HEADERS = {"工作表", "单元格", "文件", "学号", "原值", "题号"}  # 题号: 1, 2(1) …


def _expected_formats(header: str) -> set[str] | None:
    """The formats a column's meaning allows (DESIGN.md: averages two decimals, rates percent,
    counts whole numbers, changes signed); None: any non-General number format."""
    if header.endswith("率变化") or header == "超均率":
        return {"+0.0%;-0.0%;0.0%"}
    if header == "名次变化":
        return {"+0;-0;0"}
    if header.endswith("变化"):
        return {"+0.00;-0.00;0.00"}
    if header.endswith("率"):
        return {"0.0%"}
    if header in ("平均分", "综合分") or header.endswith("平均得分"):
        return {"0.00"}
    if header.endswith("人数") or header in ("名次", "拟合格", "拟优"):
        return {"0"}
    if header in ("最高分", "最低分"):
        return {"0", "0.0#"}
    return None


def _parses(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _header_rows(ws: Any) -> dict[int, dict[int, str]]:
    """Rows styled as table headers (white bold on blue), by column."""
    headers: dict[int, dict[int, str]] = {}
    for row in ws.iter_rows():
        for cell in row:
            fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fgColor else None
            if isinstance(cell.value, str) and fill and str(fill).endswith("1F4E79"):
                headers.setdefault(cell.row, {})[cell.column] = cell.value
    return headers


def _header_of(headers: dict[int, dict[int, str]], row: int, column: int) -> str:
    above = [r for r in headers if r < row and column in headers[r]]
    return headers[max(above)][column] if above else ""


def test_every_number_is_a_number_cell_with_its_format(packs: Packs) -> None:
    checked = 0
    for path in packs.workbooks:
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            headers = _header_rows(ws)
            for row in ws.iter_rows():
                for cell in row:
                    header = _header_of(headers, cell.row, cell.column)
                    where = (path.name, ws.title, cell.coordinate, header, cell.value)
                    if isinstance(cell.value, str):
                        if header not in TEXT_HEADERS and cell.row not in headers:
                            assert not _parses(cell.value), where
                        continue
                    if not isinstance(cell.value, (int, float)) or isinstance(cell.value, bool):
                        continue
                    checked += 1
                    assert cell.number_format not in ("General", "@"), where
                    expected = _expected_formats(header)
                    if expected is not None:
                        assert cell.number_format in expected, where
    assert checked > 1000


def test_class_columns_of_a_mean_table_print_two_decimals(packs: Packs) -> None:
    """The grade sheet's 各班各科平均分: 四(1)班 … 全年级 columns hold means, shown 0.00."""
    ws = load_workbook(packs.term_dir / "期末质量分析.xlsx")["四年级"]
    row = next(r for r in range(1, 40) if ws.cell(r, 1).value == "学科") + 1
    assert ws.cell(row, 1).value == "语文"
    for column in range(2, 6):
        assert isinstance(ws.cell(row, column).value, float)
        assert ws.cell(row, column).number_format == "0.00"


# --------------------------------------------------------------------------- 口径说明


def test_definitions_sheet_has_wide_wrapped_columns(packs: Packs) -> None:
    for path in packs.workbooks:
        ws = load_workbook(path)["口径说明"]
        widths = {c: ws.column_dimensions[c].width for c in "ABC"}
        assert widths["A"] >= 12 and widths["B"] >= 50 and widths["C"] >= 30, (path.name, widths)
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
        longest = max(ws["B"][3:], key=lambda c: len(c.value or ""))
        assert longest.alignment.wrap_text
        assert ws.row_dimensions[longest.row].height > 15  # grown for its wrapped lines


# --------------------------------------------------------------------------- page breaks

A4_LANDSCAPE_PT = (11.69 * 72, 8.27 * 72)


def test_findings_wrap_under_their_table_within_the_printed_width(packs: Packs) -> None:
    """A block's finding was one line beside its heading, running past the printed page."""
    from toolkit.base.text import display_width

    checked = 0
    for path in (packs.term_dir / "期末质量分析.xlsx", packs.monthly_dir / "四年级学情研判.xlsx"):
        book = load_workbook(path)
        for ws in book.worksheets:
            if ws.title in ("口径说明", "数据问题", "识别结果", "需关注"):  # tables of text
                continue
            merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    text = cell.value
                    if not isinstance(text, str) or display_width(text) <= 60:
                        continue
                    if "：" not in text and "，" not in text:
                        continue  # not a sentence (a long name in a table)
                    span = merged.get((cell.row, cell.column))
                    assert cell.column == 1 and span is not None, (path.name, ws.title, text)
                    assert span.max_col - span.min_col >= 3 and cell.alignment.wrap_text
                    checked += 1
    assert checked > 0


def _sheet_files(path: Path) -> dict[str, str]:
    """Sheet name → its part (xl/worksheets/sheetN.xml)."""
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(REL)}
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {
        s.get("name"): "xl/" + targets[s.get(rel_id)].removeprefix("/xl/")
        for s in book.iter(f"{SHEET_NS}sheet")
    }


def _drawing_of(z: zipfile.ZipFile, part: str) -> ElementTree.Element | None:
    rels_name = str(PurePosixPath(part).parent / "_rels" / (PurePosixPath(part).name + ".rels"))
    if rels_name not in z.namelist():
        return None
    for rel in ElementTree.fromstring(z.read(rels_name)).iter(REL):
        if rel.get("Type", "").endswith("/drawing"):
            target = PurePosixPath(part).parent / rel.get("Target")
            parts = []
            for piece in target.parts:
                if piece == "..":
                    parts.pop()
                else:
                    parts.append(piece)
            return ElementTree.fromstring(z.read("/".join(parts)))
    return None


def _chart_rows(drawing: ElementTree.Element) -> list[tuple[int, int]]:
    """(first row, last row), 0-based, of each anchored chart."""
    spans = []
    for anchor in drawing:
        start, end = anchor.find("xdr:from", NS), anchor.find("xdr:to", NS)
        if start is None or end is None:
            continue
        first = int(start.find("xdr:row", NS).text)
        last = int(end.find("xdr:row", NS).text)
        if int(end.find("xdr:rowOff", NS).text) == 0:
            last -= 1  # ends exactly on the row's top edge
        spans.append((first, last))
    return spans


def _page_starts(sheet: ElementTree.Element) -> list[int]:
    """The 0-based rows where a printed page starts, computed as a printer would from the scale,
    margins, row heights and manual breaks (fit-to-page would override manual breaks in Excel,
    so the sheet must use a fixed scale to have them honoured)."""
    setup = sheet.find(f"{SHEET_NS}pageSetup")
    margins = sheet.find(f"{SHEET_NS}pageMargins")
    fit = sheet.find(f"{SHEET_NS}sheetPr/{SHEET_NS}pageSetUpPr")
    assert setup.get("paperSize") == "9" and setup.get("orientation") == "landscape"
    assert fit is None or fit.get("fitToPage") != "1", "a fit-to-page sheet ignores its breaks"
    scale = int(setup.get("scale", "100")) / 100
    height = A4_LANDSCAPE_PT[1] - 72 * (float(margins.get("top")) + float(margins.get("bottom")))
    default = float(sheet.find(f"{SHEET_NS}sheetFormatPr").get("defaultRowHeight"))
    heights = {
        int(r.get("r")) - 1: float(r.get("ht"))
        for r in sheet.iter(f"{SHEET_NS}row")
        if r.get("ht") and r.get("customHeight") == "1"
    }
    breaks = {int(b.get("id")) for b in sheet.iterfind(f"{SHEET_NS}rowBreaks/{SHEET_NS}brk")}
    starts, used = [0], 0.0
    for row in range(2000):
        h = heights.get(row, default) * scale
        if row in breaks or used + h > height:  # <brk id=N>: a page starts at 0-based row N
            if row > starts[-1]:
                starts.append(row)
            used = 0.0
        used += h
    return sorted(set(starts))


def test_no_chart_crosses_a_page_break(packs: Packs) -> None:
    checked = 0
    for path in packs.workbooks:
        parts = _sheet_files(path)
        with zipfile.ZipFile(path) as z:
            for name, part in parts.items():
                drawing = _drawing_of(z, part)
                if drawing is None:
                    continue
                sheet = ElementTree.fromstring(z.read(part))
                starts = _page_starts(sheet)
                for first, last in _chart_rows(drawing):
                    checked += 1
                    crossing = [s for s in starts if first < s <= last]
                    assert not crossing, (path.name, name, first, last, crossing)
                last_col = max(int(c.text) for c in drawing.iterfind(".//xdr:to/xdr:col", NS))
                assert _print_area_last_col(path, name) >= last_col, (path.name, name)
    assert checked >= 5


def _print_area_last_col(path: Path, sheet: str) -> int:
    """The last column (0-based) of a sheet's print area: the charts are printed whole across."""
    from openpyxl.utils import column_index_from_string

    area = load_workbook(path)[sheet].print_area
    assert area, (path.name, sheet)
    letters = re.search(r"\$([A-Z]+)\$\d+$", area[-1] if isinstance(area, list) else area)
    return column_index_from_string(letters.group(1)) - 1


# --------------------------------------------------------------------------- LibreOffice

soffice = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(
    soffice is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and poppler-utils",
)
def test_printed_workbooks_hold_no_hashes(packs: Packs, tmp_path: Path) -> None:
    books = [packs.term_dir / "期末质量分析.xlsx", packs.monthly_dir / "四年级学情研判.xlsx"]
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, books)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for book in books:
        pdf = tmp_path / (book.stem + ".pdf")
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "###" not in text, book.name
        assert "口径说明" in text and "全年级" in text, book.name


# --------------------------------------------------------------------------- 名次变化


def _class_file(folder: Path, grade_name: str, scores: dict[int, list[int]]) -> None:
    from openpyxl import Workbook

    folder.mkdir(parents=True)
    book = Workbook()
    book.remove(book.active)
    for number, marks in scores.items():
        sheet = book.create_sheet(f"{grade_name[0]}({number})班")
        sheet.append(["学号", "姓名", "语文"])
        for i, mark in enumerate(marks):
            sheet.append([f"{number}0{i}", f"学生{number}{i}", mark])
    book.save(folder / f"{grade_name}成绩.xlsx")


def test_a_class_moving_from_second_to_first_shows_plus_one(tmp_path: Path) -> None:
    """名次变化 = 上次名次 − 本次名次: positive is progress, as for a student's 进退步."""
    _class_file(tmp_path / "期中", "三年级", {1: [70, 60], 2: [90, 80]})  # class 1: 2nd
    _class_file(tmp_path / "期末", "三年级", {1: [95, 85], 2: [80, 70]})  # class 1: 1st
    out = tmp_path / "成绩分析.xlsx"
    code = main(
        ["scores", str(tmp_path / "期末"), "--previous", str(tmp_path / "期中"), "-o", str(out)]
    )
    assert code == 0
    ws = load_workbook(out)["进退步"]
    header = [c.value for c in ws[3]]
    rows = {r[header.index("班级")]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    first, second = rows["三(1)班"], rows["三(2)班"]
    assert first[header.index("上次名次")] == 2 and first[header.index("名次变化")] == 1
    assert second[header.index("上次名次")] == 1 and second[header.index("名次变化")] == -1
    notes = " ".join(str(c.value) for row in ws.iter_rows(max_row=2) for c in row if c.value)
    assert "正数为进步" in notes
    definitions = " ".join(
        str(c.value) for row in load_workbook(out)["口径说明"].iter_rows() for c in row if c.value
    )
    assert "名次变化" in definitions and "上次名次 − 本次名次" in definitions
