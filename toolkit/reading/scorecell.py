"""One score cell → a number, an absence, or the reason it is neither.

Only what the cell *is* is decided here; whether a number is allowed (0 ≤ score ≤ 满分) is a
rule of the score schema (:mod:`toolkit.scores.schema`).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from toolkit.base.text import normalize
from toolkit.reading.faults import CellFault
from toolkit.reading.vocabulary import (
    ABSENT_WORDS,
    EXCLUDED_WORDS,
    LEVEL_SPELLINGS,
    NOT_TAKING_MARKS,
)

if TYPE_CHECKING:
    import numpy as np

Status = Literal["valid", "absent", "invalid", "not_taking", "level"]
# The statuses in the order of their small-integer codes in a :class:`ScoreColumn`.
STATUSES: tuple[Status, ...] = ("valid", "absent", "invalid", "not_taking", "level")
VALID, ABSENT, INVALID, NOT_TAKING, LEVEL = range(len(STATUSES))

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# An absence with a note, as offices type and platforms export it: 缺考，不计排名 / 缺考(病假) /
# 0（缺考）: the word says absent whatever the note or placeholder beside it.
_WORDS = "|".join(sorted((w for w in ABSENT_WORDS if len(w) > 1), key=len, reverse=True))
_ABSENT_NOTED = re.compile(
    rf"^(?:(?:{_WORDS})[,，;；:：、(（\[【].*|0?(?:\.0+)?[(（\[【](?:{_WORDS})[)）\]】])$"
)


# A score the exam office struck out (作弊, 违纪, or a mark followed by 剔除): not a score and
# not an error; counted with the absent (out of 实考), and noted at its cell by the reader.
_STRUCK = "|".join(sorted(EXCLUDED_WORDS, key=len, reverse=True))
_EXCLUDED = re.compile(rf"^(?:\d+(?:\.\d+)?)?[,，;；、:：(（\[【]?(?:{_STRUCK})[)）\]】]?$")


@dataclass(frozen=True, slots=True)
class ScoreCell:
    status: Status
    score: float | None = None
    code: str = ""  # rule code of the problem when invalid
    level: str = ""  # 优秀/良好/合格/待合格 when the cell holds a level, not a score


_ABSENT = ScoreCell("absent")
_NOT_TAKING = ScoreCell("not_taking")
_EXCLUDED_CELL = ScoreCell("absent", code="score.excluded")


def parse_score(value: object, levels: Mapping[str, str] = LEVEL_SPELLINGS) -> ScoreCell:
    """Interpret one cell. Blank counts as absent (a listed student with no score).

    ``levels`` maps a level's spellings (case-folded) to 优秀/良好/合格/待合格: the usual ones,
    with the school's own added by its config (等级写法, docs/口径.md)."""
    if value is None or value == "":
        return _ABSENT
    if isinstance(value, bool):
        return ScoreCell("invalid", code="score.invalid")
    if isinstance(value, CellFault):  # #DIV/0!, or a formula never computed: not a blank
        return ScoreCell("invalid", code=value.code)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return _ABSENT
        try:
            return ScoreCell("valid", float(value))
        except OverflowError:  # an int beyond float range: no score is that large
            return ScoreCell("invalid", code="score.invalid")
    if isinstance(value, numbers.Real):  # numpy's numbers: the value they hold, as for a float
        number = float(value)
        return _ABSENT if math.isnan(number) else ScoreCell("valid", number)
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return ScoreCell("invalid", code="score.date")
    text = normalize(value).replace(" ", "")
    if not text:
        return _ABSENT
    if text in ABSENT_WORDS or _ABSENT_NOTED.match(text):
        return _ABSENT
    if text in NOT_TAKING_MARKS:
        return _NOT_TAKING
    if _EXCLUDED.match(text):
        return _EXCLUDED_CELL
    if text.endswith("分"):
        text = text[:-1]
    if _NUMBER.match(text):
        return ScoreCell("valid", float(text))
    level = levels.get(text.lower())
    if level is not None:
        return ScoreCell("level", level=level)
    return ScoreCell("invalid", code="score.invalid")


@dataclass(frozen=True)
class ScoreColumn:
    """A column of score cells read at once: per cell what :func:`parse_score` says, as arrays.

    ``status`` holds each cell's index into :data:`STATUSES` (int8); ``score`` the number of a
    valid cell (NaN elsewhere). The few cells with a rule code or a level are ``noted``
    (positions, in order) with their ``noted_code`` and ``noted_level`` ("" where there is
    none): a city's column of five million marks holds a few thousand, and ``code`` and
    ``level`` spell them out over every cell only when asked."""

    status: np.ndarray
    score: np.ndarray
    noted: np.ndarray
    noted_code: np.ndarray
    noted_level: np.ndarray

    def __len__(self) -> int:
        return len(self.status)

    @property
    def code(self) -> np.ndarray:
        """Each cell's rule code, "" where there is none (object array)."""
        return self._spelled(self.noted_code)

    @property
    def level(self) -> np.ndarray:
        """Each cell's level, "" where there is none (object array)."""
        return self._spelled(self.noted_level)

    def _spelled(self, noted: np.ndarray) -> np.ndarray:
        import numpy as np

        every = np.full(len(self), "", dtype=object)
        every[self.noted] = noted
        return every

    def cell(self, i: int) -> ScoreCell:
        """Cell ``i`` as :func:`parse_score` gives it."""
        import numpy as np

        status = STATUSES[int(self.status[i])]
        score = float(self.score[i]) if status == "valid" else None
        at = int(np.searchsorted(self.noted, i))
        if at < len(self.noted) and self.noted[at] == i:
            return ScoreCell(status, score, str(self.noted_code[at]), str(self.noted_level[at]))
        return ScoreCell(status, score)


class _Kinds(dict[type, int]):
    """A cell's type → how the column parse treats it; any other type is parsed one by one."""

    def __missing__(self, key: type) -> int:
        return _ONE_BY_ONE


_FLOAT, _TEXT, _NONE, _INT, _ONE_BY_ONE = range(5)
_STRETCH = 1024  # cells: an export's 缺考 rows leave most stretches of this size all numbers
# Exact types only: bool is an int, a CellFault is a str, and both mean something else.
_KINDS = _Kinds({float: _FLOAT, str: _TEXT, type(None): _NONE, int: _INT})


def parse_scores(
    values: Sequence[object], levels: Mapping[str, str] = LEVEL_SPELLINGS
) -> ScoreColumn:
    """Interpret a column of cells at once, cell for cell as :func:`parse_score` would.

    Numbers are taken as they are (NaN is blank), all at once; a text (``87``, ``８７``,
    ``87分``, ``缺考（病假）``, a level) is parsed once however often it occurs in the column; only
    what is neither a number, a text nor blank (a date, a bool, an error value, a huge int) is
    parsed cell by cell."""
    import numpy as np
    import pandas as pd
    from pandas.api.types import infer_dtype

    n = len(values)
    if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
        cells = values  # a grid's column: no copy
    else:
        cells = np.fromiter(values, dtype=object, count=n)
    # A stretch at a time: each cell's kind by its type, and the numbers taken as they are.
    # A stretch pandas finds all floats (a scan in C) is numbers without a look at each cell,
    # and most of an export's stretches are; no array of the whole column is made but the
    # kinds and the scores (five million marks are 43 MB an array of them).
    kinds = np.empty(n, dtype=np.int8)
    score = np.full(n, np.nan)
    for start in range(0, n, _STRETCH):
        end = min(start + _STRETCH, n)
        stretch = cells[start:end]
        if infer_dtype(stretch, skipna=False) == "floating":
            kinds[start:end] = _FLOAT
            score[start:end] = stretch.astype(np.float64)
            continue
        kind = np.fromiter(map(_KINDS.__getitem__, map(type, stretch)), np.int8, end - start)
        numeric = (kind == _FLOAT) | (kind == _INT)
        try:
            score[start:end][numeric] = stretch[numeric].astype(np.float64)
        except OverflowError:  # an int beyond float range: no score is that large
            for i in np.flatnonzero(numeric):
                try:
                    score[start + i] = float(stretch[i])
                except OverflowError:
                    kind[i] = _ONE_BY_ONE  # parsed cell by cell, below
        kinds[start:end] = kind
    # A number is valid, NaN (a blank number cell) absent, as is a blank (None) cell.
    status = np.where(np.isnan(score), ABSENT, VALID).astype(np.int8)
    one_by_one = np.flatnonzero(kinds == _ONE_BY_ONE)

    # The cells with a rule code or a level, as (position, parsed cell): texts by their kind
    # (a column of 缺考 and 优 repeats a few), the rest one by one.
    noted: list[tuple[np.ndarray, list[ScoreCell]]] = []
    at = np.flatnonzero(kinds == _TEXT)
    if len(at):
        which, texts = pd.factorize(cells[at])
        parsed = [parse_score(text, levels) for text in texts]
        status[at] = np.array([STATUSES.index(p.status) for p in parsed], np.int8)[which]
        score[at] = np.array([np.nan if p.score is None else p.score for p in parsed])[which]
        said = np.array([bool(p.code or p.level) for p in parsed], dtype=bool)[which]
        noted.append((at[said], [parsed[w] for w in which[said]]))

    one = [parse_score(cells[i], levels) for i in one_by_one]
    for i, cell in zip(one_by_one, one, strict=True):
        status[i] = STATUSES.index(cell.status)
        score[i] = np.nan if cell.score is None else cell.score
    said = np.array([bool(p.code or p.level) for p in one], dtype=bool)
    noted.append((one_by_one[said], [p for p in one if p.code or p.level]))

    where = np.concatenate([at for at, _ in noted]).astype(np.int64)
    found = [cell for _, cells_said in noted for cell in cells_said]
    order = np.argsort(where, kind="stable")
    return ScoreColumn(
        status,
        score,
        where[order],
        np.array([found[o].code for o in order], dtype=object),
        np.array([found[o].level for o in order], dtype=object),
    )
