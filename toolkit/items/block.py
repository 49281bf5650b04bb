"""Every mark of the item sheets, column by column (a columnar store, not a row per mark).

A table of S students × K items is read as arrays: its scores as floats, its statuses as small
integers, and the marks laid out student by student, item by item — the order of the long frame
``ItemRecords.marks``, which is built from this block only when someone asks for it. Where a
mark came from is two integer arrays, the source row of each student and the source column of
each item: an A1 reference is made only for a cell that has a problem, and the cell as typed is
kept only for the cells whose message quotes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.base.text import cell_ref, column_letter
from toolkit.reading.scorecell import STATUSES

# A mark's status is its index into scorecell's STATUSES: valid, absent, invalid, not_taking (an
# item is marked in points, so a level reads as invalid and never occurs here).
VALID, INVALID = STATUSES.index("valid"), STATUSES.index("invalid")
# The long frame's columns (``ItemRecords.marks``).
MARK_COLUMNS = ["sid", "题号", "分数", "状态", "问题", "原值", "满分", "知识点", "单元格"]


@dataclass
class MarkBlock:
    """The marks, one entry per student × item of the student's table, in reading order."""

    sid: np.ndarray  # int64: the student (label of ``ItemRecords.students``)
    item: np.ndarray  # int64: the item, a row of ``ItemRecords.items`` (题号, 满分, 知识点)
    score: np.ndarray  # float64: the score of a valid mark, NaN otherwise
    status: np.ndarray  # int8: index into scorecell.STATUSES
    code: np.ndarray  # int16: the problem's rule code, an index into ``codes`` (0: none)
    codes: list[str] = field(default_factory=lambda: [""])
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per sid, 0-based
    cols: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per item, 0-based
    raw: dict[int, object] = field(default_factory=dict)  # mark → the cell as typed

    def __len__(self) -> int:
        return len(self.score)

    @classmethod
    def empty(cls) -> MarkBlock:
        return cls(
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            np.zeros(0, np.float64),
            np.zeros(0, np.int8),
            np.zeros(0, np.int16),
        )

    def code_index(self, code: str) -> int:
        """The index of rule ``code`` in ``codes`` (added when new)."""
        if code not in self.codes:
            self.codes.append(code)
        return self.codes.index(code)

    def cells(self, marks: np.ndarray) -> np.ndarray:
        """The A1 references of ``marks`` (object array): made one by one for a few marks (the
        ones with a problem), by column letters and row numbers for many."""
        if len(marks) < len(self.rows):
            rows, cols = self.rows[self.sid[marks]], self.cols[self.item[marks]]
            refs = [cell_ref(int(r), int(c)) for r, c in zip(rows, cols, strict=True)]
            return np.array(refs, dtype=object)
        letters = np.array([column_letter(int(c)) for c in self.cols], dtype=object)
        numbers = np.array([str(int(r) + 1) for r in self.rows], dtype=object)
        return letters[self.item[marks]] + numbers[self.sid[marks]]

    @classmethod
    def stack(cls, blocks: Sequence[MarkBlock]) -> MarkBlock:
        """Several tables' blocks as one: each block's sid and item (counted from its own first
        student and item) shifted past the students and items of the blocks before it."""
        if not blocks:
            return cls.empty()
        if len(blocks) == 1:
            return blocks[0]  # one table (a platform's export): already numbered from 0
        codes = [""]
        for block in blocks:
            codes += [c for c in block.codes if c not in codes]
        sid_at = np.cumsum([0, *(len(b.rows) for b in blocks[:-1])])
        item_at = np.cumsum([0, *(len(b.cols) for b in blocks[:-1])])
        mark_at = np.cumsum([0, *(len(b) for b in blocks[:-1])])
        raw: dict[int, object] = {}
        recode = []
        for block, marks in zip(blocks, mark_at, strict=True):
            raw.update((int(marks) + m, value) for m, value in block.raw.items())
            recode.append(np.array([codes.index(c) for c in block.codes], np.int16)[block.code])
        return cls(
            np.concatenate([b.sid + at for b, at in zip(blocks, sid_at, strict=True)]),
            np.concatenate([b.item + at for b, at in zip(blocks, item_at, strict=True)]),
            np.concatenate([b.score for b in blocks]),
            np.concatenate([b.status for b in blocks]),
            np.concatenate(recode),
            codes,
            np.concatenate([b.rows for b in blocks]),
            np.concatenate([b.cols for b in blocks]),
            raw,
        )

    def frame(self, items: pd.DataFrame, marks: np.ndarray | None = None) -> pd.DataFrame:
        """The long frame: one row per mark (``MARK_COLUMNS``), of every mark or of ``marks``
        (indexed by their position in the block). 原值 holds the cell as typed where a problem's
        message quotes it (an unreadable cell, a score outside 0..满分), None elsewhere."""
        if marks is None:
            marks = np.arange(len(self))
        if not len(marks):
            frame = pd.DataFrame([], columns=MARK_COLUMNS)
            frame["分数"] = frame["分数"].astype(float)
            frame["满分"] = frame["满分"].astype(float)
            return frame
        raw = np.full(len(marks), None, dtype=object)
        if self.raw:
            at = {int(m): k for k, m in enumerate(marks)} if len(marks) < len(self) else None
            for mark, value in self.raw.items():
                k = mark if at is None else at.get(mark)
                if k is not None:
                    raw[k] = value
        item = self.item[marks]
        frame = pd.DataFrame(
            {
                "sid": self.sid[marks].astype(np.int64),
                "题号": items["题号"].to_numpy(dtype=object)[item],
                "分数": self.score[marks],
                "状态": np.array(STATUSES, dtype=object)[self.status[marks]],
                "问题": np.array(self.codes, dtype=object)[self.code[marks]],
                "原值": raw,
                "满分": items["满分"].to_numpy(dtype=float)[item],
                "知识点": items["知识点"].to_numpy(dtype=object)[item],
                "单元格": self.cells(marks),
            },
            columns=MARK_COLUMNS,
        )
        if len(marks) < len(self):
            frame.index = marks
        return frame
