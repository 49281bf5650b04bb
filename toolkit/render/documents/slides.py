"""A meeting deck (python-pptx): a title slide, one slide per chart with its finding, and lists.

Every slide uses the blank layout and our own text boxes, so the look does not depend on the
default template's placeholders and theme fonts.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide, SlideLayout
from pptx.text.text import TextFrame, _Paragraph, _Run
from pptx.util import Emu, Inches, Pt

from toolkit.base.text import display_width
from toolkit.render.output import stamp_properties, write_atomically
from toolkit.render.xlsx.styles import FONT

SLIDE_WIDTH = Emu(12_192_000)  # 13.333 in: 16:9
SLIDE_HEIGHT = Emu(6_858_000)  # 7.5 in
MARGIN = Inches(0.6)
CONTENT_WIDTH = Emu(SLIDE_WIDTH - 2 * MARGIN)

ACCENT = RGBColor(0x44, 0x72, 0xC4)  # the first chart series colour (charts.PALETTE)
DARK = RGBColor(0x1F, 0x2D, 0x3D)
TEXT = RGBColor(0x33, 0x33, 0x33)
MUTED = RGBColor(0x7F, 0x7F, 0x7F)

HEADING_SIZES = (28.0, 24.0, 20.0)
FINDING_SIZES = (20.0, 18.0, 16.0, 14.0)
GROUP_SIZE = 22.0
ITEM_SIZE = 18.0
LINE_FACTOR = 1.3  # a line's height relative to its size (微软雅黑 is about 1.3 em)
GROUP_GAP, ITEM_GAP = 10.0, 3.0  # points above a group sub-heading / an item
LIST_TOP, LIST_HEIGHT = Inches(1.35), Inches(5.8)  # about 14 items, then "…（续）"
CONTINUED = "（续）"
NONE_TEXT = "无"
BULLET_INDENT = Inches(0.35)

# Whitespace controls become a space (a one-line text box); other controls cannot be in XML.
_SPACE_CONTROLS = re.compile(r"[\t\n\r\v\f]+")
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    return _OTHER_CONTROLS.sub("", _SPACE_CONTROLS.sub(" ", str(text))).strip()


def _lines(text: str, size_pt: float, width: int) -> int:
    """Estimated wrapped lines: wide characters take one em, narrow ones about half."""
    ems_per_line = Emu(width).pt / size_pt
    return max(1, math.ceil(display_width(text) / 2 / ems_per_line))


def _set_font(run: _Run, size: float, *, bold: bool, color: RGBColor) -> None:
    """Size, weight, colour and 微软雅黑 for both Latin and East Asian text of one run.

    python-pptx only writes ``a:latin``; without ``a:ea`` PowerPoint/WPS draw Chinese in the
    theme's East Asian font instead.
    """
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color
    font.name = FONT
    rPr = run._r.get_or_add_rPr()
    rPr.set("lang", "zh-CN")
    ea = rPr.find(qn("a:ea"))
    if ea is None:
        ea = rPr.makeelement(qn("a:ea"), {})
        rPr.find(qn("a:latin")).addnext(ea)  # schema order: latin, ea, cs
    ea.set("typeface", FONT)


def _add_run(
    paragraph: _Paragraph, text: str, size: float, *, bold: bool = False, color: RGBColor = TEXT
) -> None:
    run = paragraph.add_run()
    run.text = _clean(text)
    _set_font(run, size, bold=bold, color=color)


def _text_frame(slide: Slide, left: int, top: int, width: int, height: int) -> TextFrame:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Emu(0)
    return frame


def _bullet(paragraph: _Paragraph) -> None:
    """A hanging bullet (text boxes have none by default)."""
    pPr = paragraph._p.get_or_add_pPr()
    pPr.set("marL", str(BULLET_INDENT))
    pPr.set("indent", str(-int(Inches(0.25))))
    bu_font = pPr.makeelement(qn("a:buFont"), {"typeface": "Arial"})
    bu_char = pPr.makeelement(qn("a:buChar"), {"char": "•"})
    # Bullet elements come after spacing and before any tab list / default run properties.
    pPr.insert_element_before(bu_font, "a:tabLst", "a:defRPr", "a:extLst")
    bu_font.addnext(bu_char)


def _rule(slide: Slide, left: int, top: int, width: int, height: int) -> None:
    """A thin accent bar (a rectangle without outline or text)."""
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()
    # Its theme style reference would add a drop shadow (LibreOffice ignores an empty effectLst).
    bar._element.remove(bar._element.find(qn("p:style")))


def _group_height(first_on_page: bool) -> float:
    """Points a group sub-heading takes on a list slide (no gap above the first one)."""
    return GROUP_SIZE * LINE_FACTOR + (0.0 if first_on_page else GROUP_GAP)


def _fit(text: str, sizes: Sequence[float], width: int, height: int) -> tuple[float, int]:
    """The largest size whose text fits the box on one line, else wrapped; and its lines."""
    for size in sizes:
        if _lines(text, size, width) == 1:
            return size, 1
    for size in sizes:
        lines = _lines(text, size, width)
        if lines * size * LINE_FACTOR <= Emu(height).pt:
            return size, lines
    smallest = sizes[-1]
    return smallest, _lines(text, smallest, width)


def _paginate(groups: Sequence[tuple[str, Sequence[str]]]) -> list[list[tuple[str, str]]]:
    """Split groups into slides of ("group" | "item" | "none", text) lines that fit the box."""
    width = CONTENT_WIDTH - BULLET_INDENT
    budget = Emu(LIST_HEIGHT).pt
    pages: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    for name, items in groups:
        entries = [(_clean(item), False) for item in items] or [(NONE_TEXT, True)]
        shown_here = False
        for index, (text, empty) in enumerate(entries):
            cost = _lines(text, ITEM_SIZE, width) * ITEM_SIZE * LINE_FACTOR + ITEM_GAP
            # A sub-heading stays with its first item on the page.
            need = cost if shown_here else cost + _group_height(not pages[-1])
            if pages[-1] and used + need > budget:
                pages.append([])
                used, shown_here = 0.0, False
                need = cost + _group_height(True)
            if not shown_here:
                label = _clean(name) + ("" if index == 0 else CONTINUED)
                pages[-1].append(("group", label))
                shown_here = True
            pages[-1].append(("none" if empty else "item", text))
            used += need

    return pages


class Deck:
    """A 16:9 deck in 微软雅黑, built slide by slide and written with ``save``."""

    def __init__(self, title: str, subtitle: str = "", *, date: dt.date | None = None) -> None:
        self._prs = Presentation()
        self._prs.slide_width = SLIDE_WIDTH
        self._prs.slide_height = SLIDE_HEIGHT
        self._blank = self._blank_layout()
        stamp_properties(self._prs.core_properties, _clean(title), date)
        self._title_slide(title, subtitle)

    def _blank_layout(self) -> SlideLayout:
        layouts = self._prs.slide_layouts
        return layouts.get_by_name("Blank") or layouts[6]

    def _new_slide(self) -> Slide:
        return self._prs.slides.add_slide(self._blank)

    def _title_slide(self, title: str, subtitle: str) -> None:
        slide = self._new_slide()
        frame = _text_frame(slide, MARGIN, Inches(2.2), CONTENT_WIDTH, Inches(1.5))
        frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        size, _ = _fit(_clean(title), (40.0, 36.0, 32.0), CONTENT_WIDTH, Inches(1.5))
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.CENTER
        _add_run(paragraph, title, size, bold=True, color=DARK)
        bar_width = Inches(1.6)
        _rule(slide, Emu((SLIDE_WIDTH - bar_width) // 2), Inches(3.9), bar_width, Inches(0.06))
        if subtitle:
            frame = _text_frame(slide, MARGIN, Inches(4.2), CONTENT_WIDTH, Inches(1.0))
            paragraph = frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.CENTER
            _add_run(paragraph, subtitle, 22.0, color=MUTED)

    def _heading(self, slide: Slide, text: str) -> None:
        top, height = Inches(0.3), Inches(0.8)
        frame = _text_frame(slide, MARGIN, top, CONTENT_WIDTH, height)
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        size, _ = _fit(_clean(text), HEADING_SIZES, CONTENT_WIDTH, height)
        _add_run(frame.paragraphs[0], text, size, bold=True, color=DARK)
        _rule(slide, MARGIN, Emu(top + height + Inches(0.05)), CONTENT_WIDTH, Inches(0.03))

    def chart_slide(self, heading: str, image: Path, finding: str) -> None:
        """The heading, the chart scaled to fit (aspect kept, centred) and one finding under it."""
        slide = self._new_slide()
        self._heading(slide, heading)
        box_top, box_height = Inches(1.3), Inches(4.95)
        picture = slide.shapes.add_picture(str(image), 0, 0)
        scale = min(CONTENT_WIDTH / picture.width, box_height / picture.height)
        width, height = int(picture.width * scale), int(picture.height * scale)
        picture.width, picture.height = Emu(width), Emu(height)
        picture.left = Emu((SLIDE_WIDTH - width) // 2)
        picture.top = Emu(box_top + (box_height - height) // 2)

        text = _clean(finding)
        finding_height = Inches(0.95)
        frame = _text_frame(slide, MARGIN, Inches(6.35), CONTENT_WIDTH, finding_height)
        size, lines = _fit(text, FINDING_SIZES, CONTENT_WIDTH, finding_height)
        paragraph = frame.paragraphs[0]
        # One line reads best centred under the chart; a wrapped one reads better from the left.
        paragraph.alignment = PP_ALIGN.CENTER if lines == 1 else PP_ALIGN.LEFT
        _add_run(paragraph, text, size, color=TEXT)

    def list_slide(self, heading: str, groups: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Groups of bullets under bold sub-headings, continued on "…（续）" slides if long."""
        pages = _paginate(groups)
        for number, page in enumerate(pages):
            slide = self._new_slide()
            self._heading(slide, heading if number == 0 else _clean(heading) + CONTINUED)
            frame = _text_frame(slide, MARGIN, LIST_TOP, CONTENT_WIDTH, LIST_HEIGHT)
            first = True
            for kind, text in page:
                paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
                if kind == "group":
                    paragraph.space_before = Pt(0 if first else GROUP_GAP)
                    _add_run(paragraph, text, GROUP_SIZE, bold=True, color=DARK)
                else:
                    paragraph.space_before = Pt(ITEM_GAP)
                    _bullet(paragraph)
                    colour = MUTED if kind == "none" else TEXT
                    _add_run(paragraph, text, ITEM_SIZE, color=colour)
                first = False

    def save(self, path: Path) -> Path:
        """Write the deck (atomically) and return its path."""
        return write_atomically(path, lambda temporary: self._prs.save(str(temporary)))
