"""Apply the item rules: each item score within 0..its 满分; every failure a located problem."""

from __future__ import annotations

from typing import Any

import pandas as pd

from toolkit.base.problems import ProblemReport
from toolkit.base.validation import problems_from
from toolkit.items.read import ItemRecords
from toolkit.scores.schema import mark_schema


def validate_items(records: ItemRecords, report: ProblemReport) -> ItemRecords:
    """Unreadable cells and out-of-range scores become errors; those marks turn ``invalid``."""
    marks = records.marks.join(records.students[["文件", "工作表"]], on="sid")
    for _, row in marks[marks["状态"] == "invalid"].iterrows():
        report.add("error", row["问题"], **_where(row))
    numbers = marks[marks["状态"] == "valid"]
    found, bad = problems_from(mark_schema(), numbers, "error", lambda row, _c: _where(row))
    report.extend(found)
    marks.loc[list(bad), ["状态", "分数"]] = ["invalid", float("nan")]
    marks.loc[list(bad), "问题"] = pd.Series(bad)
    records.marks = marks.drop(columns=["文件", "工作表"])
    return records


def _where(row: pd.Series) -> dict[str, Any]:
    return {
        "file": row["文件"],
        "sheet": row["工作表"],
        "cell": row["单元格"],
        "value": row["原值"],
        "subject": f"第{row['题号']}题",
        "full_mark": row["满分"],
    }
