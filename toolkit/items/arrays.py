"""The marks as arrays, and sums over groups of them: the building blocks of 试题分析.

Every measure of the analysis is a count, a sum or a mean over a group of valid marks (an item,
an item in one class, a knowledge point in one school…). Here the marks are integer-coded arrays
— each mark's student, its item entry (题号, 满分, 知识点) and its score — and a group is a
combination of small integer codes of the student (exam, school, class) and of the entry (题号,
知识点), so the sums over every group are one ``np.bincount``.

A sum taken this way adds in another order than pandas' groupby (which adds in reading order
with Kahan's compensation). The two agree to the last bit when every partial sum is exact:
scores and 满分 that are multiples of 1/1024 (whole and half points, quarters…) and totals far
below 2^53. :meth:`ValidMarks.exact` says whether that holds; when it does not, the analysis is
taken the long way (``metrics``), so the output never depends on which way was taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.items.block import VALID, MarkBlock

_SCALE = 1024.0  # scores that are multiples of 1/1024 add exactly…
_EXACT_BELOW = 2.0**52 / _SCALE  # …while every total stays below this
_NONE = -(2**62)  # a partial code that sends a mark to no group
_DIRECT = 1 << 22  # group codes up to this many (or 4 a row) are counted in a direct table


@dataclass
class ValidMarks:
    """The marks: per mark its student (position in the students frame; -1 for a mark that is
    not valid, which no sum counts), its item entry and its score; per item entry its 题号,
    满分 and 知识点 (Series indexed 0..entries-1)."""

    student: np.ndarray  # int64
    entry: np.ndarray  # int64
    score: np.ndarray  # float64 (NaN where not valid)
    labels: pd.Series  # 题号
    fulls: np.ndarray  # 满分, float64
    points: pd.Series  # 知识点

    def __len__(self) -> int:
        return int(np.count_nonzero(self.student >= 0))

    @classmethod
    def of_block(cls, students: pd.DataFrame, block: MarkBlock, items: pd.DataFrame) -> ValidMarks:
        """From the reader's block (no copy of its marks): every item row is an entry."""
        index = students.index
        if isinstance(index, pd.RangeIndex) and index.step == 1:
            student = block.sid - index.start
            student[(student < 0) | (student >= len(index))] = -1
        else:
            student = index.get_indexer(block.sid).astype(np.int64)
        student[block.status != VALID] = -1
        return cls(
            student,
            block.item,
            block.score,
            items["题号"].reset_index(drop=True),
            items["满分"].to_numpy(dtype=float),
            items["知识点"].reset_index(drop=True),
        )

    @classmethod
    def of_frame(cls, students: pd.DataFrame, marks: pd.DataFrame) -> ValidMarks:
        """From a long frame of marks (``block.MARK_COLUMNS``): its valid marks, and each
        distinct (题号, 满分, 知识点) an entry."""
        valid = marks[marks["状态"] == "valid"]
        student = students.index.get_indexer(valid["sid"]).astype(np.int64)
        seen: dict[tuple[object, float, object], int] = {}
        triples = zip(valid["题号"], valid["满分"].astype(float), valid["知识点"], strict=True)
        entry = np.fromiter((seen.setdefault(t, len(seen)) for t in triples), np.int64, len(valid))
        return cls(
            student,
            entry,
            valid["分数"].to_numpy(dtype=float),
            pd.Series([t[0] for t in seen], dtype=valid["题号"].dtype),
            np.array([t[1] for t in seen], dtype=float),
            pd.Series([t[2] for t in seen], dtype=valid["知识点"].dtype),
        )

    def exact(self) -> bool:
        """Whether every sum over the valid marks (of scores, of 满分) is exact in any order."""
        counted = self.student >= 0
        marks = np.count_nonzero(counted)
        # Whether a score is a multiple of 1/1024 is the value's own: the distinct ones are
        # asked (a few dozen among millions of marks).
        scores = pd.unique(np.where(counted, self.score, 0.0))
        fulls = self.fulls  # every entry's, used or not: a stricter test, and cheaper
        for values in (scores, fulls):
            scaled = values * _SCALE
            if not np.isfinite(scaled).all() or not np.array_equal(scaled, np.round(scaled)):
                return False
        largest = float(np.abs(scores).max()) if len(scores) else 0.0
        if largest * marks >= _EXACT_BELOW and np.abs(self.score[counted]).sum() >= _EXACT_BELOW:
            return False  # the sum of every score's size, when its bound does not settle it
        most = float(np.abs(fulls).max()) if len(fulls) else 0.0
        return most * marks < _EXACT_BELOW


def codes(columns: Sequence[pd.Series]) -> tuple[np.ndarray, pd.DataFrame]:
    """Each row's code for the combination of ``columns`` (-1 where one is missing, as groupby
    leaves such rows out), numbered in order of first appearance, and each code's values."""
    parts, sizes = [], []
    for column in columns:
        part, uniques = pd.factorize(column)
        parts.append(part.astype(np.int64))
        sizes.append(max(len(uniques), 1))
    missing = np.zeros(len(parts[0]) if parts else 0, dtype=bool)
    combined = np.zeros(len(missing), dtype=np.int64)
    for part, size in zip(parts, sizes, strict=True):
        missing |= part < 0
        combined = combined * size + np.maximum(part, 0)
    code = np.full(len(combined), -1, dtype=np.int64)
    code[~missing] = pd.factorize(combined[~missing])[0]
    first = np.unique(code[code >= 0], return_index=True)[1]
    rows = np.flatnonzero(code >= 0)[first]
    values = pd.DataFrame({c.name: c.iloc[rows].reset_index(drop=True) for c in columns})
    return code, values


@dataclass
class Grouped:
    """Groups that have a row: per group its key codes (one array per key), its row count and
    the sums asked for, groups in the order of their codes."""

    keys: list[np.ndarray]
    counts: np.ndarray
    sums: dict[str, np.ndarray]
    first: np.ndarray | None = None  # each group's first row, when asked for


def group_rows(
    code: np.ndarray,
    sizes: Sequence[int],
    weights: dict[str, np.ndarray] | None = None,
    *,
    first: bool = False,
) -> Grouped:
    """Group rows by ``code``, a combined code over keys of ``sizes`` (their product, the
    ``space``, for a row in no group), and sum ``weights`` over each group."""
    sizes = [max(int(s), 1) for s in sizes]
    space = int(np.prod(sizes, dtype=np.float64))
    if space <= max(4 * len(code), _DIRECT):  # a direct table of every possible code
        at, bins = code, space
        every = np.bincount(at, minlength=bins + 1)
        present = pick = np.flatnonzero(every[:bins])
    else:  # too many possible codes: number the ones that occur
        present, at = np.unique(code, return_inverse=True)
        bins = len(present) - int(bool(len(present)) and present[-1] == space)
        present = present[:bins]
        pick = np.arange(bins)
        every = np.bincount(at, minlength=bins + 1)
    counts = every[pick]
    sums = {k: np.bincount(at, w, minlength=bins + 1)[pick] for k, w in (weights or {}).items()}
    firsts = None
    if first:
        table = np.full(bins + 1, len(code), dtype=np.int64)
        np.minimum.at(table, at, np.arange(len(code), dtype=np.int64))
        firsts = table[pick]
    return Grouped(list(np.unravel_index(present, sizes)), counts, sums, firsts)


def combine(parts: Sequence[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """Rows' codes of several keys (each its codes and size; a code < 0 puts the row in no
    group) as one code, with ``space`` (the product of the sizes) for no group."""
    space = int(np.prod([max(int(s), 1) for _, s in parts], dtype=np.float64))
    code = np.zeros(len(parts[0][0]), dtype=np.int64)
    missing = np.zeros(len(code), dtype=bool)
    for part, size in parts:
        missing |= part < 0
        code *= max(int(size), 1)
        code += part
    code[missing] = space
    return code, space


class MarkGroups:
    """Sums over groups of the valid marks, keyed by codes of the student and of the entry.

    A key is given per student or per entry, never per mark: the mark's code is made by two
    gathers into buffers kept for the purpose (a new array of every mark costs more, here, in
    page faults than in arithmetic)."""

    def __init__(self, marks: ValidMarks, students: int) -> None:
        self.students = students
        self.student = marks.student  # -1 (not valid) picks the last code: no group
        self.entry = marks.entry
        self._code = np.empty(len(self.student), dtype=np.int64)
        self._part = np.empty(len(self.student), dtype=np.int64)
        self._grid = _grid_of(marks, students)
        self._none = self.student < 0 if self._grid is not None else None

    def group(
        self,
        student_keys: Sequence[tuple[np.ndarray, int]],
        entry_keys: Sequence[tuple[np.ndarray, int]],
        weights: dict[str, np.ndarray] | None = None,
        *,
        first: bool = False,
    ) -> Grouped:
        """Group the valid marks by the student keys, then the entry keys (each: codes per
        student or per entry, < 0 for none, and the number of codes). A weight of a mark that
        is not valid (a NaN score) only goes into the sum of no group."""
        sizes = [max(int(s), 1) for _, s in (*student_keys, *entry_keys)]
        space = int(np.prod(sizes, dtype=np.float64))
        strides = [int(np.prod(sizes[k + 1 :], dtype=np.float64)) for k in range(len(sizes))]
        by_student = _partial(student_keys, strides, self.students)
        by_student = np.append(by_student, _NONE)  # the marks that are not valid
        by_entry = _partial(entry_keys, strides[len(student_keys) :], 1)
        if self._grid is not None:  # students × entries in order: each code by broadcasting
            n, k = self._grid
            grid = self._code.reshape(n, k)
            if entry_keys:
                np.add(by_student[:n, None], by_entry[None, :k], out=grid)
            else:
                grid[...] = by_student[:n, None]
            np.putmask(self._code, self._none, _NONE)
        else:  # each mark's codes gathered by its student and entry
            np.take(by_student, self.student, out=self._code)
            if entry_keys:
                np.take(by_entry, self.entry, out=self._part)
                np.add(self._code, self._part, out=self._code)
        np.putmask(self._code, self._code < 0, space)
        return group_rows(self._code, sizes, weights, first=first)


def _grid_of(marks: ValidMarks, students: int) -> tuple[int, int] | None:
    """(n, k) when the marks lie students × entries in order, as one table's do: mark
    ``i·k + j`` is student ``i``'s (or no valid mark) on entry ``j``. A mark's codes are then
    its row's and its column's, added by broadcasting instead of gathered mark by mark (the
    gathers were a third of the analysis of 5.4 million marks)."""
    k = len(marks.fulls)
    if not k or len(marks.entry) % k:
        return None
    n = len(marks.entry) // k
    if n > students:
        return None
    entry, student = marks.entry.reshape(n, k), marks.student.reshape(n, k)
    if not (entry == np.arange(k)).all():
        return None
    if not ((student == np.arange(n)[:, None]) | (student < 0)).all():
        return None
    return n, k


def _partial(keys: Sequence[tuple[np.ndarray, int]], strides: Sequence[int], n: int) -> np.ndarray:
    """The part of the combined code that ``keys`` give (each row's codes times the stride);
    ``_NONE`` for a row where one of them is < 0."""
    part = np.zeros(len(keys[0][0]) if keys else n, dtype=np.int64)
    missing = np.zeros(len(part), dtype=bool)
    for (codes_, _), stride in zip(keys, strides, strict=False):
        missing |= codes_ < 0
        part += codes_ * stride
    part[missing] = _NONE
    return part
