"""The 口径说明 sheet every output workbook carries: definitions and the values used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from toolkit.render.styles import Styles
from toolkit.render.tables import write_table


def write_definitions(
    workbook: Any, styles: Styles, rows: Sequence[tuple[str, str, str]], *, title: str
) -> None:
    """Rows of (指标, 口径, 本次取值)."""
    frame = pd.DataFrame(rows, columns=["指标", "口径（定义）", "本次取值"])
    layout = write_table(
        workbook,
        styles,
        "口径说明",
        frame,
        {},
        title=title,
        widths={"指标": 16, "口径（定义）": 70, "本次取值": 44},
    )
    wrap = styles.get("text", text_wrap=True)
    layout.sheet.set_column(1, 2, None, wrap)
    for offset, row in enumerate(rows):
        r = layout.first_row + offset
        for c, value in enumerate(row):
            layout.sheet.write_string(r, c, value, wrap)
