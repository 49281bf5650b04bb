"""Apply the item rules: each item score within 0..its 满分; every failure a located problem."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from toolkit.base.problems import ProblemReport
from toolkit.base.validation import failing_rows, problems_from
from toolkit.items.block import INVALID, VALID, MarkBlock
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
    failing = _failing(block, valid, items["满分"].to_numpy(float))
    # The failing marks as the long frame's rows: the problems come out as they always did.
    rows = _rows(records, failing)
    found, bad = problems_from(mark_schema(), rows, "error", lambda row, _c: _where(row))
    report.extend(found)
    for mark, code in bad.items():
        block.status[mark] = INVALID
        block.score[mark] = np.nan
        block.code[mark] = block.code_index(code)
    records.changed()
    return records


def _failing(block: MarkBlock, marks: np.ndarray, fulls: np.ndarray) -> np.ndarray:
    """The valid ``marks`` of ``block`` that break a mark rule, in order (``fulls``: each item's
    满分). The rules judge a mark by its own 分数 and 满分 (``mark_schema``), so each distinct
    pair is checked once and its verdict spread back: a city's five million marks hold a few
    hundred pairs."""
    score_code, scores = pd.factorize(block.score[marks])
    item_full, full_values = pd.factorize(fulls)
    pair = score_code * len(full_values) + item_full[block.item[marks]]
    if len(scores) * len(full_values) <= 4 * len(marks) + 1024:
        # Pairs numbered by their two codes: a lookup table, no hashing of every mark.
        present = np.zeros(len(scores) * len(full_values), dtype=bool)
        present[pair] = True
        pairs = np.flatnonzero(present)
    else:  # as many distinct scores as marks: number the pairs that occur
        pair, pairs = pd.factorize(pair)
    distinct = pd.DataFrame(
        {"分数": scores[pairs // len(full_values)], "满分": full_values[pairs % len(full_values)]}
    )
    broken = [index for cases in failing_rows(mark_schema(), distinct).values()
              for index, _ in cases]  # fmt: skip
    verdict = np.zeros(len(pairs), dtype=bool)
    verdict[broken] = True
    if len(pairs) and pairs[-1] >= len(pairs):  # numbered by codes: look the pair up first
        at = np.full(pairs[-1] + 1, -1, dtype=np.int64)
        at[pairs] = np.arange(len(pairs))
        pair = at[pair]
    return marks[verdict[pair]]


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
