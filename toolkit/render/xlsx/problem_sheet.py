"""The 数据问题 sheet: every problem with file, sheet, cell, value and reason."""

from __future__ import annotations

from typing import Any

import pandas as pd

from toolkit.base.problems import SEVERITY_LABEL, ProblemReport
from toolkit.render.xlsx.styles import Styles
from toolkit.render.xlsx.tables import write_table

_ORDER = {"error": 0, "warning": 1, "note": 2}


def problems_frame(problems: ProblemReport) -> pd.DataFrame:
    rows = [
        (SEVERITY_LABEL[p.severity], p.file, p.sheet, p.cell, p.as_dict()["value"], p.message)
        for p in sorted(problems, key=lambda p: _ORDER[p.severity])
    ]
    return pd.DataFrame(rows, columns=["类别", "文件", "工作表", "单元格", "原值", "问题说明"])


def write_problems(
    workbook: Any,
    styles: Styles,
    problems: ProblemReport,
    *,
    title: str,
    error_effect: str = "已按缺失处理，不计入实考和缺考",
) -> None:
    frame = problems_frame(problems)
    counts = problems.counts()
    write_table(
        workbook,
        styles,
        "数据问题",
        frame,
        {},
        title=title,
        subtitle=(
            f"错误 {counts['error']} 处（{error_effect}），"
            f"警告 {counts['warning']} 处，提示 {counts['note']} 条"
        ),
        widths={"问题说明": 70},
    )
