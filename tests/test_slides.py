"""The meeting deck: read back with python-pptx and as raw slide XML."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image, ImageDraw
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Pt

from toolkit.render.documents.slides import LINE_FACTOR, LIST_HEIGHT, Deck

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
FINDING = "四(2)班平均分低于年级 6.2 分，计算题失分最多。"
LONG_FINDING = "四(2)班与四(5)班的计算题失分率连续两次高于年级平均，" * 4
SLOW_TEACHERS = [
    f"教师{i:02d}（数学，四({i % 6 + 1})班）：得分 {70 + i / 10:.1f}" for i in range(20)
]
FORMULA = '=HYPERLINK("x")'


def chart_png(path: Path, size: tuple[int, int] = (1600, 900)) -> Path:
    """A stand-in chart: blue bars on white, 16:9 unless told."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    width, height = size
    for i in range(4):
        left = width * (0.1 + 0.2 * i)
        draw.rectangle(
            (left, height * (0.3 + 0.1 * i), left + width * 0.12, height * 0.9), "#4472C4"
        )
    image.save(path)
    return path


@pytest.fixture(scope="module")
def deck_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("deck")
    deck = Deck("四年级学情研判", "2026年4月 · 某某小学", date=dt.date(2026, 4, 20))
    deck.chart_slide("各班数学平均分", chart_png(folder / "wide.png"), FINDING)
    deck.chart_slide("作业完成率", chart_png(folder / "tall.png", (600, 800)), LONG_FINDING)
    deck.list_slide(
        "需关注",
        [
            ("作业未达标教师", SLOW_TEACHERS),
            ("未听课教师", []),
            ("其他", [FORMULA, "换行\n与\x07控制字符"]),
        ],
    )
    return deck.save(folder / "研判.pptx")


@pytest.fixture(scope="module")
def prs(deck_path: Path) -> PresentationType:
    return Presentation(str(deck_path))


def texts(slide: Slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text]


def slide_xml(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as archive:
        names = sorted(
            (n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
            key=lambda n: int(re.findall(r"\d+", n)[0]),
        )
        return [etree.fromstring(archive.read(name)) for name in names]


def test_deck_is_16_9_with_title_charts_and_continued_list(prs: PresentationType) -> None:
    assert (prs.slide_width, prs.slide_height) == (12_192_000, 6_858_000)
    assert len(prs.slides) == 1 + 2 + 2
    assert texts(prs.slides[0]) == ["四年级学情研判", "2026年4月 · 某某小学"]
    assert texts(prs.slides[1])[0] == "各班数学平均分"
    assert texts(prs.slides[3])[0] == "需关注"
    assert texts(prs.slides[4])[0] == "需关注（续）"


def test_core_properties_use_the_given_date(prs: PresentationType) -> None:
    props = prs.core_properties
    assert props.title == "四年级学情研判"
    assert props.author == props.last_modified_by == "xueqing"
    assert props.created == props.modified == dt.datetime(2026, 4, 20)
    assert props.comments == ""


@pytest.mark.parametrize(("index", "aspect"), [(1, 16 / 9), (2, 600 / 800)])
def test_picture_keeps_its_aspect_centred_inside_the_slide(
    prs: PresentationType, index: int, aspect: float
) -> None:
    slide = prs.slides[index]
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    picture = pictures[0]
    assert picture.width / picture.height == pytest.approx(aspect, rel=0.01)
    right, bottom = picture.left + picture.width, picture.top + picture.height
    assert picture.left >= 0 and picture.top >= 0
    assert right <= prs.slide_width and bottom <= prs.slide_height
    assert abs(picture.left - (prs.slide_width - right)) <= 2  # centred
    # The heading is above the picture; it has room (a 16:9 chart gets most of the slide).
    assert picture.height >= Pt(300)


def test_finding_is_one_line_under_the_picture(prs: PresentationType) -> None:
    slide = prs.slides[1]
    picture = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    box = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text == FINDING)
    assert box.top >= picture.top + picture.height
    assert box.top + box.height <= prs.slide_height
    paragraphs = box.text_frame.paragraphs
    assert len(paragraphs) == 1
    assert Pt(18) <= paragraphs[0].runs[0].font.size <= Pt(20)


def test_long_finding_shrinks_and_wraps_inside_the_slide(prs: PresentationType) -> None:
    slide = prs.slides[2]
    box = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text == LONG_FINDING)
    assert box.text_frame.word_wrap is True
    paragraph = box.text_frame.paragraphs[0]
    assert Pt(14) <= paragraph.runs[0].font.size <= Pt(18)
    assert paragraph.alignment == PP_ALIGN.LEFT  # wrapped lines read from the left
    assert box.top + box.height <= prs.slide_height


def test_every_run_carries_the_east_asian_font(deck_path: Path) -> None:
    runs = 0
    for root in slide_xml(deck_path):
        for run in root.iter(f"{A}r"):
            if not run.findtext(f"{A}t"):
                continue
            runs += 1
            properties = run.find(f"{A}rPr")
            assert properties is not None
            assert properties.find(f"{A}ea").get("typeface") == "微软雅黑"
            assert properties.find(f"{A}latin").get("typeface") == "微软雅黑"
            # Schema order: latin before ea.
            children = [etree.QName(child).localname for child in properties]
            assert children.index("latin") < children.index("ea")
    assert runs > 20


def test_list_groups_with_bullets_none_and_continuation(prs: PresentationType) -> None:
    first, second = prs.slides[3], prs.slides[4]
    body_first = [t for t in texts(first) if t != "需关注"]
    body_second = [t for t in texts(second) if t != "需关注（续）"]
    lines_first = body_first[0].split("\n")
    lines_second = body_second[0].split("\n")
    assert lines_first[0] == "作业未达标教师"
    assert 12 <= len(lines_first) <= 16  # about 14 lines on a slide
    # Every teacher appears once, in order, across the two slides.
    items = [line for line in lines_first + lines_second if line.startswith("教师")]
    assert items == SLOW_TEACHERS
    # The group continues under "…（续）"; the empty group says 无.
    assert lines_second[0] == "作业未达标教师（续）"
    after = lines_second[lines_second.index("未听课教师") + 1]
    assert after == "无"


def test_group_headings_are_bold_and_items_are_bulleted(deck_path: Path) -> None:
    root = slide_xml(deck_path)[3]
    for paragraph in root.iter(f"{A}p"):
        text = "".join(paragraph.itertext())
        if text == "作业未达标教师":
            assert paragraph.find(f"{A}r/{A}rPr").get("b") == "1"
        elif text.startswith("教师"):
            assert paragraph.find(f"{A}pPr/{A}buChar") is not None


def test_user_text_stays_literal(prs: PresentationType, deck_path: Path) -> None:
    lines = texts(prs.slides[4])[1].split("\n")
    assert FORMULA in lines
    assert "换行 与控制字符" in lines  # newline → space, control character dropped
    with zipfile.ZipFile(deck_path) as archive:
        for name in archive.namelist():
            if name.startswith("ppt/slides/"):
                assert b"hlinkClick" not in archive.read(name)


def test_default_date_is_today(tmp_path: Path) -> None:
    path = Deck("标题").save(tmp_path / "deck.pptx")
    props = Presentation(str(path)).core_properties
    assert props.created.date() == dt.date.today()
    assert len(Presentation(str(path)).slides) == 1


def test_empty_list_slide_and_save_into_new_folder(tmp_path: Path) -> None:
    deck = Deck("标题")
    deck.list_slide("需关注", [("作业未达标教师", [])])
    path = deck.save(tmp_path / "新文件夹" / "deck.pptx")
    slides = Presentation(str(path)).slides
    assert len(slides) == 2
    assert texts(slides[1]) == ["需关注", "作业未达标教师\n无"]


def test_many_small_groups_fit_each_slide_and_keep_headings_with_items(tmp_path: Path) -> None:
    deck = Deck("标题")
    deck.list_slide("需关注", [(f"第{i}组", [f"第{i}组的一项"]) for i in range(12)])
    path = deck.save(tmp_path / "deck.pptx")
    prs = Presentation(str(path))
    assert len(prs.slides) > 2
    seen = []
    for slide, root in zip(list(prs.slides)[1:], slide_xml(path)[1:], strict=True):
        body = max(
            (s for s in slide.shapes if s.has_text_frame), key=lambda s: len(s.text_frame.text)
        )
        assert body.top + body.height <= prs.slide_height
        height = 0.0
        for paragraph in body.text_frame.paragraphs:
            gap = paragraph.space_before.pt if paragraph.space_before is not None else 0.0
            height += paragraph.runs[0].font.size.pt * LINE_FACTOR + gap
        assert height <= LIST_HEIGHT.pt
        lines = body.text_frame.text.split("\n")
        assert lines[-1].endswith("的一项")  # a sub-heading never ends a slide
        seen += [line for line in lines if line.endswith("的一项")]
        # Accent rules carry no theme style (its effect reference would draw a shadow).
        assert root.find(f".//{P}style") is None
    assert seen == [f"第{i}组的一项" for i in range(12)]
