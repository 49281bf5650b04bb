"""How numbers read in drafted sentences: one formatter per kind of number, so the text a
finding or the Word report says is exactly what its table shows (the tables use the same
precision: scores two decimals, rates one decimal of a percent)."""

from __future__ import annotations

import math


def score(value: float) -> str:
    """``85.32``."""
    return f"{value + 0.0:.2f}".replace("-0.00", "0.00")


def rate(value: float) -> str:
    """``88.6%``."""
    return f"{value * 100 + 0.0:.1f}%".replace("-0.0%", "0.0%")


def points(value: float) -> str:
    """A difference of two rates in percentage points: ``4.2 个百分点``."""
    return f"{abs(value) * 100:.1f} 个百分点"


def shown_score(value: float) -> float:
    """A score as the text and the tables show it (two decimals)."""
    return round(float(value), 2)


def shown_points(value: float) -> float:
    """A rate (or a change of rates) in percentage points as shown (one decimal)."""
    return round(float(value) * 100, 1)


def rate_gap(value: float, reference: float) -> float:
    """How far ``value`` is from ``reference``, in percentage points, computed from the two rates
    as displayed (32.2% and 23.3% are 8.9 points apart, whatever their further decimals)."""
    return round(shown_points(value) - shown_points(reference), 1)


def signed_rate(value: float) -> str:
    """``+2.7%`` / ``-1.3%`` / ``0.0%`` (never ``-0.0%``)."""
    shown = shown_points(value)
    return "0.0%" if shown == 0 else f"{shown:+.1f}%"


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
    """A rate against the grade's: ``高于年级 4.2 个百分点`` / ``低于…`` / ``与年级持平``, the
    gap taken between the two rates as displayed."""
    gap = rate_gap(value, reference)
    if gap == 0:
        return "与年级持平"
    return f"{'高于' if gap > 0 else '低于'}年级 {abs(gap):.1f} 个百分点"


def quoted(text: str) -> str:
    """A name quoted the Chinese way: “运算定律”."""
    return f"“{text}”"


def listing(items: list[str], limit: int = 5) -> str:
    """``A、B、C 等 7 个`` when there are more than ``limit``."""
    if len(items) <= limit:
        return "、".join(items)
    return f"{'、'.join(items[:limit])} 等 {len(items)} 个"


def means_line(exam: str, means: list[tuple[str, float]]) -> str:
    """``期末年级平均分：语文 81.20、数学 75.50。`` — subjects marked in levels have no average
    and are named as such, never printed as a number that is not one."""
    shown = [f"{subject} {score(value)}" for subject, value in means if is_number(value)]
    in_levels = [subject for subject, value in means if not is_number(value)]
    text = f"{exam}年级平均分：{'、'.join(shown)}。" if shown else ""
    if in_levels:
        text += f"{'、'.join(in_levels)}按等级评价，不计算平均分。"
    return text
