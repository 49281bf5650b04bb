"""Shared look of every output workbook: formats by role, CJK-aware widths, print setup."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.base.text import display_width

FONT = "微软雅黑"  # Microsoft YaHei: on every school PC; LibreOffice falls back to a CJK font
HEADER_FILL = "#1F4E79"
GRADE_ROW_FILL = "#DDEBF7"
GOOD_FILL = "#C6EFCE"
GOOD_TEXT = "#006100"
BAD_FILL = "#FFC7CE"
BAD_TEXT = "#9C0006"

# Number formats by the role of a column.
NUMBER_FORMATS = {
    "text": "@",
    "int": "0",
    "score": "0.0#",  # a score with half points; whole-number score columns settle on "int"
    "decimal": "0.00",
    "percent": "0.0%",
    "percent_input": "0%",
    "score_input": "General",  # a template's score cell: 95 shows as typed, 95.5 too
    "signed_percent": "+0.0%;-0.0%;0.0%",
    "signed": "+0.00;-0.00;0.00",
    "signed_int": "+0;-0;0",
    "date": "yyyy-mm-dd",
    "wrap": "@",  # free text (问题, 措施, 建议): kept whole, wrapped
}


class Styles:
    """Creates each xlsxwriter format once per workbook and hands it out by role."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[Any, ...], Any] = {}

    def get(self, role: str = "text", *, grade_row: bool = False, **extra: Any) -> Any:
        key = (role, grade_row, tuple(sorted(extra.items())))
        if key not in self._cache:
            props: dict[str, Any] = {
                "font_name": FONT,
                "font_size": 10,
                "border": 1,
                "border_color": "#BFBFBF",
                "valign": "vcenter",
            }
            if role in NUMBER_FORMATS:
                props["num_format"] = NUMBER_FORMATS[role]
            if role in (
                "int",
                "score",
                "decimal",
                "percent",
                "percent_input",
                "score_input",
                "date",
            ) or role.startswith("signed"):
                props["align"] = "right"
            if role == "wrap":
                props["text_wrap"] = True
            if grade_row:
                props.update(bold=True, bg_color=GRADE_ROW_FILL)
            props.update(extra)
            self._cache[key] = self._workbook.add_format(props)
        return self._cache[key]

    @property
    def title(self) -> Any:
        return self._named(
            "title",
            font_name=FONT,
            font_size=14,
            bold=True,
            align="center",
            valign="vcenter",
            shrink=True,  # a long title shrinks to its merged (printed) width, never clipped
        )

    @property
    def subtitle(self) -> Any:
        return self._named("subtitle", font_name=FONT, font_size=9, font_color="#595959")

    @property
    def header(self) -> Any:
        return self._named(
            "header",
            font_name=FONT,
            font_size=10,
            bold=True,
            font_color="#FFFFFF",
            bg_color=HEADER_FILL,
            border=1,
            border_color="#BFBFBF",
            align="center",
            valign="vcenter",
            text_wrap=True,
        )

    def conditional(self, kind: str) -> Any:
        colours = {"good": (GOOD_FILL, GOOD_TEXT), "bad": (BAD_FILL, BAD_TEXT)}[kind]
        return self._named(f"cf-{kind}", bg_color=colours[0], font_color=colours[1])

    def _named(self, name: str, **props: Any) -> Any:
        key = ("named", name)
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(props)
        return self._cache[key]


def column_width(header: str, values: Iterable[object], *, minimum: int = 6, cap: int = 60) -> int:
    """Width in Excel character units: wide (CJK) characters count two, as Excel draws them.

    xlsxwriter's ``autofit()`` counts characters, so a Chinese column comes out half as wide
    as it needs; hence our own measure.
    """
    widest = max(
        [display_width(part) for part in str(header).splitlines() or [""]]
        + [display_width(_shown(v)) for v in _distinct(values)],
        default=0,
    )
    return max(minimum, min(cap, widest + 2))


def _distinct(values: Iterable[object]) -> Iterable[object]:
    """``values`` with repeats left out, for measuring each once (a column repeats its
    班级 and scores thousands of times). Keyed by type too: ``1``, ``1.0`` and ``True`` are
    equal but shown differently. Any unhashable value: all of them, as they are."""
    values = list(values)
    try:
        return [value for _, value in set(zip(map(type, values), values, strict=True))]
    except TypeError:
        return values


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` wide (CJK counting two): wrapped
    text does not grow its row when a file is opened, so writers size rows with this."""
    per_line = max(width - 2, 1)
    return sum(max(1, -(-display_width(part) // per_line)) for part in text.splitlines() or [""])


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:.2f}" if not value.is_integer() else str(int(value))
    return str(value)


def a4_landscape(sheet: Any, header_rows: tuple[int, int] | None, title: str) -> None:
    """A4 landscape, fit to page width, header rows repeated, page numbers in the footer."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)
    safe = title.replace("&", "&&")
    sheet.set_header(f"&L&8{safe}")
    sheet.set_footer("&C&8第 &P 页，共 &N 页")


# The printable part of an A4 landscape page with a4_landscape()'s margins, in pixels (96 dpi)
# and points: (11.69 − 0.4 − 0.4) × 96 wide, (8.27 − 0.6 − 0.6) × 72 high.
A4_PRINT_WIDTH_PX = (11.69 - 0.8) * 96
A4_PRINT_HEIGHT_PT = (8.27 - 1.2) * 72
DEFAULT_ROW_PT = 15.0
# Column widths are in digits of the default font (Calibri, 7 px at 11 pt). A client without it
# draws them wider — LibreOffice falls back to DejaVu Sans, 9.3 px a digit — so the print scale
# is set for the wider of the two: never a chart cut at the page's right edge.
WIDEST_DIGIT_PX = 9.3
# Spare room: clients also grow rows of CJK text a little.
WIDTH_SLACK, HEIGHT_SLACK = 0.95, 0.9


def column_pixels(width: float, digit_px: float = 7) -> int:
    """Pixels of a column ``width`` characters wide, as Excel draws it (xlsxwriter's rule) with
    digits ``digit_px`` wide."""
    return int(width * 12 + 0.5) if width < 1 else int(width * digit_px + 0.5) + 5


@dataclass(frozen=True)
class Drawn:
    """A chart anchored at (row, col) + x_offset pixels, and its size in pixels."""

    row: int
    col: int
    width: int
    height: int
    x_offset: int = 10
    y_offset: int = 4


# Where a chart sits in its top-left cell: a little below the row's edge, so that a page break
# there does not print the chart's top border at the foot of the page before.
CHART_OFFSETS = {"x_offset": 10, "y_offset": 4}


def _left_px(widths: Sequence[float], col: int, digit_px: float = 7) -> int:
    """Pixels left of column ``col``: ``widths`` for the first columns, then Excel's default."""
    return sum(column_pixels(widths[c] if c < len(widths) else 8.43, digit_px) for c in range(col))


def last_printed_column(widths: Sequence[float], charts: Sequence[Drawn]) -> int:
    """The column holding the right edge of the widest chart (or of the set columns): where a
    sheet's title is merged to and its print area ends. Known before any row is written, so a
    sheet streamed row by row (constant-memory mode) can write its title first."""
    right = max(
        [
            _left_px(widths, len(widths)),
            *(_left_px(widths, d.col) + d.x_offset + d.width for d in charts),
        ]
    )
    last_col = 0
    while _left_px(widths, last_col + 1) < right:
        last_col += 1
    return last_col


def print_charts_whole(
    sheet: Any,
    widths: Sequence[float],
    row_heights: Mapping[int, float],
    charts: Sequence[Drawn],
    last_row: int,
) -> tuple[int, int]:
    """Print a sheet of tables and charts on A4 landscape without a page break through any
    chart: the print area ends at the widest chart's right edge, a fixed scale fits that width
    to the page (fit-to-page would make Excel ignore manual breaks), and a manual break goes
    before each chart the automatic breaks would cut. ``widths`` are the set widths of the
    first columns (characters; the rest are Excel's default), ``row_heights`` the rows not
    15 pt high. Returns (last printed column, print scale)."""

    def left_px(col: int, digit_px: float = 7) -> int:
        return _left_px(widths, col, digit_px)

    last_col = last_printed_column(widths, charts)
    widest = max(
        [
            left_px(last_col + 1, WIDEST_DIGIT_PX),
            *(left_px(d.col, WIDEST_DIGIT_PX) + d.x_offset + d.width for d in charts),
        ]
    )
    scale = max(10, min(100, int(100 * A4_PRINT_WIDTH_PX * WIDTH_SLACK / widest)))
    page_pt = A4_PRINT_HEIGHT_PT * HEIGHT_SLACK * 100 / scale

    def row_pt(row: int) -> float:
        return row_heights.get(row, DEFAULT_ROW_PT)

    def chart_last_row(drawn: Drawn) -> int:
        row, height = drawn.row, (drawn.y_offset + drawn.height) * 0.75  # pixels → points
        while height > row_pt(row):
            height -= row_pt(row)
            row += 1
        return row

    last_row = max([last_row, *(chart_last_row(d) for d in charts)])
    breaks: list[int] = []
    page_top = 0  # first row of the page being filled

    def height(first: int, last: int) -> float:
        return sum(row_pt(r) for r in range(first, last + 1))

    # A chart that would not end on the page it starts (counted from the last manual break,
    # with slack) starts a page of its own: wherever the client puts its automatic breaks
    # before it, the manual one comes first.
    for drawn in sorted(charts, key=lambda d: d.row):
        if drawn.row > page_top and height(page_top, chart_last_row(drawn)) > page_pt:
            breaks.append(drawn.row)
            page_top = drawn.row
    sheet.print_area(0, 0, last_row, last_col)
    sheet.set_print_scale(scale)
    if breaks:
        sheet.set_h_pagebreaks(breaks)
    return last_col, scale
