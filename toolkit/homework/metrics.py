"""作业检查 figures (docs/口径.md) as pure functions: records in, tables out.

``records`` is the validated frame of :data:`~toolkit.homework.schema.HOMEWORK` (one row per
inspection of one teacher's homework in one class and subject). Nothing here reads or writes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from toolkit.config.model import SchoolConfig
from toolkit.homework.schema import KINDS_OF_HOMEWORK
from toolkit.records.fields import LEVELS
from toolkit.records.period import Period, month_of
from toolkit.records.rollup import class_rollup, grade_rollup, grade_then_school, joined, share

MARKING = ("有批", "有改", "有评", "有追踪", "错题再学习")
RATE_COLUMNS = [f"{m}率" for m in MARKING]
SHARE_COLUMNS = [f"{k}占比" for k in KINDS_OF_HOMEWORK]
LEVEL_COLUMNS = [f"{level}数" for level in LEVELS]
MEASURE_COLUMNS = [
    "检查次数", "布置次数", *KINDS_OF_HOMEWORK, *SHARE_COLUMNS, "日均时长", "超时记录数",
    *RATE_COLUMNS, "平均得分", "最低得分", *LEVEL_COLUMNS,
]  # fmt: skip
ISSUE_COLUMNS = [
    "检查日期", "年级", "班级", "学科", "任课教师", "得分", "等级", "存在问题", "整改要求",
    "检查人",
]  # fmt: skip


@dataclass
class HomeworkSummary:
    period: Period
    records: pd.DataFrame  # the inspections counted, with 月份, 时长上限 and 超时
    used: pd.DataFrame  # every record any table counts (e.g. term-to-date for the trend)
    classes: pd.DataFrame  # per 年级 × 班级, 年级, 全校
    subjects: pd.DataFrame  # per 年级 × 学科, 年级, 全校
    teachers: pd.DataFrame  # per 任课教师 × 学科
    months: pd.DataFrame | None  # per 月份 × 年级 and 全校, when several months are present
    issues: pd.DataFrame  # every inspection with 存在问题
    over_limit: pd.DataFrame  # inspections whose 日均时长 is over the grade's limit
    low_scores: pd.DataFrame  # teachers with an inspection scored below the alert line
    alert_score: float


def prepare(records: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    """The records with 月份, the grade's 时长上限 (NaN: no limit) and whether 日均时长 is over."""
    out = records.copy()
    out["月份"] = month_of(out["检查日期"])
    limits = out["年级"].map(lambda g: config.homework_minutes.get(int(g), float("nan")))
    out["时长上限"] = limits.astype(float)
    out["超时"] = (out["日均时长"].astype(float) > out["时长上限"]).fillna(False)
    return out


def measure(records: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Every figure of one group of inspections (see :data:`MEASURE_COLUMNS`)."""
    flags = pd.DataFrame({k: records[k] for k in keys})
    flags["检查次数"] = 1
    for column in ("布置次数", *KINDS_OF_HOMEWORK):
        flags[column] = records[column].astype("Float64")
    flags["日均时长"] = records["日均时长"].astype(float)
    flags["超时记录数"] = records["超时"].astype(int) if "超时" in records else 0
    for mark in MARKING:
        flags[f"{mark}率"] = records[mark].astype("Float64")  # True 1, False 0, unknown NA
    flags["平均得分"] = records["得分"].astype(float)
    flags["最低得分"] = records["得分"].astype(float)
    for level, column in zip(LEVELS, LEVEL_COLUMNS, strict=True):
        flags[column] = (records["等级"] == level).astype(int)
    grouped = flags.groupby(keys, sort=True, dropna=False)
    sums = ["检查次数", "布置次数", *KINDS_OF_HOMEWORK, "超时记录数", *LEVEL_COLUMNS]
    means = ["日均时长", *RATE_COLUMNS, "平均得分"]
    out = pd.concat(
        [
            grouped[sums].sum(min_count=0),
            grouped[means].mean(),
            grouped["最低得分"].min(),
        ],
        axis=1,
    ).reset_index()
    kinds_total = out[list(KINDS_OF_HOMEWORK)].astype(float).sum(axis=1)
    for kind, column in zip(KINDS_OF_HOMEWORK, SHARE_COLUMNS, strict=True):
        out[column] = share(out[kind].astype(float), kinds_total)
    for column in ("布置次数", *KINDS_OF_HOMEWORK):
        out[column] = out[column].astype(float)
    for column in means:
        out[column] = out[column].astype(float)
    return out[[*keys, *MEASURE_COLUMNS]]


def summarise(records: pd.DataFrame, config: SchoolConfig, period: Period) -> HomeworkSummary:
    """All the homework tables for ``period`` (``records``: every valid inspection read)."""
    prepared = prepare(records, config)
    scope = prepared[period.in_month(prepared["检查日期"])]
    to_date = prepared[period.up_to_month(prepared["检查日期"])]
    months = _months(to_date) if to_date["月份"].nunique() > 1 else None
    return HomeworkSummary(
        period=period,
        records=scope,
        used=to_date,
        classes=class_rollup(scope, measure),
        subjects=grade_rollup(scope, measure, by="学科", order=config.subject_order),
        teachers=_teachers(scope, config),
        months=months,
        issues=_issues(scope),
        over_limit=_over_limit(scope),
        low_scores=_low_scores(scope, config.homework_alert_score),
        alert_score=config.homework_alert_score,
    )


def _classes_text(records: pd.DataFrame) -> str:
    from toolkit.base.classnames import class_name

    pairs = sorted(
        {(int(g), int(c)) for g, c in zip(records["年级"], records["班级"], strict=True)}
    )
    return "、".join(class_name(g, c) for g, c in pairs)


def _teachers(scope: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    table = measure(scope, ["任课教师", "学科"])
    classes = (
        scope.groupby(["任课教师", "学科"], sort=True)[["年级", "班级"]]
        .apply(_classes_text)
        .rename("任教班级")
        .reset_index()
    )
    table = table.merge(classes, on=["任课教师", "学科"], how="left")
    table["_order"] = table["学科"].map(config.subject_order)
    table = table.sort_values(["_order", "任课教师"], kind="stable").drop(columns="_order")
    return table[["任课教师", "学科", "任教班级", *MEASURE_COLUMNS]].reset_index(drop=True)


def _months(records: pd.DataFrame) -> pd.DataFrame:
    """Per 月份 × 年级, then the whole school per 月份 (年级 NA): the 月检 trend."""
    frame = grade_then_school(
        measure(records, ["月份", "年级"]), measure(records, ["月份"]), "月份"
    )
    return frame[["年级", "月份", *MEASURE_COLUMNS]]


def _issues(scope: pd.DataFrame) -> pd.DataFrame:
    noted = scope["存在问题"].fillna("").astype(str).str.strip() != ""
    rows = scope.loc[noted, ISSUE_COLUMNS]
    return rows.sort_values(["检查日期", "年级", "班级"], kind="stable").reset_index(drop=True)


def _over_limit(scope: pd.DataFrame) -> pd.DataFrame:
    columns = ["检查日期", "年级", "班级", "学科", "任课教师", "日均时长", "时长上限"]
    rows = scope.loc[scope["超时"].astype(bool), columns].copy()
    rows["超出分钟"] = rows["日均时长"].astype(float) - rows["时长上限"]
    return rows.sort_values(["年级", "班级", "检查日期"], kind="stable").reset_index(drop=True)


def _low_scores(scope: pd.DataFrame, line: float) -> pd.DataFrame:
    """Teachers with at least one inspection scored below ``line``, lowest first."""
    columns = ["任课教师", "学科", "任教班级", "检查次数", "低于预警分次数", "平均得分", "最低得分",
               "存在问题"]  # fmt: skip
    if scope.empty:
        return pd.DataFrame(columns=columns)
    low = scope["得分"].astype(float) < line
    rows = []
    for (teacher, subject), block in scope.groupby(["任课教师", "学科"], sort=True):
        below = low.loc[block.index]
        if not below.any():
            continue
        rows.append(
            {
                "任课教师": teacher,
                "学科": subject,
                "任教班级": _classes_text(block),
                "检查次数": len(block),
                "低于预警分次数": int(below.sum()),
                "平均得分": float(block["得分"].astype(float).mean()),
                "最低得分": float(block["得分"].astype(float).min()),
                # each phrase once: inspections repeat "订正不及时" in longer texts
                "存在问题": joined(
                    block.loc[below, "存在问题"].dropna().astype(str).str.split("[；;]").explode(),
                    "；",
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["最低得分", "任课教师"], kind="stable").reset_index(drop=True)
