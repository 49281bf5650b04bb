"""A pack's panels as PNG charts: the same table the workbook's native chart is drawn from,
drawn with matplotlib for slides and Word, classes in the same colour in every chart."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from toolkit.pack import wording as say
from toolkit.present import GRADE_LABEL, SCHOOL_LABEL

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from toolkit.pack.monthly import Panel

_ROLLUP = (GRADE_LABEL, SCHOOL_LABEL)


def panel_figure(panel: Panel) -> Figure:
    """The panel's chart. A one-series table of classes becomes one bar per class in its class
    colour with the 全年级 value as a reference line; a table whose columns are classes becomes
    groups of class bars (全年级 in grey)."""
    from toolkit.render.documents.figures import bar_chart, class_colours

    frame, spec = panel.frame, panel.chart
    first = frame.columns[0]
    names = list(spec.series) or [str(c) for c in frame.columns[1:]]
    body = frame[~frame[first].astype(str).isin(_ROLLUP)]
    rollup = frame[frame[first].astype(str).isin(_ROLLUP)]
    categories = [str(c) for c in body[first]]
    reference = None
    category_colours = None
    if panel.class_bars and len(names) == 1:
        category_colours = class_colours(categories)
        if len(rollup):
            value = float(rollup[names[0]].iloc[0])
            shown = say.rate(value) if spec.percent else say.score(value)
            reference = {f"{rollup[first].iloc[0]} {shown}": value}
    return bar_chart(
        categories,
        {name: _values(body[name]) for name in names},
        title=spec.title,
        y_label=spec.y_title,
        percent=spec.percent,
        signed=panel.signed,
        colours=panel.colours,
        category_colours=category_colours,
        horizontal=spec.kind == "bar",
        reference=reference,
        y_max=spec.y_max,
    )


def _values(column: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in column]


def write_panel_pngs(panels: Sequence[Panel], folder: Path, prefix: str) -> list[Path]:
    """``folder/{prefix}{n:02d}_{panel.name}.png`` for each panel, in order."""
    from toolkit.render.documents.figures import save_png

    paths = []
    for number, panel in enumerate(panels, start=1):
        path = folder / f"{prefix}{number:02d}_{panel.name}.png"
        paths.append(save_png(panel_figure(panel), path))
    return paths
