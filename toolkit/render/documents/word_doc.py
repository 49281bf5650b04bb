"""A report a school submits (python-docx): A4, 宋体 body, 黑体 headings, grid tables.

Every run names its East Asian font (``w:eastAsia``): without it Word and WPS draw Chinese in
the theme's font, whatever the Latin font says. Text is always literal: no fields are written.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from toolkit.base.text import display_width
from toolkit.render.output import stamp_properties, write_atomically

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_SIZE = 10.5  # 五号
TITLE_SIZE = 18.0  # 小二
SUBTITLE_SIZE = 12.0  # 小四
CAPTION_SIZE = 9.0  # 小五
HEADING_SIZES = {1: 14.0, 2: 12.0, 3: 10.5}  # 四号, 小四, 五号
HEADING_SPACING = {1: (12, 6), 2: (9, 4), 3: (6, 3)}  # points before, after
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_VERTICAL, MARGIN_HORIZONTAL = Cm(2.5), Cm(2.2)
TEXT_WIDTH_CM = 21.0 - 2 * 2.2
HEADER_FILL = "D9D9D9"  # light grey: reads as a header in colour and in black-and-white print
CELL_PADDING_CM = 0.45  # the grid's left + right cell margins and a little air
MAX_STRETCH = 2.0  # wider, a short number sits far from its column's centred header
ROW_HEIGHT = Cm(0.6)  # at least: rows of a printed report table are not cramped
BLACK = RGBColor(0, 0, 0)

# Schema order of w:trPr children that follow w:cantSplit / w:tblHeader.
_AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", *_AFTER_TBL_HEADER)
_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Characters XML cannot hold; \t, \n and \r are kept (python-docx writes them as tab/break).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: object) -> str:
    return _CONTROLS.sub("", str(text))


def _set_fonts(rPr: CT_RPr, name: str) -> None:
    """One font for Latin and East Asian text; theme fonts removed, as they take precedence."""
    fonts = rPr.get_or_add_rFonts()
    for attribute in _THEME_FONTS:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _add_run(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float | None = None,
    bold: bool | None = None,
) -> None:
    run = paragraph.add_run(_clean(text))
    _set_fonts(run._r.get_or_add_rPr(), font)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes: not a missing scalar
        return False


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_))


_SIGNED_ZERO = re.compile(r"^[+-](0(?:\.0+)?%?)$")


def _unsigned_zero(text: str) -> str:
    """``-0.0%`` and ``+0.00`` read as a change where there is none: ``0.0%``, ``0.00``."""
    return _SIGNED_ZERO.sub(r"\1", text)


def _cell_text(value: object, template: str | None) -> str:
    """A cell's text: ``template`` (``"{:.1%}"``) for numbers, else a plain rendering."""
    if _is_missing(value):
        return ""
    if template is not None:
        try:
            return _unsigned_zero(template.format(value))
        except (ValueError, TypeError):  # "缺考" in a score column: show it as it is
            pass
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        # Up to 4 decimals, no trailing zeros, never scientific notation; + 0.0 drops "-0".
        return np.format_float_positional(round(float(value), 4) + 0.0, trim="-")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return _clean(value)


def _widths(header: Sequence[str], body: Sequence[Sequence[str]], size: float) -> list[float]:
    """Column widths (cm) in proportion to each column's content: the full text width, unless
    that would stretch a narrow table more than ``MAX_STRETCH`` times (it is centred then)."""
    em_cm = size / 72 * 2.54
    needs = []
    for index, title in enumerate(header):
        body_ems = max((display_width(row[index]) / 2 for row in body), default=0.0)
        # A header may wrap onto two lines; the body should not.
        ems = max(body_ems, display_width(title) / 4, 2.0)
        needs.append(ems * em_cm + CELL_PADDING_CM)
    scale = min(TEXT_WIDTH_CM / sum(needs), MAX_STRETCH)
    return [need * scale for need in needs]


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(
        shading,
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
    )  # fmt: skip


class ReportDocument:
    """An A4 report built block by block and written with ``save``."""

    def __init__(self, title: str, subtitle: str = "", *, date: dt.date | None = None) -> None:
        self._doc = Document()
        self._setup_page()
        self._setup_styles()
        stamp_properties(self._doc.core_properties, _clean(title), date)

        paragraph = self._doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(6)
        paragraph.paragraph_format.keep_with_next = True
        _add_run(paragraph, title, font=HEADING_FONT, size=TITLE_SIZE)
        if subtitle:
            paragraph = self._doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = True
            _add_run(paragraph, subtitle, size=SUBTITLE_SIZE)
        paragraph.paragraph_format.space_after = Pt(18)

    def _setup_page(self) -> None:
        section = self._doc.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin = section.bottom_margin = MARGIN_VERTICAL
        section.left_margin = section.right_margin = MARGIN_HORIZONTAL

    def _setup_styles(self) -> None:
        styles = self._doc.styles
        # Document defaults: our fonts instead of the theme's, Chinese language, no spacing.
        defaults = styles.element.find(qn("w:docDefaults"))
        r_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(r_default, BODY_FONT)
        r_default.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")

        normal = styles["Normal"]
        normal.font.size = Pt(BODY_SIZE)
        _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)

        for level, size in HEADING_SIZES.items():
            style = styles[f"Heading {level}"]
            _set_fonts(style.element.get_or_add_rPr(), HEADING_FONT)
            style.font.size = Pt(size)
            style.font.bold = False  # 黑体 is already heavy; a fake bold smears it
            style.font.italic = False
            style.font.color.rgb = BLACK  # replaces the theme's blue, themeColor included
            before, after = HEADING_SPACING[level]
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(after)
            style.paragraph_format.keep_with_next = True  # never a heading alone at a page foot

    def heading(self, text: str, level: int = 1) -> None:
        """A 黑体 heading, level 1–3 (Word's 标题 1–3, so it shows in the navigation pane)."""
        if level not in HEADING_SIZES:
            raise ValueError(f"heading level must be 1–3, not {level}")
        paragraph = self._doc.add_paragraph(style=f"Heading {level}")
        _add_run(paragraph, text, font=HEADING_FONT)

    def paragraph(self, text: str, *, lead: str = "") -> None:
        """A body paragraph: first line indented two characters, 1.5 lines, justified."""
        paragraph = self._doc.add_paragraph()
        layout = paragraph.paragraph_format
        layout.first_line_indent = Pt(2 * BODY_SIZE)  # for readers without character units
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
        layout.line_spacing = 1.5
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if lead:
            _add_run(paragraph, lead, bold=True)
        _add_run(paragraph, text)

    def bullets(self, items: Sequence[str]) -> None:
        """A bulleted list (Word's 列表项目符号 style)."""
        for item in items:
            paragraph = self._doc.add_paragraph(style="List Bullet")
            paragraph.paragraph_format.line_spacing = 1.5
            _add_run(paragraph, item)

    def table(
        self,
        frame: pd.DataFrame,
        *,
        formats: Mapping[str, str] | None = None,
        emphasis: Sequence[bool] | None = None,
        font_size: float = 9,
    ) -> None:
        """A grid table of ``frame`` (its index is not shown: ``reset_index()`` first).

        ``formats`` maps a column to a ``str.format`` template (``"{:.1%}"``); columns not in
        the frame are ignored so one mapping can serve several tables. ``emphasis[i]`` makes
        row ``i`` bold. The header row repeats on every page and rows never split.
        """
        if emphasis is not None and len(emphasis) != len(frame):
            raise ValueError(f"emphasis has {len(emphasis)} flags for {len(frame)} rows")
        formats = formats or {}
        header = [_clean(column) for column in frame.columns]
        templates = [formats.get(column) for column in frame.columns]
        rows = list(frame.itertuples(index=False, name=None))
        texts = [
            [_cell_text(value, template) for value, template in zip(row, templates, strict=True)]
            for row in rows
        ]

        table = self._doc.add_table(rows=1, cols=len(header))
        table.style = self._doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # fixed layout: Word, WPS and LibreOffice keep our widths
        widths = [Cm(width) for width in _widths(header, texts, font_size)]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width

        head = table.rows[0]
        self._row_layout(head, header=True)
        for cell, title, width in zip(head.cells, header, widths, strict=True):
            _shade(cell, HEADER_FILL)
            self._fill(cell, title, width, WD_ALIGN_PARAGRAPH.CENTER, font_size, bold=True)
        for index, (row, cells_text) in enumerate(zip(rows, texts, strict=True)):
            line = table.add_row()
            self._row_layout(line, header=False)
            bold = bool(emphasis[index]) if emphasis is not None else False
            for cell, value, text, width in zip(line.cells, row, cells_text, widths, strict=True):
                align = WD_ALIGN_PARAGRAPH.RIGHT if _is_number(value) else WD_ALIGN_PARAGRAPH.LEFT
                self._fill(cell, text, width, align, font_size, bold=bold)
        # An empty paragraph after the table, so a following table or heading does not touch it.
        self._doc.add_paragraph()

    @staticmethod
    def _row_layout(row: _Row, *, header: bool) -> None:
        """Never split across pages; a little taller than its text; the header repeats."""
        properties = row._tr.get_or_add_trPr()
        properties.insert_element_before(OxmlElement("w:cantSplit"), *_AFTER_CANT_SPLIT)
        row.height, row.height_rule = ROW_HEIGHT, WD_ROW_HEIGHT_RULE.AT_LEAST
        if header:
            properties.insert_element_before(OxmlElement("w:tblHeader"), *_AFTER_TBL_HEADER)

    @staticmethod
    def _fill(
        cell: _Cell,
        text: str,
        width: Length,
        align: WD_ALIGN_PARAGRAPH,
        size: float,
        *,
        bold: bool,
    ) -> None:
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        _add_run(paragraph, text, size=size, bold=bold)

    def picture(self, image: Path, *, width_cm: float = 16.0, caption: str = "") -> None:
        """A centred picture (no wider than the text), with an optional caption below it."""
        paragraph = self._doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(3 if caption else 6)
        paragraph.paragraph_format.keep_with_next = bool(caption)
        paragraph.add_run().add_picture(str(image), width=Cm(min(width_cm, TEXT_WIDTH_CM)))
        if caption:
            below = self._doc.add_paragraph()
            below.alignment = WD_ALIGN_PARAGRAPH.CENTER
            below.paragraph_format.space_after = Pt(9)
            _add_run(below, caption, size=CAPTION_SIZE)

    def page_break(self) -> None:
        """Start a new page."""
        self._doc.add_page_break()

    def save(self, path: Path) -> Path:
        """Write the document (atomically) and return its path."""
        return write_atomically(path, lambda temporary: self._doc.save(str(temporary)))
