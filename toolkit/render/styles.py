"""Shared look of every output workbook: formats by role, CJK-aware widths, print setup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toolkit.text import display_width

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
            "title", font_name=FONT, font_size=14, bold=True, align="center", valign="vcenter"
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
        + [display_width(_shown(v)) for v in values],
        default=0,
    )
    return max(minimum, min(cap, widest + 2))


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
