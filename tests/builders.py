"""Records shaped like the score reader's output, for tests that start after reading."""

from __future__ import annotations

import math
from typing import Any

SCHOOL = "实验小学"
NAN = float("nan")


def student(
    grade: int,
    cls: int,
    student_id: str,
    name: str,
    *,
    file: str,
    row: int,
    total: float = NAN,
) -> tuple[Any, ...]:
    """A student row as the reader makes it (``STUDENT_COLUMNS``): name in column B, 总分 in F."""
    return (
        SCHOOL,
        grade,
        cls,
        student_id,
        name,
        student_id or f"姓名:{name}",
        total,
        f"F{row}" if not math.isnan(total) else "",
        file,
        "Sheet1",
        row,
        f"B{row}",
    )
