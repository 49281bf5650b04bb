"""How numbers read in drafted sentences: one formatter per kind of number, so the text a
finding or the Word report says is exactly what its table shows (the tables use the same
precision: scores two decimals, rates one decimal of a percent)."""

from __future__ import annotations

import math


def score(value: float) -> str:
    """``85.32``."""
    return f"{value:.2f}"


def rate(value: float) -> str:
    """``88.6%``."""
    return f"{value * 100:.1f}%"


def points(value: float) -> str:
    """A difference of two rates in percentage points: ``4.2 个百分点``."""
    return f"{abs(value) * 100:.1f} 个百分点"


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value))


def change(value: float, unit: str = "分") -> str:
    """``提高 2.10 分`` / ``下降 1.50 分`` / ``持平`` (what rounds to zero is 持平)."""
    shown = f"{abs(value):.2f}"
    if float(shown) == 0:
        return "持平"
    return f"{'提高' if value > 0 else '下降'} {shown} {unit}".rstrip()


def rate_change(value: float) -> str:
    """``提高 4.2 个百分点`` / ``下降 …`` / ``持平``."""
    shown = f"{abs(value) * 100:.1f}"
    if float(shown) == 0:
        return "持平"
    return f"{'提高' if value > 0 else '下降'} {shown} 个百分点"


def versus(value: float, reference: float) -> str:
    """A rate against the grade's: ``高于年级 4.2 个百分点`` / ``低于…`` / ``与年级持平``."""
    gap = value - reference
    shown = f"{abs(gap) * 100:.1f}"
    if float(shown) == 0:
        return "与年级持平"
    return f"{'高于' if gap > 0 else '低于'}年级 {shown} 个百分点"


def listing(items: list[str], limit: int = 5) -> str:
    """``A、B、C 等 7 个`` when there are more than ``limit``."""
    if len(items) <= limit:
        return "、".join(items)
    return f"{'、'.join(items[:limit])} 等 {len(items)} 个"
