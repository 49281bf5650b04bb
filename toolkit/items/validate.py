"""Apply the item rules: each item score within 0..its 满分; every failure a located problem."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from toolkit.base.problems import ProblemReport
from toolkit.base.validation import failing_rows, problems_from
from toolkit.items.block import INVALID, VALID
from toolkit.items.read import ItemRecords
from toolkit.scores.schema import mark_schema


def validate_items(records: ItemRecords, report: ProblemReport) -> ItemRecords:
    """Unreadable cells and out-of-range scores become errors; those marks turn ``invalid``.

    The rules run on the block's columns (分数 and 满分 of every valid mark); only the marks
    that fail are then laid out as rows of the long frame, for their problems to name the cell
    and quote the value."""
    block, items = records.block, records.items
    invalid = np.flatnonzero(block.status == INVALID)
    for _, row in _rows(records, invalid).iterrows():
        report.add("error", row["问题"], **_where(row))
    valid = np.flatnonzero(block.status == VALID)
    numbers = pd.DataFrame(
        {"分数": block.score[valid], "满分": items["满分"].to_numpy(float)[block.item[valid]]},
        index=valid,
    )
    failing = sorted({index for cases in failing_rows(mark_schema(), numbers).values()
                      for index, _ in cases})  # fmt: skip
    # The failing marks as the long frame's rows: the problems come out as they always did.
    rows = _rows(records, np.array(failing, dtype=np.int64))
    found, bad = problems_from(mark_schema(), rows, "error", lambda row, _c: _where(row))
    report.extend(found)
    for mark, code in bad.items():
        block.status[mark] = INVALID
        block.score[mark] = np.nan
        block.code[mark] = block.code_index(code)
    records.changed()
    return records


def _rows(records: ItemRecords, marks: np.ndarray) -> pd.DataFrame:
    """``marks`` as rows of the long frame, with the student's 文件 and 工作表."""
    return records.block.frame(records.items, marks).join(
        records.students[["文件", "工作表"]], on="sid"
    )


def _where(row: pd.Series) -> dict[str, Any]:
    return {
        "file": row["文件"],
        "sheet": row["工作表"],
        "cell": row["单元格"],
        "value": row["原值"],
        "subject": f"第{row['题号']}题",
        "full_mark": row["满分"],
    }
