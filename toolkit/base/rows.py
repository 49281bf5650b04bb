"""Row accounting, written once: every reader counts the data rows it read, how many it counted
and how many it skipped (each skip listed with its reason), and every output says so."""

from __future__ import annotations

from collections.abc import Iterable

ROW_KEYS = ("读取", "计入", "跳过")


def row_totals(read: int, counted: int) -> dict[str, int]:
    """读取 = 计入 + 跳过: the rows under the headers, those that became records, the rest."""
    return {"读取": read, "计入": counted, "跳过": read - counted}


def sum_rows(totals: Iterable[dict[str, int]]) -> dict[str, int]:
    """Rows read, counted and skipped, added up over several sources."""
    total = dict.fromkeys(ROW_KEYS, 0)
    for counts in totals:
        for key in total:
            total[key] += counts[key]
    return total


def rows_checked(totals: dict[str, int]) -> str:
    """The 行数核对 value of a 口径说明 sheet: 读取 N 行：计入 …，跳过 …(，不在统计范围 …)."""
    outside = f"，不在统计范围 {totals['不在范围']}" if totals.get("不在范围") else ""
    return f"读取 {totals['读取']} 行：计入 {totals['计入']}，跳过 {totals['跳过']}{outside}"
