"""One score cell → a number, an absence, or the reason it is neither.

Only what the cell *is* is decided here; whether a number is allowed (0 ≤ score ≤ 满分) is a
rule of the score schema (:mod:`toolkit.scores.schema`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from toolkit.base.text import normalize
from toolkit.reading.faults import CellFault
from toolkit.reading.vocabulary import (
    ABSENT_WORDS,
    EXCLUDED_WORDS,
    LEVEL_SPELLINGS,
    NOT_TAKING_MARKS,
)

Status = Literal["valid", "absent", "invalid", "not_taking", "level"]

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
