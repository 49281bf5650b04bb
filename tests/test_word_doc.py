"""The submitted report: read back with python-docx and as raw document XML."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table
from PIL import Image

from toolkit.render.documents.word_doc import ReportDocument

FORMULA = "=SUM(A1)"
FRAME = pd.DataFrame(
    {
        "班级": ["四(1)班", "四(2)班", "全年级"],
        "平均分": [85.3249, "缺考", 83.0],
        "优秀率": [0.886, 0.5, np.nan],
        "较期中": [2.1, -0.456, None],
        "人数": [45, 46, 91],
        "备注": ["", None, FORMULA],
    }
)
FORMATS = {"平均分": "{:.2f}", "优秀率": "{:.1%}", "较期中": "{:+.2f}", "不在表中": "{:.0f}"}


@pytest.fixture(scope="module")
def doc_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    Image.new("RGB", (1600, 900), "#4472C4").save(folder / "chart.png")
    report = ReportDocument("四年级期末质量分析", "某某小学 · 2026年1月", date=dt.date(2026, 1, 20))
    report.heading("一、总体情况")
    report.paragraph("全年级平均分 85.32 分，较期中提高 2.1 分。", lead="平均分：")
    report.paragraph(FORMULA)
    report.heading("（一）各班成绩", level=2)
    report.table(FRAME, formats=FORMATS, emphasis=[False, False, True])
    report.bullets(["四(2)班计算题失分较多。", "英语听力偏弱。"])
    report.picture(folder / "chart.png", width_cm=12, caption="图1 各班平均分")
    report.page_break()
    report.heading("二、附表", level=3)
    return report.save(folder / "质量分析.docx")


@pytest.fixture(scope="module")
def doc(doc_path: Path) -> DocumentType:
    return Document(str(doc_path))


@pytest.fixture(scope="module")
def xml(doc_path: Path) -> str:
    with zipfile.ZipFile(doc_path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


@pytest.fixture(scope="module")
def table(doc: DocumentType) -> Table:
    assert len(doc.tables) == 1
    return doc.tables[0]


def fonts(element: BaseOxmlElement) -> dict[str, str]:
    r_fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in r_fonts.attrib.items()}


def test_page_is_a4_portrait_with_the_margins(doc: DocumentType) -> None:
    section = doc.sections[0]
    assert section.page_width == pytest.approx(Cm(21), abs=Cm(0.01))
    assert section.page_height == pytest.approx(Cm(29.7), abs=Cm(0.01))
    assert section.top_margin == pytest.approx(Cm(2.5), abs=Cm(0.01))
    assert section.bottom_margin == pytest.approx(Cm(2.5), abs=Cm(0.01))
    assert section.left_margin == pytest.approx(Cm(2.2), abs=Cm(0.01))
    assert section.right_margin == pytest.approx(Cm(2.2), abs=Cm(0.01))


def test_styles_name_the_east_asian_fonts(doc: DocumentType) -> None:
    normal = doc.styles["Normal"]
    assert fonts(normal.element) == {"ascii": "宋体", "hAnsi": "宋体", "eastAsia": "宋体"}
    assert normal.font.size == Pt(10.5)
    for level in (1, 2, 3):
        heading = doc.styles[f"Heading {level}"]
        # No theme fonts left: they would override the names.
        assert fonts(heading.element) == {"ascii": "黑体", "hAnsi": "黑体", "eastAsia": "黑体"}
        colour = heading.element.find(qn("w:rPr")).find(qn("w:color"))
        assert colour.get(qn("w:val")) == "000000"
        assert colour.get(qn("w:themeColor")) is None


def test_title_subtitle_and_core_properties(doc: DocumentType) -> None:
    title, subtitle = doc.paragraphs[0], doc.paragraphs[1]
    assert (title.text, subtitle.text) == ("四年级期末质量分析", "某某小学 · 2026年1月")
    assert title.alignment == subtitle.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(18)
    assert fonts(title.runs[0]._r)["eastAsia"] == "黑体"
    props = doc.core_properties
    assert props.title == "四年级期末质量分析"
    assert props.author == props.last_modified_by == "xueqing"
    # python-docx reads W3CDTF back as UTC; python-pptx as naive.
    stamps = {stamp.replace(tzinfo=None) for stamp in (props.created, props.modified)}
    assert stamps == {dt.datetime(2026, 1, 20)}
    assert props.comments == ""


def test_headings_use_the_heading_styles(doc: DocumentType) -> None:
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Head")]
    assert headings == [
        ("Heading 1", "一、总体情况"),
        ("Heading 2", "（一）各班成绩"),
        ("Heading 3", "二、附表"),
    ]


def test_body_paragraph_indent_spacing_and_lead(doc: DocumentType) -> None:
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("平均分："))
    layout = paragraph.paragraph_format
    assert layout.first_line_indent == Pt(21)
    assert paragraph._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert layout.line_spacing == 1.5
    lead, body = paragraph.runs
    assert (lead.text, lead.bold) == ("平均分：", True)
    assert body.text == "全年级平均分 85.32 分，较期中提高 2.1 分。"
    assert not body.bold
    assert fonts(body._r)["eastAsia"] == "宋体"


def test_table_cells_hold_the_formatted_values(table: Table) -> None:
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["班级", "平均分", "优秀率", "较期中", "人数", "备注"],
        ["四(1)班", "85.32", "88.6%", "+2.10", "45", ""],
        ["四(2)班", "缺考", "50.0%", "-0.46", "46", ""],
        ["全年级", "83.00", "", "", "91", FORMULA],
    ]


def test_header_row_repeats_is_shaded_and_rows_never_split(table: Table) -> None:
    header = table.rows[0]._tr.trPr
    # In schema order, or Word calls the file damaged.
    assert [child.tag for child in header] == [
        qn("w:cantSplit"),
        qn("w:trHeight"),
        qn("w:tblHeader"),
    ]
    for row in table.rows[1:]:
        assert [child.tag for child in row._tr.trPr] == [qn("w:cantSplit"), qn("w:trHeight")]
        assert row.height == pytest.approx(Cm(0.6), abs=Cm(0.01))  # stored in twips
    for cell in header.getparent().findall(qn("w:tc")):
        assert cell.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D9D9D9"


def test_emphasis_rows_are_bold_and_alignment_follows_the_value(table: Table) -> None:
    for index, row in enumerate(table.rows[1:]):
        runs = [run for cell in row.cells for p in cell.paragraphs for run in p.runs]
        assert {bool(run.bold) for run in runs} == {index == 2}
    first = table.rows[1].cells
    assert first[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert first[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first[4].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # "缺考" in a number column is text: left.
    assert table.rows[2].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_every_cell_run_names_its_fonts_and_size(table: Table) -> None:
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                assert fonts(run._r)["eastAsia"] == "宋体"
                assert run.font.size == Pt(9)


def test_table_fits_the_text_width(table: Table) -> None:
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    widths = [int(col.get(qn("w:w"))) for col in grid]  # twips
    assert len(widths) == 6
    assert sum(widths) <= Cm(21 - 4.4).twips + 6
    assert widths[5] < widths[0] * 3  # no column swallows the page


def test_picture_is_centred_at_the_width_with_a_caption(doc: DocumentType) -> None:
    assert len(doc.inline_shapes) == 1
    assert doc.inline_shapes[0].width == pytest.approx(Cm(12), rel=0.01)
    assert doc.inline_shapes[0].height == pytest.approx(Cm(12) * 9 / 16, rel=0.01)
    index = next(i for i, p in enumerate(doc.paragraphs) if p._p.xpath(".//w:drawing"))
    picture, caption = doc.paragraphs[index], doc.paragraphs[index + 1]
    assert picture.alignment == caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert caption.text == "图1 各班平均分"


def test_bullets_and_page_break(doc: DocumentType, xml: str) -> None:
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["四(2)班计算题失分较多。", "英语听力偏弱。"]
    assert xml.count('w:type="page"') == 1


def test_text_stays_literal(doc: DocumentType, xml: str) -> None:
    assert any(p.text == FORMULA for p in doc.paragraphs)
    for field in ("fldSimple", "instrText", "fldChar", "hyperlink"):
        assert field not in xml


def test_control_characters_and_bad_arguments(tmp_path: Path) -> None:
    report = ReportDocument("标题")
    report.paragraph("响\x07铃\x00")
    report.table(pd.DataFrame({"a\x01": ["x\x02"]}))
    with pytest.raises(ValueError, match="level"):
        report.heading("四级", level=4)
    with pytest.raises(ValueError, match="emphasis"):
        report.table(pd.DataFrame({"a": [1, 2]}), emphasis=[True])
    doc = Document(str(report.save(tmp_path / "r.docx")))
    assert any(p.text == "响铃" for p in doc.paragraphs)
    assert [c.text for c in doc.tables[0]._cells] == ["a", "x"]
    assert doc.core_properties.created.date() == dt.date.today()


def test_a_narrow_table_is_not_stretched_across_the_page(tmp_path: Path) -> None:
    report = ReportDocument("标题")
    report.table(pd.DataFrame({"序号": [1, 2], "分数": [90, 80]}))
    doc = Document(str(report.save(tmp_path / "r.docx")))
    grid = doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))
    assert sum(int(col.get(qn("w:w"))) for col in grid) < Cm(8).twips
