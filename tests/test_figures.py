"""PNG charts: size, determinism, Chinese fonts, class colours, labels and axes read back."""

from __future__ import annotations

import io
import itertools
import math
import warnings
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

from toolkit.render.documents import figures
from toolkit.render.documents.figures import (
    GRADE_COLOUR,
    NoCJKFontWarning,
    bar_chart,
    cjk_font,
    class_colours,
    line_chart,
    save_png,
)
from toolkit.render.xlsx.charts import PALETTE


def _axes(figure: Figure) -> Axes:
    assert len(figure.axes) == 1
    return figure.axes[0]


def _faces(figure: Figure) -> list[str]:
    return [to_hex(patch.get_facecolor()) for patch in _axes(figure).patches]


def _texts(figure: Figure) -> list[str]:
    return [text.get_text() for text in _axes(figure).texts]


def _bar_centres(figure: Figure) -> list[float]:
    return [patch.get_x() + patch.get_width() / 2 for patch in _axes(figure).patches]


def _sample() -> Figure:
    return bar_chart(
        ["语文", "数学", "英语"],
        {"四(1)班": [0.92, 0.81, 0.77], "四(2)班": [0.88, None, 0.69], "全年级": [0.9, 0.8, 0.73]},
        title="四年级各科及格率",
        y_label="及格率",
        percent=True,
        reference={"区均 80%": 0.8},
    )


@pytest.fixture
def no_font_cache() -> Iterator[None]:
    """Tests that change FALLBACK_FONTS must not leave a cached answer for the other tests."""
    cjk_font.cache_clear()
    yield
    cjk_font.cache_clear()


# --- files ------------------------------------------------------------------------------


def test_png_fills_the_slide_box_not_blank_and_byte_identical(tmp_path: Path) -> None:
    first = save_png(_sample(), tmp_path / "a.png")
    second = save_png(_sample(), tmp_path / "sub" / "b.png")  # rebuilt from the same input
    assert first == tmp_path / "a.png"
    assert second == tmp_path / "sub" / "b.png"
    assert first.read_bytes() == second.read_bytes()
    # The Software chunk names us (our output, toolkit/ownership.py), never a matplotlib version.
    assert b"Software\x00xueqing" in first.read_bytes()
    assert b"matplotlib" not in first.read_bytes().lower()
    assert not [p for p in tmp_path.rglob(".*")]  # no temporary file left behind

    with Image.open(first) as image:
        assert image.size == (1800, 735)  # the slide's picture box (12 × 4.9 in) at 150 dpi
        pixels = np.asarray(image.convert("RGB"))
    distinct = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(distinct) > 100  # text antialiasing + bars + grid, not a flat image
    assert pixels.std() > 20
    # White background: the corners are white, and much of the picture is not.
    assert tuple(pixels[0, 0]) == (255, 255, 255)
    assert (pixels.sum(axis=2) < 600).mean() > 0.05


def test_saving_twice_overwrites_with_the_same_bytes(tmp_path: Path) -> None:
    figure = _sample()
    target = tmp_path / "chart.png"
    save_png(figure, target)
    once = target.read_bytes()
    save_png(figure, target)
    assert target.read_bytes() == once


def test_drawing_leaves_global_rc_params_alone(tmp_path: Path) -> None:
    before = dict(matplotlib.rcParams)
    save_png(_sample(), tmp_path / "x.png")
    assert dict(matplotlib.rcParams) == before


# --- fonts ------------------------------------------------------------------------------


def test_chinese_renders_with_a_real_cjk_font() -> None:
    family = cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (e.g. apt install fonts-noto-cjk)")
    with warnings.catch_warnings():
        # A missing glyph is a UserWarning "Glyph … missing from font(s)"; make it fail the test.
        warnings.simplefilter("error")
        figure = bar_chart(
            ["张老师 语文", "李老师 数学"],
            {"平均分变化": [2.1, -1.5]},
            title="各任课教师平均分变化",
            y_label="分数",
            signed=True,
            reference={"年级平均 +0.30": 0.3},
        )
        figure.savefig(io.BytesIO(), format="png")
        line = line_chart(["期中", "期末"], {"四(1)班": [80, 81], "全年级": [79, 82]}, title="趋势")
        line.savefig(io.BytesIO(), format="png")
    axes = _axes(figure)
    assert axes.get_xticklabels()[0].get_fontfamily() == [family]
    assert axes.yaxis.label.get_fontfamily() == [family]
    assert all(text.get_fontfamily() == [family] for text in axes.texts)


def test_no_cjk_font_warns_once_in_chinese_and_still_draws(
    monkeypatch: pytest.MonkeyPatch, no_font_cache: None, tmp_path: Path
) -> None:
    monkeypatch.setattr(figures, "FALLBACK_FONTS", ("No Such Font 甲", "No Such Font 乙"))
    with pytest.warns(NoCJKFontWarning) as record:
        figure = bar_chart(["A", "B"], {"s": [1.0, 2.0]}, title="Scores", y_label="points")
        assert cjk_font() is None
    ours = [w for w in record if issubclass(w.category, NoCJKFontWarning)]
    assert len(ours) == 1
    assert "中文字体" in str(ours[0].message)
    assert "fonts-noto-cjk" in str(ours[0].message)

    path = save_png(figure, tmp_path / "plain.png")
    with Image.open(path) as image:
        assert image.size == (1800, 735)  # the slide's picture box (12 × 4.9 in) at 150 dpi
    assert _texts(figure) == ["1", "2"]


# --- class colours ----------------------------------------------------------------------


def test_class_colours_follow_the_class_number() -> None:
    labels = ["四(3)班", "3班", "4(3)班", "四年级3班", "(3)", "四(1)班", "四(12)班", "四(13)班"]
    colours = class_colours(labels)
    three = PALETTE[2]
    assert {colours[label] for label in labels[:5]} == {three}
    assert colours["四(1)班"] == PALETTE[0]
    assert colours["四(12)班"] == PALETTE[11]
    assert colours["四(13)班"] == PALETTE[0]  # wraps around the 12-colour palette
    assert colours["四(1)班"] != three


def test_grade_and_school_rows_are_dark_grey() -> None:
    colours = class_colours(["全年级", "全校", "四年级", "四(2)班"])
    assert colours["全年级"] == colours["全校"] == colours["四年级"] == GRADE_COLOUR
    assert colours["四(2)班"] == PALETTE[1]


def test_other_labels_take_the_colours_classes_left_free() -> None:
    colours = class_colours(["四(1)班", "语文", "数学", "四(2)班", "语文"])
    assert colours == {
        "四(1)班": PALETTE[0],
        "四(2)班": PALETTE[1],
        "语文": PALETTE[2],
        "数学": PALETTE[3],
    }
    assert class_colours(["语文", "数学"]) == {"语文": PALETTE[0], "数学": PALETTE[1]}


# --- bars -------------------------------------------------------------------------------


def test_single_series_bars_coloured_by_class() -> None:
    classes = ["四(1)班", "四(3)班", "全年级"]
    figure = bar_chart(
        classes,
        {"平均分": [80.5, 82.25, 81.0]},
        title="平均分",
        category_colours=class_colours(classes),
    )
    assert _faces(figure) == [PALETTE[0].lower(), PALETTE[2].lower(), GRADE_COLOUR.lower()]
    assert [patch.get_height() for patch in _axes(figure).patches] == [80.5, 82.25, 81.0]
    assert figure.legends == []  # one series: no legend


def test_grouped_bars_use_series_colours_and_explicit_overrides() -> None:
    figure = bar_chart(
        ["语文", "数学"],
        {"四(2)班": [80, 90], "全年级": [85, 88], "区": [70, 75]},
        title="平均分",
        colours={"区": "#123456"},
    )
    p2, grade = PALETTE[1].lower(), GRADE_COLOUR.lower()
    assert _faces(figure) == [p2, p2, grade, grade, "#123456", "#123456"]
    # Three bars share each 0.8-wide slot, centred on the category.
    centres = _bar_centres(figure)
    assert centres[0::2] == pytest.approx([-0.8 / 3, 0.0, 0.8 / 3])
    assert centres[1::2] == pytest.approx([1 - 0.8 / 3, 1.0, 1 + 0.8 / 3])
    (legend,) = figure.legends
    assert [text.get_text() for text in legend.get_texts()] == ["四(2)班", "全年级", "区"]


def test_percent_labels_and_axis() -> None:
    values = [0.886, 0.5, 1.0]
    figure = bar_chart(["甲", "乙", "丙"], {"及格率": values}, title="及格率", percent=True)
    assert _texts(figure) == [f"{v * 100:.1f}%" for v in values] == ["88.6%", "50.0%", "100.0%"]
    axes = _axes(figure)
    assert axes.get_ylim() == (0.0, 1.0)
    figure.canvas.draw()
    ticks = [label.get_text() for label in axes.get_yticklabels()]
    assert ticks and all(tick.endswith("%") for tick in ticks)
    assert "100%" in ticks and "0%" in ticks


def test_percent_axis_respects_y_max_and_horizontal() -> None:
    figure = bar_chart(["甲", "乙"], {"s": [0.2, 0.3]}, title="t", percent=True, y_max=0.5)
    assert _axes(figure).get_ylim() == (0.0, 0.5)
    figure = bar_chart(["甲", "乙"], {"s": [0.2, 0.3]}, title="t", percent=True, horizontal=True)
    axes = _axes(figure)
    assert axes.get_xlim() == (0.0, 1.0)
    figure.canvas.draw()
    assert all(label.get_text().endswith("%") for label in axes.get_xticklabels())


def test_signed_labels_zero_line_and_both_signs_visible() -> None:
    figure = bar_chart(["甲", "乙", "丙"], {"变化": [2.1, -1.5, 0.0]}, title="变化", signed=True)
    assert _texts(figure) == ["+2.10", "-1.50", "0.00"]
    axes = _axes(figure)
    low, high = axes.get_ylim()
    assert low < -1.5 and high > 2.1
    assert low == pytest.approx(-high)
    zero_lines = [
        line
        for line in axes.lines
        if list(line.get_ydata()) == [0, 0] and line.get_linestyle() == "-"
    ]
    assert len(zero_lines) == 1

    rises = bar_chart(["甲", "乙"], {"变化": [0.042, 0.01]}, title="t", signed=True, percent=True)
    assert _texts(rises) == ["+4.2%", "+1.0%"]
    assert _axes(rises).get_ylim()[0] < 0  # room below zero even with only rises


def test_counts_are_shown_without_decimals() -> None:
    figure = bar_chart(["优秀", "良好", "合格"], {"人数": [5, 12.0, 0]}, title="人数")
    assert _texts(figure) == ["5", "12", "0"]
    mixed = bar_chart(["a", "b"], {"s": [5, 2.5]}, title="t")
    assert _texts(mixed) == ["5.00", "2.50"]


def test_missing_values_leave_a_gap_not_a_zero_bar() -> None:
    for missing in (None, float("nan")):
        figure = bar_chart(
            ["甲", "乙", "丙"], {"及格率": [0.9, missing, 0.7]}, title="t", percent=True
        )
        heights = [patch.get_height() for patch in _axes(figure).patches]
        assert heights == [0.9, 0.7]
        assert _bar_centres(figure) == [0.0, 2.0]
        assert _texts(figure) == ["90.0%", "70.0%"]


def test_stacked_segments_sit_on_each_other() -> None:
    figure = bar_chart(
        ["四(1)班", "四(2)班"],
        {"优秀": [10, 12], "良好": [15, None], "合格": [8, 6]},
        title="等级",
        stacked=True,
    )
    patches = _axes(figure).patches
    bottoms = [(patch.get_x() + patch.get_width() / 2, patch.get_y()) for patch in patches]
    # 四(1)班: 0, 10, 25; 四(2)班: 0, (no 良好), 12.
    assert bottoms == [(0, 0), (1, 0), (0, 10), (0, 25), (1, 12)]
    assert _texts(figure) == ["10", "12", "15", "8", "6"]
    assert _axes(figure).get_ylim()[1] > 33


def test_reference_line_is_dashed_and_labelled() -> None:
    figure = bar_chart(
        ["四(1)班", "四(2)班"],
        {"平均分": [80.0, 85.0]},
        title="t",
        reference={"年级平均 82.30": 82.3},
    )
    axes = _axes(figure)
    dashed = [line for line in axes.lines if line.get_linestyle() == "--"]
    assert [list(line.get_ydata()) for line in dashed] == [[82.3, 82.3]]
    assert "年级平均 82.30" in _texts(figure)
    assert axes.get_ylim()[1] > 85.0


def test_value_labels_can_be_switched_off() -> None:
    figure = bar_chart(["a", "b"], {"s": [1.5, 2.5]}, title="t", value_labels=False)
    assert _texts(figure) == []


def test_horizontal_lists_categories_top_to_bottom() -> None:
    points = ["一元一次方程的应用题", "分数乘除混合运算", "圆的面积"]
    figure = bar_chart(
        points, {"得分率": [0.62, 0.88, 0.95]}, title="t", percent=True, horizontal=True
    )
    axes = _axes(figure)
    figure.canvas.draw()
    labels = sorted(axes.get_yticklabels(), key=lambda label: -label.get_window_extent().y0)
    assert [label.get_text() for label in labels] == points  # highest on screen first
    assert [patch.get_width() for patch in axes.patches] == [0.62, 0.88, 0.95]


def test_many_classes_get_a_legend_below_in_several_columns() -> None:
    classes = [f"四({n})班" for n in range(1, 13)]
    subjects = ["语文", "数学", "英语", "科学"]
    figure = bar_chart(subjects, {name: [80, 85, 90, 75] for name in classes}, title="t")
    figure.canvas.draw()
    axes = _axes(figure)
    (legend,) = figure.legends
    box = legend.get_window_extent()
    ticks_bottom = min(label.get_window_extent().y0 for label in axes.get_xticklabels())
    assert box.y1 <= ticks_bottom  # below the plot and its labels, never over the bars
    assert sorted(text.get_text() for text in legend.get_texts()) == sorted(classes)
    # Several columns: the legend is much wider than tall.
    assert box.width > 3 * box.height


def test_long_labels_wrap_without_overlapping() -> None:
    names = [
        "张老师 语文",
        "王小明老师 英语",
        "钱多多老师 道德与法治",
        "李老师 数学",
        "赵老师 科学",
    ]
    figure = bar_chart(names, {"平均分": [80, 82, 84, 86, 88]}, title="t")
    figure.canvas.draw()
    labels = _axes(figure).get_xticklabels()
    assert [label.get_text().replace("\n", " ") for label in labels] == names
    assert "\n" in labels[2].get_text()
    boxes = [label.get_window_extent() for label in labels]
    for left, right in itertools.pairwise(boxes):
        assert left.x1 < right.x0


def test_too_many_long_labels_are_rotated_apart() -> None:
    names = ["张老师 语文", "王小明老师 英语", "钱多多老师 道德与法治", "李老师 数学"] * 3
    figure = bar_chart(names, {"平均分": list(np.linspace(60, 90, len(names)))}, title="t")
    figure.canvas.draw()
    labels = _axes(figure).get_xticklabels()
    assert [label.get_text() for label in labels] == names
    angle = labels[0].get_rotation()
    assert 0 < angle <= 90
    # Rotated labels are parallel strips: they clear each other when the distance between
    # neighbouring anchors, measured across the strips, exceeds one line of text.
    anchors = [label.get_window_extent().x1 for label in labels]
    line_px = labels[0].get_fontsize() * figure.dpi / 72 * 1.2
    for left, right in itertools.pairwise(anchors):
        assert (right - left) * math.sin(math.radians(angle)) > line_px


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        bar_chart(["a", "b", "c"], {"s": [1, 2]}, title="t")


# --- lines ------------------------------------------------------------------------------


def test_line_chart_breaks_at_gaps_and_uses_class_colours() -> None:
    figure = line_chart(
        ["第1次", "第2次", "第3次"],
        {"四(3)班": [0.8, None, 0.9], "全年级": [0.7, 0.75, 0.8]},
        title="及格率趋势",
        percent=True,
    )
    axes = _axes(figure)
    first, grade = axes.lines
    ys = list(first.get_ydata())
    assert ys[0] == 0.8 and math.isnan(ys[1]) and ys[2] == 0.9
    assert to_hex(first.get_color()) == PALETTE[2].lower()
    assert to_hex(grade.get_color()) == GRADE_COLOUR.lower()
    assert axes.get_ylim() == (0.0, 1.0)
    (legend,) = figure.legends
    assert [text.get_text() for text in legend.get_texts()] == ["四(3)班", "全年级"]
