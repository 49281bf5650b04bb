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
    failing = _failing(block, items["满分"].to_numpy(float))
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


# Pairs are looked up in a table of every score code × 满分 code while it has at most this
# many entries more than four per mark.
_TABLE_PAIRS = 1024


def _failing(block: MarkBlock, fulls: np.ndarray) -> np.ndarray:
    """The valid marks of ``block`` that break a mark rule, in order (``fulls``: each item's
    满分). The rules judge a mark by its own 分数 and 满分 (``mark_schema``), so each distinct
    pair is checked once and its verdict spread back: a city's five million marks hold a few
    hundred pairs. Each mark's pair is numbered in place, 0 for a mark that is not valid, so
    that no more arrays of every mark are made than two."""
    score_code, scores = pd.factorize(block.score)  # a mark that is not valid has no score
    item_full, full_values = pd.factorize(fulls)
    pair = score_code  # 1 + score code × 满分 codes + 满分 code
    pair *= len(full_values)
    pair += np.take(item_full, block.item)
    pair += 1
    pair[block.status != VALID] = 0
    if len(scores) * len(full_values) <= 4 * len(pair) + _TABLE_PAIRS:
        # Pairs numbered by their two codes: a lookup table, no hashing of every mark.
        codes = np.flatnonzero(np.bincount(pair, minlength=1)[1:])
        number = codes + 1  # each distinct pair's number in ``pair``
    else:  # as many distinct scores as marks: number the pairs that occur, 1 up
        pair, found = pd.factorize(pair, sort=True)
        if not len(found) or found[0] != 0:
            pair += 1  # no mark that is not valid: 0 is still none
        codes = found[found > 0] - 1
        number = np.arange(1, len(codes) + 1)
    distinct = pd.DataFrame(
        {"分数": scores[codes // len(full_values)], "满分": full_values[codes % len(full_values)]}
    )
    broken = [index for cases in failing_rows(mark_schema(), distinct).values()
              for index, _ in cases]  # fmt: skip
    verdict = np.zeros(int(pair.max(initial=0)) + 1, dtype=bool)
    verdict[number[broken]] = True
    return np.flatnonzero(verdict[pair])


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
