"""Native Excel charts (editable by users), styled once for every report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from toolkit.present import ChartSpec
from toolkit.render.xlsx.styles import FONT

# A colour per series, the same order in every chart so a subject/class keeps its colour. The
# Office palette without its greys: grey is the 全年级 colour in the PNG charts.
PALETTE = (
    "#4472C4", "#ED7D31", "#70AD47", "#FFC000", "#5B9BD5", "#7030A0",
    "#264478", "#9E480E", "#43682B", "#997300", "#255E91", "#C00000",
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
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    return chart


SIGNED_LABELS = "+0.0;-0.0;0"
CHART_WIDTH, CHART_HEIGHT = 640, 320  # pixels


_TYPES = {
    "column": {"type": "column"},
    "stacked": {"type": "column", "subtype": "stacked"},
    # Shares of a whole (students per level): each column or bar is 100%.
    "percent_stacked": {"type": "column", "subtype": "percent_stacked"},
    "percent_stacked_bar": {"type": "bar", "subtype": "percent_stacked"},
    "bar": {"type": "bar"},
    "line": {"type": "line"},
    "radar": {"type": "radar", "subtype": "with_markers"},
    "scatter": {"type": "scatter"},
}


def make_chart(
    workbook: Any,
    spec: ChartSpec,
    sheet_name: str,
    categories: tuple[int, int, int, int],
    series: Sequence[Series],
    point_names: tuple[str, int, int, int, int] | None = None,
) -> Any:
    """A native chart of ``spec.kind`` over ranges of ``sheet_name``; the look of
    :func:`column_chart` (fonts, palette, gridlines) for every kind. A scatter's points are
    labelled with ``point_names`` (sheet, first row, col, last row, col: e.g. the 题号)."""
    chart = workbook.add_chart(dict(_TYPES[spec.kind]))
    axis_font = {"name": FONT, "size": 9}
    number_format = spec.number_format or (
        SIGNED_LABELS if spec.signed else "0%" if spec.percent else "0.0"
    )
    for i, item in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        options: dict[str, Any] = {
            "name": [sheet_name, *item.name_cell],
            "categories": [sheet_name, *categories],
            "values": [sheet_name, *item.values],
        }
        if spec.kind in ("line", "radar", "scatter"):
            options["line"] = {"color": colour, "width": 2.0}
            options["marker"] = {
                "type": "circle",
                "size": 6,
                "fill": {"color": colour},
                "border": {"color": colour},
            }
            if spec.kind == "scatter":
                options["line"] = {"none": True}
        else:
            options.update(fill={"color": colour}, border={"none": True}, gap=80)
        if spec.labels and spec.kind != "radar":
            options["data_labels"] = {
                "value": True,
                "num_format": "0.00" if spec.kind == "scatter" else number_format,
                "font": {"name": FONT, "size": 7},
            }
            if spec.kind in ("stacked", "percent_stacked", "percent_stacked_bar"):
                options["data_labels"]["position"] = "center"
            if spec.kind == "scatter" and point_names is not None:
                sheet, first, col, last, _ = point_names
                options["data_labels"]["custom"] = [
                    {"value": f"='{sheet}'!{xl_rowcol_to_cell(r, col, True, True)}"}
                    for r in range(first, last + 1)
                ]
                options["data_labels"]["position"] = "right"
        chart.add_series(options)
    chart.set_title({"name": spec.title, "name_font": {"name": FONT, "size": 12, "bold": True}})
    value_axis: dict[str, Any] = {
        "name": spec.y_title,
        "name_font": axis_font,
        "num_font": axis_font,
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
    }
    if spec.signed:
        value_axis["num_format"] = "+0%;-0%;0" if spec.percent else "+0.0;-0.0;0"
    elif spec.kind != "line" or spec.percent:
        value_axis["min"] = 0
    if spec.percent and not spec.signed:
        value_axis.update(num_format="0%", max=1)
    elif spec.y_max is not None:
        value_axis["max"] = spec.y_max
    category_axis: dict[str, Any] = {"num_font": axis_font, "name_font": axis_font}
    if spec.x_title:
        category_axis["name"] = spec.x_title
    if spec.kind == "scatter":
        category_axis.update(min=0, max=1, num_format="0.0")
    elif spec.signed:
        category_axis["label_position"] = "low"
    if spec.kind in ("bar", "percent_stacked_bar"):  # bars run sideways: the value axis is x
        chart.set_x_axis(value_axis)
        chart.set_y_axis({**category_axis, "reverse": True})
    else:
        chart.set_x_axis(category_axis)
        chart.set_y_axis(value_axis)
    if len(series) == 1 and spec.kind != "radar":
        chart.set_legend({"none": True})
    else:
        chart.set_legend({"position": "bottom", "font": axis_font})
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    return chart
