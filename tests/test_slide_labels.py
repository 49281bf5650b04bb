"""Chart labels on a slide are readable from the back of a meeting room (issue 16): measured at
the size the picture is placed on the 16:9 slide, tick and legend labels are at least 14 pt and
numbers on bars at least 12 pt."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from toolkit.render.documents.figures import MIN_TICK_PT, MIN_VALUE_PT, bar_chart, save_png
from toolkit.render.documents.slides import Deck

CLASSES = [f"四({n})班" for n in range(1, 9)]  # a large grade: eight classes
SERIES = {
    subject: [70 + 2.5 * n + k for n in range(8)]
    for k, subject in enumerate(["语文", "数学", "英语"])
}


def placed_scale(png: Path, deck_path: Path) -> float:
    """Inches on the slide per inch of the figure, read back from the written deck."""
    picture = next(
        shape
        for slide in Presentation(str(deck_path)).slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    )
    with Image.open(png) as image:
        width_px = image.size[0]
    dpi = 150
    return Emu(picture.width).inches / (width_px / dpi)


@pytest.mark.parametrize("many", [False, True])
def test_labels_are_large_enough_where_the_slide_shows_them(tmp_path: Path, many: bool) -> None:
    categories = CLASSES * (2 if many else 1)
    series = {k: v * (2 if many else 1) for k, v in SERIES.items()}
    figure = bar_chart(categories, series, title="四年级各班各科平均分", y_label="平均分")
    png = save_png(figure, tmp_path / "chart.png")
    deck = Deck("四年级学情研判", "2026年5月")
    deck.chart_slide("各班各科平均分", png, "四(8)班平均分最高。")
    scale = placed_scale(png, deck.save(tmp_path / "研判.pptx"))

    axes = figure.axes[0]
    ticks = [t for t in (*axes.get_xticklabels(), *axes.get_yticklabels()) if t.get_text()]
    legend = [t for legend in figure.legends for t in legend.get_texts()]
    values = [t for t in axes.texts if t.get_text()]
    assert ticks and legend
    for text in (*ticks, *legend):
        assert text.get_fontsize() * scale >= MIN_TICK_PT, (text.get_text(), scale)
    for text in values:
        assert text.get_fontsize() * scale >= MIN_VALUE_PT, (text.get_text(), scale)
    if not many:
        assert len(values) == 24  # eight classes × three subjects fit their numbers
