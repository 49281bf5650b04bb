"""Helpers for tests that fill generated templates the way a person would, with openpyxl."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.demo.school import make_config, make_school
from toolkit.render.workbooks.config_template import write_config_template


def write_sample_config(folder: Path) -> tuple[Path, SchoolConfig]:
    """The sample school's config written as 学校配置.xlsx and read back (no errors)."""
    path = write_config_template(folder / "学校配置.xlsx", make_config(make_school()))
    report = ProblemReport()
    config = load_config(path, report)
    assert report.errors == [], [str(p) for p in report.errors]
    return path, config


def header_columns(ws: Worksheet, anchor: str) -> tuple[int, dict[str, int]]:
    """The 1-based row whose cells include ``anchor`` exactly, and its text → column map."""
    for row in ws.iter_rows(max_row=20):
        texts = {c.value: c.column for c in row if isinstance(c.value, str)}
        if anchor in texts:
            return row[0].row, texts
    raise AssertionError(f"no header with {anchor!r} on {ws.title}")


def fill_rows(
    ws: Worksheet, anchor: str, rows: Iterable[Mapping[str, object]], skip: int = 0
) -> int:
    """Type ``rows`` (header text → value) under the header; returns the first row written.

    ``skip`` rows under the header are left alone (小题分's 满分 and 知识点 rows). Text starting
    with ``=`` is written as text, as Excel keeps it when the cell is formatted as text.
    """
    header, columns = header_columns(ws, anchor)
    first = header + 1 + skip
    for k, values in enumerate(rows):
        for name, value in values.items():
            cell = ws.cell(first + k, columns[name])
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
    return first


def plain(value: Any) -> Any:
    """A frame value as a plain Python value: dates as ``date``, missing values as None."""
    if value is None:
        return None
    try:
        if pd.isna(value):  # None, NaN, NaT, pd.NA
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, dt.datetime):  # pd.Timestamp too
        return value.date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
