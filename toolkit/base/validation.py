"""Run a pandera schema lazily and turn every failure case into a located :class:`Problem`.

Schemas are declared by each record kind (``toolkit/<kind>/schema.py``); this is the one
place that checks a frame against one. Each check is named after the rule code whose message
template lives in :mod:`toolkit.base.problems`, so a failure becomes a sentence naming its cell.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from toolkit.base.problems import Problem, Severity

# A function that, given the frame row and the failing column, says where and what it was.
Locator = Callable[[pd.Series, str], dict[str, Any]]


def warm_up(schema: Callable[[], Any], example: Mapping[str, Sequence[Any]]) -> threading.Thread:
    """Check ``example`` (a passing frame's columns) against ``schema()`` on a thread of its
    own, started before the inputs are read; join it before validating. pandera's import and
    first check take about 0.3 s, and they run while the reader waits on zlib and calamine,
    which hold no GIL (docs/scale.md)."""

    def check() -> None:
        with contextlib.suppress(Exception):  # the real check, later, says what is wrong
            failing_rows(schema(), pd.DataFrame(dict(example)))

    thread = threading.Thread(target=check, name="pandera-warm-up", daemon=True)
    thread.start()
    return thread


def failing_rows(schema: Any, frame: pd.DataFrame) -> dict[str, list[tuple[Any, str]]]:
    """Rule code → [(index label, column)] for every failing row; empty when the frame passes."""
    import pandera.errors

    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return {}
    found: dict[str, list[tuple[Any, str]]] = {}
    seen: set[tuple[str, Any]] = set()
    for check, column, index in cases[["check", "column", "index"]].itertuples(index=False):
        if index is None or (isinstance(index, float) and pd.isna(index)):
            continue
        code = str(check)
        if (code, index) in seen:  # frame-wide checks report one case per column
            continue
        seen.add((code, index))
        found.setdefault(code, []).append((index, str(column)))
    return found


def problems_from(
    schema: Any,
    frame: pd.DataFrame,
    severity: Severity,
    locate: Locator,
    codes: Mapping[str, str] | None = None,
    checked: Sequence[str] | None = None,
) -> tuple[list[Problem], dict[Any, str]]:
    """Validate ``frame``; return the problems and, per failing index label, its rule code.
    ``checked``: the only columns the schema reads, handed to pandera alone (a frame-wide
    check's failures are gathered over every column it is handed); rows are still located in
    the whole frame."""
    codes = codes or {}
    problems: list[Problem] = []
    bad: dict[Any, str] = {}
    shown = frame if checked is None else frame[list(checked)]
    for check, cases in failing_rows(schema, shown).items():
        code = codes.get(check, check)
        for index, column in cases:
            row = frame.loc[index]
            where = locate(row, column)
            problems.append(
                Problem(
                    severity,
                    code,
                    where.pop("file", ""),
                    where.pop("sheet", ""),
                    where.pop("cell", ""),
                    where.pop("value", None),
                    where,
                )
            )
            bad.setdefault(index, code)
    return problems, bad
