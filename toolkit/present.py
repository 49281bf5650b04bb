"""What a report shows, apart from the format it is written in: the small tables of an overview
sheet with the chart to draw beside each, the labels of rollup rows, and keys shown as names.

The analysis (``pack``) says what to show with these; ``render`` writes them as xlsx, docx or
pptx. Nothing here imports a writer library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from toolkit.base.classnames import class_name, grade_name

SCHOOL_LABEL, GRADE_LABEL = "全校", "全年级"


@dataclass(frozen=True)
class ChartSpec:
    """What to draw from a small table: its first column is the categories (x axis), and each
    of ``series`` (default: every other column) one series."""

    kind: str  # column, stacked, line, bar, radar or scatter
    title: str
    y_title: str = ""
    x_title: str = ""
    series: tuple[str, ...] = ()
    percent: bool = False
    y_max: float | None = None
    labels: bool = True  # data labels on each point (off for crowded charts)
    number_format: str = ""  # of the data labels; default 0% for rates, else 0.0
    # A chart of changes: the value axis runs below 0 (a decline is a bar under the zero line),
    # labels signed, the category names kept at the bottom, clear of the negative bars.
    signed: bool = False


@dataclass
class Block:
    """One small table on an overview sheet, with the chart drawn from it beside it."""

    heading: str
    frame: pd.DataFrame  # first column: category labels
    chart: ChartSpec | None = None
    roles: Mapping[str, str] | None = None
    note: str = ""


def show_keys(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[bool]]:
    """年级/班级 numbers → names (三年级, 三(2)班); a rollup's grade row reads 全年级 and its
    school row 全校. Returns the frame to show and which rows to set in bold."""
    shown = frame.copy()
    emphasis = [False] * len(frame)
    if "年级" not in shown:
        return shown, emphasis
    grades = list(shown["年级"])
    inner = next((c for c in ("班级", "学科") if c in shown), None)
    if inner is not None:
        inner_values = list(shown[inner])
        labels = []
        for i, (g, v) in enumerate(zip(grades, inner_values, strict=True)):
            if g is None or pd.isna(g):
                labels.append(SCHOOL_LABEL if v is None or pd.isna(v) else v)
                emphasis[i] = True
            elif v is None or (not isinstance(v, str) and pd.isna(v)):
                labels.append(GRADE_LABEL)
                emphasis[i] = True
            elif inner == "班级":
                labels.append(class_name(int(g), int(v)))
            else:
                labels.append(v)
        shown[inner] = labels
    shown["年级"] = [
        SCHOOL_LABEL if g is None or pd.isna(g) else grade_name(int(g)) for g in grades
    ]
    return shown, emphasis
