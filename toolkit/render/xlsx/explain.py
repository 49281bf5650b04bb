"""The 口径说明 sheet every output workbook carries: definitions and the values used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from toolkit.render.xlsx.styles import Styles, wrapped_lines
from toolkit.render.xlsx.tables import write_table


def write_definitions(
    workbook: Any, styles: Styles, rows: Sequence[tuple[str, str, str]], *, title: str
) -> None:
    """Rows of (指标, 口径, 本次取值)."""
    frame = pd.DataFrame(rows, columns=["指标", "口径（定义）", "本次取值"])
    widths = {"指标": 16, "口径（定义）": 64, "本次取值": 40}
    layout = write_table(workbook, styles, "口径说明", frame, {}, title=title, widths=widths)
    wrap = styles.get("text", text_wrap=True)
    # Width and wrap in one call each: a later set_column(…, None, fmt) would reset the width.
    for c, width in enumerate(widths.values()):
        layout.sheet.set_column(c, c, width, wrap)
    for offset, row in enumerate(rows):
        r = layout.first_row + offset
        for c, value in enumerate(row):
            layout.sheet.write_string(r, c, value, wrap)
        # Wrapped text does not grow its row when the file is opened: size it here.
        lines = max(wrapped_lines(v, w) for v, w in zip(row, widths.values(), strict=True))
        layout.sheet.set_row(r, 15 * lines)
