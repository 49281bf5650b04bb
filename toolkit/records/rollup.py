"""Per class, per grade and whole-school rows of one measure, in the order a school reads them.

Every routine-records summary has the same shape as the score summary: each grade's classes,
then the grade's own row (班级 empty), and at the end one 全校 row (年级 and 班级 empty). The
grade and school rows are measured on the records themselves, never averaged from class rows,
so a class with more inspections weighs more, as it does in the records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

Measure = Callable[[pd.DataFrame, list[str]], pd.DataFrame]
"""``measure(records, keys)`` → one row per ``keys`` group, ``keys`` as columns."""


def class_rollup(
    records: pd.DataFrame, measure: Measure, *, extra: Sequence[str] = (), school_row: bool = True
) -> pd.DataFrame:
    """Rows per 年级 × 班级 (× ``extra``), then per 年级, then (optionally) 全校."""
    return _rollup(records, measure, ["年级", "班级"], list(extra), school_row)


def grade_rollup(
    records: pd.DataFrame,
    measure: Measure,
    *,
    by: str,
    order: Callable[[object], object] | None = None,
    school_row: bool = True,
) -> pd.DataFrame:
    """Rows per 年级 × ``by`` (e.g. 学科, sorted by ``order``), then per 年级, then 全校; the
    年级 row has ``by`` NA."""
    return _rollup(records, measure, ["年级", by], [], school_row, order)


def _rollup(
    records: pd.DataFrame,
    measure: Measure,
    keys: list[str],
    extra: list[str],
    school_row: bool,
    order: Callable[[object], object] | None = None,
) -> pd.DataFrame:
    inner, outer = keys[1], keys[0]
    if records.empty:
        return measure(records, [*keys, *extra]).iloc[0:0]
    parts = [measure(records, [*keys, *extra]), measure(records, [outer, *extra])]
    if school_row:
        whole = measure(records.assign(_all=0), ["_all", *extra]).drop(columns="_all")
        parts.append(whole)
    frame = pd.concat(parts, ignore_index=True)
    for key in (outer, inner):
        frame[key] = keys_as_objects(frame[key])
    order = frame.assign(
        _outer_missing=frame[outer].isna(),
        _inner_missing=frame[inner].isna(),
        _outer=frame[outer].fillna(10**6),
        _inner=frame[inner].map(lambda v: None if v is None else order(v))
        if order
        else frame[inner],
    )
    by = ["_outer_missing", "_outer", "_inner_missing", "_inner", *extra]
    order = order.sort_values(by, kind="stable", na_position="last")
    columns = [outer, inner, *extra, *[c for c in frame.columns if c not in (outer, inner, *extra)]]
    return order[columns].reset_index(drop=True)


def grade_then_school(by_grade: pd.DataFrame, school: pd.DataFrame, by: str) -> pd.DataFrame:
    """Rows per 年级 × ``by`` (e.g. 月份), then the school's per ``by`` (年级 None): the
    month-by-month tables, where the school row of each month is not a grade's."""
    frame = pd.concat([by_grade, school.assign(年级=None)], ignore_index=True)
    frame["年级"] = keys_as_objects(frame["年级"])
    frame = frame.assign(_school=frame["年级"].isna(), _g=frame["年级"].fillna(0))
    frame = frame.sort_values(["_school", "_g", by], kind="stable")
    return frame.drop(columns=["_school", "_g"]).reset_index(drop=True)


def keys_as_objects(values: pd.Series) -> pd.Series:
    """Key values as plain Python objects: ints stay ints (concat with NA makes them floats)
    and missing is None, so a key is never shown as ``3.0``."""
    return pd.Series(
        [
            None if pd.isna(v) else int(v) if isinstance(v, float) and v.is_integer() else v
            for v in values
        ],
        index=values.index,
        dtype="object",
    )


def level(frame: pd.DataFrame, inner: str = "班级") -> pd.Series:
    """ "class", "grade" or "school" for each row of a rollup."""
    return pd.Series(
        [
            "school" if pd.isna(g) else "grade" if pd.isna(c) else "class"
            for g, c in zip(frame["年级"], frame[inner], strict=True)
        ],
        index=frame.index,
        dtype="object",
    )


def share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole as floats, NaN where whole is 0 or missing (no records, no rate)."""
    whole = whole.astype(float)
    return part.astype(float) / whole.where(whole > 0)


def rate_of(flags: pd.Series) -> float:
    """Share of True among the known (non-missing) flags; NaN when none is known."""
    known = flags.dropna()
    return float(known.astype(bool).mean()) if len(known) else float("nan")


def joined(values: pd.Series, sep: str = "、") -> str:
    """Distinct non-blank texts in first-seen order, joined."""
    return sep.join(dict.fromkeys(str(v) for v in values.dropna() if str(v).strip()))
