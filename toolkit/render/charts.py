"""Native Excel charts (editable by users), styled once for every report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.render.styles import FONT

# A colour per series, the same order in every chart so a subject/class keeps its colour.
PALETTE = (
    "#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47",
    "#264478", "#9E480E", "#636363", "#997300", "#255E91", "#43682B",
)  # fmt: skip


@dataclass(frozen=True)
class Series:
    """One series: its name cell and its values, as (row, col) ranges on ``sheet``."""

    name_cell: tuple[int, int]
    values: tuple[int, int, int, int]  # first_row, first_col, last_row, last_col


def column_chart(
    workbook: Any,
    sheet_name: str,
    categories: tuple[int, int, int, int],
    series: Sequence[Series],
    *,
    title: str,
    y_title: str,
    percent: bool = False,
    y_max: float | None = None,
) -> Any:
    """A clustered column chart with Chinese titles and data labels."""
    chart = workbook.add_chart({"type": "column"})
    for i, item in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        chart.add_series(
            {
                "name": [sheet_name, *item.name_cell],
                "categories": [sheet_name, *categories],
                "values": [sheet_name, *item.values],
                "fill": {"color": colour},
                "border": {"none": True},
                "gap": 80,
                "data_labels": {
                    "value": True,
                    "num_format": "0%" if percent else "0.0",
                    "font": {"name": FONT, "size": 7},
                },
            }
        )
    chart.set_title({"name": title, "name_font": {"name": FONT, "size": 12, "bold": True}})
    axis_font = {"name": FONT, "size": 9}
    chart.set_x_axis({"num_font": axis_font, "name_font": axis_font})
    y_axis: dict[str, Any] = {
        "name": y_title,
        "name_font": axis_font,
        "num_font": axis_font,
        "min": 0,
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
    }
    if percent:
        y_axis.update(num_format="0%", max=1)
    elif y_max is not None:
        y_axis["max"] = y_max
    chart.set_y_axis(y_axis)
    chart.set_legend({"position": "bottom", "font": axis_font})
    chart.set_size({"width": 640, "height": 320})
    return chart
