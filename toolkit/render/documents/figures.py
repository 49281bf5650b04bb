"""PNG charts (matplotlib) for slides and Word reports: large Chinese text, one colour per class.

Only the object API is used (``Figure`` + ``FigureCanvasAgg``), never pyplot, so drawing keeps no
global state and is safe to call from a web server. Every text gets its font explicitly and tick
labels are formatted here (ASCII "-", so no ``axes.unicode_minus`` rc is needed), so nothing
depends on rcParams at save time. Figures come back laid out and frozen at 2000×1125 px.
"""

from __future__ import annotations

import functools
import math
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from toolkit.base.classnames import ClassId, find_class, parse_class_cell
from toolkit.base.ownership import MARK
from toolkit.render.output import write_atomically
from toolkit.render.xlsx.charts import PALETTE

FALLBACK_FONTS = (
    "Microsoft YaHei", "SimHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
)  # fmt: skip
GRADE_COLOUR = "#404040"  # 全年级 / 全校 / 年级 bars
# The size of the picture box on a 16:9 slide (documents/slides.py: the content width under
# the heading), so a slide shows the chart at its own size and the point sizes below are the
# sizes seen on the screen; 1800×735 px at 150 dpi. Word shows the same PNG at its text width.
SIZE_INCHES = (12.0, 4.9)
DPI = 150

# Point sizes as projected, for a 16:9 screen seen from the back of a meeting room: tick and
# legend labels at least MIN_TICK_PT, numbers on bars at least MIN_VALUE_PT. Where bars are too
# narrow for numbers that large, the numbers are left off (the value axis still reads them).
MIN_TICK_PT = 14
MIN_VALUE_PT = 12
_TITLE_SIZE = 22
_LABEL_SIZE = 17
_TICK_SIZE = 16
_VALUE_SIZE = 14
_LEGEND_SIZE = 16
_MIN_SIZE = MIN_TICK_PT

_TEXT_COLOUR = "#262626"
_GRID_COLOUR = "#D9D9D9"
_ZERO_COLOUR = "#404040"
_REFERENCE_COLOURS = ("#C00000", "#7030A0", "#00B050", "#0070C0")

# Rough plot-area size in points, used to decide wrapping/rotation before layout is known.
_AXES_WIDTH_PT = 0.85 * SIZE_INCHES[0] * 72
_AXES_HEIGHT_PT = 0.6 * SIZE_INCHES[1] * 72

# Rows that stand for a whole grade or school rather than one class.
_WHOLE_WORDS = ("全年级", "全校", "年级", "全级", "全区", "全体", "合计", "总计", "总体")


class NoCJKFontWarning(UserWarning):
    """No Chinese font is installed, so Chinese text will show as boxes."""


@functools.cache
def cjk_font() -> str | None:
    """First installed family of FALLBACK_FONTS, cached; warns once and returns None if none."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in FALLBACK_FONTS:
        if family in installed:
            return family
    warnings.warn(
        "未找到中文字体，图中的中文会显示为方框。请安装微软雅黑或 Noto Sans CJK"
        "（Debian: fonts-noto-cjk）。",
        NoCJKFontWarning,
        stacklevel=2,
    )
    return None


def _font() -> dict[str, Any]:
    """``fontfamily`` for a Text; left out without a CJK font so matplotlib's default applies."""
    family = cjk_font()
    return {"fontfamily": family} if family else {}


def _parse_class(label: str) -> ClassId | None:
    return parse_class_cell(label) or find_class(label)


def class_colours(labels: Sequence[str]) -> dict[str, str]:
    """A colour per class label, the same for the same class number in every chart of a pack."""
    result: dict[str, str] = {}
    others: list[str] = []
    for label in labels:
        if label in result or label in others:
            continue
        parsed = _parse_class(label)
        if parsed is not None and parsed.number:
            result[label] = PALETTE[(parsed.number - 1) % len(PALETTE)]
        elif (parsed is not None and parsed.grade is not None) or any(
            word in label for word in _WHOLE_WORDS
        ):
            result[label] = GRADE_COLOUR
        else:
            others.append(label)
    # Unnumbered series take the colours the classes left free, so they never look like a class.
    used = set(result.values())
    free = [colour for colour in PALETTE if colour not in used] or list(PALETTE)
    for index, label in enumerate(others):
        result[label] = free[index % len(free)]
    return result


def _clean(values: Sequence[Any]) -> list[float | None]:
    """Numbers as floats; None, NaN, pandas NA and text become None (a gap, never 0)."""
    cleaned: list[float | None] = []
    for value in values:
        try:
            number = float(value)
        except (TypeError, ValueError):
            cleaned.append(None)
            continue
        cleaned.append(number if math.isfinite(number) else None)
    return cleaned


def _em(text: str) -> float:
    """Width of one line of text in ems: CJK characters are one em, Latin/digits about 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6 for char in text)


def _wrap(text: str, width: float) -> str:
    """Break text into lines of at most ``width`` ems, preferring spaces and separators."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line.strip() and _em((line + char).strip()) > width:
            cut = max(line.rfind(mark) for mark in " /、·-")
            if cut > 0:
                lines.append(line[: cut + 1].strip())
                line = line[cut + 1 :].lstrip()
            else:
                lines.append(line.strip())
                line = ""
        line += char
    lines.append(line.strip())
    return "\n".join(part for part in lines if part)


def _trim(number: float, decimals: int = 2) -> str:
    """A tick number without trailing zeros: 80, 82.5, -1."""
    text = f"{number:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _tick_formatter(percent: bool) -> FuncFormatter:
    # Formatting ticks here writes an ASCII "-", which every CJK font has (no unicode_minus rc).
    if percent:
        return FuncFormatter(lambda value, _: _trim(value * 100, 1) + "%")
    return FuncFormatter(lambda value, _: _trim(value))


def _value_text(value: float, *, percent: bool, signed: bool, whole: bool) -> str:
    """The label on a bar: "88.6%", "+2.10", "-1.50", "+4.2%", or "5" for counts."""
    if percent:
        number, decimals, suffix = value * 100, 1, "%"
    else:
        number, decimals, suffix = value, 0 if whole else 2, ""
    text = f"{number:.{decimals}f}"
    if float(text) == 0:
        text = f"{0:.{decimals}f}"  # no "-0.00" or "+0.0%"
    elif signed and number > 0:
        text = "+" + text
    return text + suffix


def _new_figure(title: str) -> tuple[Figure, Axes]:
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, facecolor="white", layout="constrained")
    FigureCanvasAgg(figure)
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.set(w_pad=0.15, h_pad=0.12)  # inches: a margin so nothing touches the slide edge
    axes = figure.add_subplot()
    axes.set_facecolor("white")
    # A suptitle, not an axes title: constrained layout keeps it above labels that overflow.
    figure.suptitle(title, fontsize=_TITLE_SIZE, fontweight="bold", color=_TEXT_COLOUR, **_font())
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color("#808080")
    axes.tick_params(labelsize=_TICK_SIZE, colors=_TEXT_COLOUR, **_tick_font())
    axes.set_axisbelow(True)
    return figure, axes


def _finish(figure: Figure) -> Figure:
    """Lay the figure out now and keep that layout, so every save gives the same bytes."""
    # Constrained layout moves the plot by a hair on each draw (labels outside the axes depend on
    # its width); a second pass settles it, and freezing it makes repeated saves identical.
    figure.draw_without_rendering()
    figure.draw_without_rendering()
    figure.set_layout_engine("none")
    return figure


def _tick_font() -> dict[str, Any]:
    """The same font for tick labels, including ticks created later at draw time."""
    family = cjk_font()
    return {"labelfontfamily": family} if family else {}


def _legend(figure: Figure, handles: list[Any], labels: list[str]) -> None:
    """Legend below the plot, in as many columns as fit, so it never covers bars."""
    if len(labels) < 2:
        return
    column_pt = (max(_em(label) for label in labels) + 3.5) * _LEGEND_SIZE
    columns = max(1, min(len(labels), int(SIZE_INCHES[0] * 72 * 0.9 // column_pt)))
    rows = math.ceil(len(labels) / columns)
    columns = math.ceil(len(labels) / rows)  # balance the rows
    # matplotlib fills a legend column by column; reorder so it reads left to right, row by row.
    order = [i for column in range(columns) for i in range(column, len(labels), columns)]
    font = FontProperties(family=cjk_font(), size=_LEGEND_SIZE)
    figure.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="outside lower center",
        ncols=columns,
        prop=font,
        frameon=False,
        handlelength=1.6,
        columnspacing=1.6,
        labelcolor=_TEXT_COLOUR,
    )


def _category_axis(axes: Axes, categories: Sequence[str], *, horizontal: bool) -> None:
    """Category ticks that do not overlap: wrapped, else rotated, else smaller."""
    positions = np.arange(len(categories))
    labels = [str(category) for category in categories]
    if horizontal:
        slot_pt = _AXES_HEIGHT_PT / max(len(labels), 1)
        size = min(_TICK_SIZE, max(_MIN_SIZE, slot_pt * 0.8))
        axes.set_yticks(positions, [_wrap(label, 14) for label in labels], fontsize=size)
        axes.set_ylim(max(len(labels), 1) - 0.5, -0.5)  # first category at the top
        axes.tick_params(axis="y", length=0)
        return
    slot_pt = _AXES_WIDTH_PT / max(len(labels), 1)
    wrapped = [_wrap(label, max(slot_pt * 0.92 / _TICK_SIZE, 1.0)) for label in labels]
    if max((text.count("\n") + 1 for text in wrapped), default=1) <= 3:
        axes.set_xticks(positions, wrapped)
    elif slot_pt * 0.5 >= _TICK_SIZE * 1.3:
        axes.set_xticks(positions, labels, rotation=30, ha="right", rotation_mode="anchor")
    else:
        size = min(_TICK_SIZE, max(_MIN_SIZE, slot_pt * 0.8))
        axes.set_xticks(positions, labels, rotation=90, fontsize=size)
    axes.set_xlim(-0.5, max(len(labels), 1) - 0.5)
    axes.tick_params(axis="x", length=0)


def _value_limits(
    extents: list[float], *, percent: bool, signed: bool, y_max: float | None, headroom: float
) -> tuple[float, float]:
    """Value-axis range: from 0 (bars start there), fixed for percent, symmetric when signed."""
    low = min(extents, default=0.0)
    high = max(extents, default=0.0)
    if signed:
        # Symmetric, so a chart of only rises still shows where a fall would go.
        reach = max(abs(low), abs(high)) * headroom or (0.05 if percent else 1.0)
        reach = y_max if y_max is not None else reach
        return -reach, reach
    bottom = min(0.0, low * headroom)
    if y_max is not None:
        return bottom, y_max
    if percent:
        return bottom, 1.0
    return bottom, (high * headroom if high > 0 else 1.0)


def _label_size(bar_pt: float, texts: list[str], *, horizontal: bool) -> tuple[float, int]:
    """Font size and rotation of value labels so neighbouring labels do not collide (a size
    under MIN_VALUE_PT means they do not fit at a readable size)."""
    if horizontal:
        return min(_VALUE_SIZE, bar_pt * 0.85), 0
    widest = max((_em(text) for text in texts), default=0.0) * _VALUE_SIZE
    if widest <= bar_pt * 1.1:
        return _VALUE_SIZE, 0
    return min(_VALUE_SIZE, bar_pt * 0.75), 90


def _readable_on(colour: str) -> str:
    """White text on dark segments, dark text on light ones."""
    red, green, blue = to_rgb(colour)
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.6 else _TEXT_COLOUR


def _references(
    axes: Axes,
    reference: Mapping[str, float],
    limits: tuple[float, float],
    *,
    horizontal: bool,
) -> None:
    """Dashed lines with their label just outside the plot, nudged apart when values are close."""
    low, high = limits
    span = (high - low) or 1.0
    items = sorted(reference.items(), key=lambda item: item[1])
    gap_pt = _AXES_WIDTH_PT if horizontal else _AXES_HEIGHT_PT
    previous: float | None = None
    previous_half = 0.0
    for index, (label, value) in enumerate(items):
        colour = _REFERENCE_COLOURS[index % len(_REFERENCE_COLOURS)]
        # Above the bars (2) but below value labels (3), so numbers stay readable.
        style = {"color": colour, "linestyle": "--", "linewidth": 2, "zorder": 2.5}
        spot = (value - low) / span
        # The plot may be narrower than estimated (long labels beside it), so leave extra room.
        half = (_em(label) * _VALUE_SIZE * 0.6 if horizontal else _VALUE_SIZE * 0.8) / gap_pt
        if previous is not None:
            spot = max(spot, previous + previous_half + half + 0.01)
        previous, previous_half = spot, half
        text = {"fontsize": _VALUE_SIZE, "color": colour, "transform": axes.transAxes, **_font()}
        if horizontal:
            axes.axvline(value, **style)
            axes.text(spot, 1.01, label, ha="center", va="bottom", **text)
        else:
            axes.axhline(value, **style)
            axes.text(1.01, spot, label, ha="left", va="center", **text)


def bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    y_label: str = "",
    percent: bool = False,
    signed: bool = False,
    colours: Mapping[str, str] | None = None,
    category_colours: Mapping[str, str] | None = None,
    stacked: bool = False,
    horizontal: bool = False,
    reference: Mapping[str, float] | None = None,
    y_max: float | None = None,
    value_labels: bool = True,
) -> Figure:
    """Grouped (or stacked) bars, one group per category; None/NaN values leave a gap."""
    names = list(series)
    data = {name: _clean(values) for name, values in series.items()}
    for name, values in data.items():
        if len(values) != len(categories):
            raise ValueError(
                f"series {name!r} has {len(values)} values for {len(categories)} categories"
            )
    colour_of = {**class_colours(names), **(colours or {})}
    finite = [value for values in data.values() for value in values if value is not None]
    whole = bool(finite) and all(value.is_integer() for value in finite)

    count = len(categories)
    slot = 0.8
    width = slot if stacked or len(names) <= 1 else slot / len(names)
    positions = np.arange(count, dtype=float)
    above = np.zeros(count)  # stacked: running tops of positive and negative segments
    below = np.zeros(count)

    figure, axes = _new_figure(title)
    draw = axes.barh if horizontal else axes.bar
    drawn: list[tuple[BarContainer, list[float]]] = []
    for index, name in enumerate(names):
        kept = [i for i, value in enumerate(data[name]) if value is not None]
        heights = np.array([data[name][i] for i in kept], dtype=float)
        if stacked:
            base = np.where(heights >= 0, above[kept], below[kept])
            where = positions[kept]
            above[kept] += np.where(heights >= 0, heights, 0)
            below[kept] += np.where(heights < 0, heights, 0)
        else:
            base = np.zeros(len(kept))
            where = positions[kept] + (index - (len(names) - 1) / 2) * width
        colour = colour_of[name]
        faces: str | list[str] = colour
        if len(names) == 1 and category_colours:
            faces = [category_colours.get(categories[i], colour) for i in kept]
        container = draw(
            where,
            heights,
            width,
            base,
            color=faces,
            edgecolor="white",
            linewidth=0.8,
            zorder=2,
        )
        drawn.append((container, list(heights)))

    # Stacked bars reach their totals, not their segments; reference lines must stay in view.
    extents = [*([*above, *below] if stacked else finite), *(reference or {}).values()]
    bar_pt = width * (_AXES_HEIGHT_PT if horizontal else _AXES_WIDTH_PT) / max(count, 1)
    texts_of = [
        [_value_text(v, percent=percent, signed=signed, whole=whole) for v in heights]
        for _, heights in drawn
    ]
    size, rotation = _label_size(
        bar_pt, [text for texts in texts_of for text in texts], horizontal=horizontal
    )
    if size < MIN_VALUE_PT:  # numbers too small to read from the back of the room: none
        value_labels = False
    headroom = 1.3 if rotation else 1.15
    limits = _value_limits(extents, percent=percent, signed=signed, y_max=y_max, headroom=headroom)

    # Where a reference line runs through a number, a light box keeps the number readable; not
    # for rotated labels, whose box would hide the top of a neighbouring taller bar.
    label_box: dict[str, Any] = {}
    if reference and not stacked and not rotation:
        label_box["bbox"] = {"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1}
    if value_labels:
        for (container, heights), texts in zip(drawn, texts_of, strict=True):
            if stacked:
                # Inside each segment; segments too thin to hold a number stay unlabelled.
                small = 0.04 * (limits[1] - limits[0])
                texts = [
                    text if abs(h) >= small else "" for text, h in zip(texts, heights, strict=True)
                ]
            annotations = axes.bar_label(
                container,
                labels=texts,
                label_type="center" if stacked else "edge",
                padding=0 if stacked else 3,
                fontsize=size,
                rotation=rotation,
                color=_TEXT_COLOUR,
                **_font(),
                **label_box,
            )
            for annotation, patch in zip(annotations, container.patches, strict=True):
                if not annotation.get_text():
                    annotation.remove()
                elif stacked:
                    annotation.set_color(_readable_on(patch.get_facecolor()))

    _category_axis(axes, categories, horizontal=horizontal)
    value_axis = axes.xaxis if horizontal else axes.yaxis
    (axes.set_xlim if horizontal else axes.set_ylim)(*limits)
    value_axis.set_major_formatter(_tick_formatter(percent))
    if whole and not percent:
        value_axis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x" if horizontal else "y", color=_GRID_COLOUR, linewidth=1)
    label_text = {"fontsize": _LABEL_SIZE, "color": _TEXT_COLOUR, **_font()}
    if y_label:
        (axes.set_xlabel if horizontal else axes.set_ylabel)(y_label, **label_text)
    if signed:
        zero = {"color": _ZERO_COLOUR, "linewidth": 1.5, "linestyle": "-", "zorder": 3}
        (axes.axvline if horizontal else axes.axhline)(0, **zero)
    if reference:
        _references(axes, reference, limits, horizontal=horizontal)
    _legend(figure, [Patch(facecolor=colour_of[name]) for name in names], names)
    return _finish(figure)


def line_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    y_label: str = "",
    percent: bool = False,
    colours: Mapping[str, str] | None = None,
) -> Figure:
    """One line per series across the categories; None/NaN values break the line."""
    names = list(series)
    colour_of = {**class_colours(names), **(colours or {})}
    figure, axes = _new_figure(title)
    positions = np.arange(len(categories))
    handles: list[Any] = []
    finite: list[float] = []
    for name, values in series.items():
        cleaned = _clean(values)
        if len(cleaned) != len(categories):
            raise ValueError(
                f"series {name!r} has {len(cleaned)} values for {len(categories)} categories"
            )
        finite += [value for value in cleaned if value is not None]
        # NaN makes matplotlib break the line; a lone point between gaps still shows its marker.
        ys = np.array([np.nan if value is None else value for value in cleaned], dtype=float)
        axes.plot(
            positions,
            ys,
            color=colour_of[name],
            linewidth=3,
            marker="o",
            markersize=8,
            zorder=3,
        )
        handles.append(Line2D([], [], color=colour_of[name], linewidth=3, marker="o"))
    _category_axis(axes, categories, horizontal=False)
    axes.yaxis.set_major_formatter(_tick_formatter(percent))
    if percent:
        axes.set_ylim(0, 1)
    else:
        axes.margins(y=0.1)
        if finite and all(value.is_integer() for value in finite):
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", color=_GRID_COLOUR, linewidth=1)
    if y_label:
        axes.set_ylabel(y_label, fontsize=_LABEL_SIZE, color=_TEXT_COLOUR, **_font())
    _legend(figure, handles, names)
    return _finish(figure)


def save_png(figure: Figure, path: Path) -> Path:
    """Write the figure as PNG atomically, with identical bytes for the same figure every run."""

    def write(temporary: Path) -> None:
        # "Software" names us, not the matplotlib version (which would change the bytes), and
        # marks the chart as ours to replace on the next run (toolkit/ownership.py).
        figure.savefig(temporary, format="png", dpi=DPI, metadata={"Software": MARK})

    return write_atomically(path, write)
