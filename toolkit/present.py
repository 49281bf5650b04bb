"""What a report shows, apart from the format it is written in: the small tables of an overview
sheet with the chart to draw beside each, the labels of rollup rows, and keys shown as names.

The analysis (``pack``) says what to show with these; ``render`` writes them as xlsx, docx or
pptx. Nothing here imports a writer library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from toolkit.base.classnames import class_name, grade_name
from toolkit.base.rows import rows_checked

SCHOOL_LABEL, GRADE_LABEL = "全校", "全年级"
# Lists of named pupils (their scores, ranks, 临界生) are for the school's teachers only: results
# are told to each family privately, never published (docs/口径.md, 等级评价).
INTERNAL_MARK = "内部资料 请勿外传"


def internal(title: str) -> str:
    """A title (and so the print header) of a sheet that lists pupils by name."""
    return f"{title}（{INTERNAL_MARK}）"


@dataclass(frozen=True)
class ChartSpec:
    """What to draw from a small table: its first column is the categories (x axis), and each
    of ``series`` (default: every other column) one series."""

    # column, stacked, percent_stacked (each column 100%), line, bar, percent_stacked_bar,
    # radar or scatter
    kind: str
    title: str
    y_title: str = ""
    x_title: str = ""
    series: tuple[str, ...] = ()
    percent: bool = False
    y_max: float | None = None
    labels: bool = True  # data labels on each point (off for crowded charts)
    number_format: str = ""  # of the data labels; default 0% for rates, else 0.0
    # A chart of changes: the value axis runs below 0 (a decline is a bar under the zero line),
    # labels signed, the category names kept at the bottom, clear of the negative bars.
    signed: bool = False


@dataclass
class Block:
    """One small table on an overview sheet, with the chart drawn from it beside it."""

    heading: str
    frame: pd.DataFrame  # first column: category labels
    chart: ChartSpec | None = None
    roles: Mapping[str, str] | None = None
    note: str = ""


def show_keys(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[bool]]:
    """年级/班级 numbers → names (三年级, 三(2)班); a rollup's grade row reads 全年级 and its
    school row 全校. Returns the frame to show and which rows to set in bold."""
    shown = frame.copy()
    emphasis = [False] * len(frame)
    if "年级" not in shown:
        return shown, emphasis
    # Blanks found per column, not per cell (pd.isna of each of a district's cells added up).
    grades, no_grade = list(shown["年级"]), shown["年级"].isna().tolist()
    inner = next((c for c in ("班级", "学科") if c in shown), None)
    if inner is not None:
        inner_values, no_inner = list(shown[inner]), shown[inner].isna().tolist()
        labels = []
        for i, (g, v, g_blank, v_blank) in enumerate(
            zip(grades, inner_values, no_grade, no_inner, strict=True)
        ):
            if g_blank:
                labels.append(SCHOOL_LABEL if v_blank else v)
                emphasis[i] = True
            elif v_blank:
                labels.append(GRADE_LABEL)
                emphasis[i] = True
            elif inner == "班级":
                labels.append(class_name(int(g), int(v)))
            else:
                labels.append(v)
        shown[inner] = labels
    shown["年级"] = [
        SCHOOL_LABEL if blank else grade_name(int(g))
        for g, blank in zip(grades, no_grade, strict=True)
    ]
    return shown, emphasis


def grade_block(frame: pd.DataFrame, grade: int, key: str, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of one grade of a rollup (its classes or subjects, then 全年级), labelled for an
    overview block: ``key`` shown as names, then ``columns``."""
    rows = frame[[g is not None and not pd.isna(g) and int(g) == grade for g in frame["年级"]]]
    shown, _ = show_keys(rows)
    return shown[[key, *columns]].reset_index(drop=True)


def grade_sheet_name(grade: int) -> str:
    return f"{grade_name(grade)}概览"


def grades_of(frame: pd.DataFrame) -> list[int]:
    return sorted({int(g) for g in frame["年级"] if g is not None and not pd.isna(g)})


def period_text(report: Any) -> str:
    """What a records report covers, for subtitles and 口径说明."""
    period = report.period
    if period.month:
        return f"统计月份：{period.label}"
    return "统计范围：全部记录"


def source_rows(
    report: Any,
    files: int,
    rule: str = "读取的数据行 = 计入 + 跳过（汇总行、有错误的行）+ 不在统计范围（其他月份等）",
) -> list[tuple[str, str, str]]:
    """The 数据来源 and 行数核对 rows every summary's 口径说明 starts with."""
    totals = report.row_totals()
    source = report.config.source or "未提供（使用默认值）"
    return [
        ("数据来源", "读取的文件", f"{files} 个文件；学校配置：{source}"),
        (
            "行数核对",
            rule,
            rows_checked(totals),
        ),
    ]


class Book(Protocol):
    """A summary workbook under construction, as a kind's ``build`` sees it: overview sheets of
    blocks, and tables. ``render.report_book.ReportBook`` is the xlsx one."""

    def overview(
        self, name: str, heading: str, blocks: Sequence[Block], note: str = ""
    ) -> None: ...

    def table(
        self,
        name: str,
        frame: pd.DataFrame,
        *,
        heading: str,
        subtitle: str = "",
        roles: Mapping[str, str] | None = None,
        freeze_columns: int = 0,
    ) -> Any: ...
