"""薄弱点台账 figures (docs/口径.md) as pure functions: records in, tables out.

``records`` is the validated frame of :data:`~toolkit.weakpoints.schema.WEAKPOINTS` (one row per
weak point of one class). The ledger is cumulative: every point registered up to the
reference date (``--as-of``) counts, in the state the ledger gives it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from toolkit.base.text import normalize
from toolkit.config.model import SchoolConfig
from toolkit.records.period import Period, month_of
from toolkit.records.rollup import class_rollup, grade_rollup, grade_then_school, joined, share
from toolkit.weakpoints.schema import STATES

CLOSED = "已销号"
MEASURE_COLUMNS = [
    "登记数", *STATES, "销号率", "逾期数", "平均错误率", "复测数", "平均复测正确率", "平均提升",
]  # fmt: skip
OVERDUE_COLUMNS = [
    "年级", "班级", "学科", "知识点", "状态", "登记日期", "计划完成日期", "逾期天数", "责任教师",
    "改进措施",
]  # fmt: skip
RETEST_COLUMNS = [
    "年级", "班级", "学科", "知识点", "错误率", "原正确率", "复测正确率", "提升", "复测日期",
]  # fmt: skip


@dataclass
class WeakpointSummary:
    period: Period
    as_of: dt.date
    records: pd.DataFrame  # registered up to as_of, with 错误率(计算), 逾期, 提升
    used: pd.DataFrame  # every record any table counts (e.g. term-to-date for the trend)
    classes: pd.DataFrame  # per 年级 × 班级, 年级, 全校
    subjects: pd.DataFrame  # per 年级 × 学科, 年级, 全校
    overdue: pd.DataFrame  # not 销号 and past 计划完成日期, most overdue first
    retests: pd.DataFrame  # points with a 复测正确率: 提升 = 复测正确率 − (1 − 错误率)
    recurring: pd.DataFrame  # knowledge points registered in two or more classes of a grade
    months: pd.DataFrame  # per 月份: new (登记) and closed (销号, by 复测日期), by grade and school


def prepare(records: pd.DataFrame, config: SchoolConfig, as_of: dt.date) -> pd.DataFrame:
    out = records[records["登记日期"] <= pd.Timestamp(as_of)].copy()
    sizes = {(c.grade, c.number): c.size for c in config.classes if c.size}
    # 错误率 where the ledger gives only 涉及人数: the share of the class, when its size is known.
    derived = [
        (n / sizes[(int(g), int(c))]) if pd.notna(n) and (int(g), int(c)) in sizes else None
        for g, c, n in zip(out["年级"], out["班级"], out["涉及人数"], strict=True)
    ]
    out["错误率(计算)"] = out["错误率"].astype(float).fillna(pd.Series(derived, index=out.index))
    out["错误率(计算)"] = out["错误率(计算)"].astype(float)
    out["逾期"] = (out["状态"] != CLOSED) & (out["计划完成日期"] < pd.Timestamp(as_of))
    out["逾期"] = out["逾期"].fillna(False).astype(bool)
    out["原正确率"] = 1 - out["错误率(计算)"]
    out["提升"] = out["复测正确率"].astype(float) - out["原正确率"]
    out["登记月份"] = month_of(out["登记日期"])
    closed_on = out["复测日期"].where(out["状态"] == CLOSED)
    out["销号月份"] = month_of(closed_on)
    return out


def measure(records: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    flags = pd.DataFrame({k: records[k] for k in keys})
    flags["登记数"] = 1
    for state in STATES:
        flags[state] = (records["状态"] == state).astype(int)
    flags["逾期数"] = records["逾期"].astype(int)
    flags["平均错误率"] = records["错误率(计算)"].astype(float)
    flags["复测数"] = records["复测正确率"].notna().astype(int)
    flags["平均复测正确率"] = records["复测正确率"].astype(float)
    flags["平均提升"] = records["提升"].astype(float)
    grouped = flags.groupby(keys, sort=True, dropna=False)
    out = pd.concat(
        [
            grouped[["登记数", *STATES, "逾期数", "复测数"]].sum(),
            grouped[["平均错误率", "平均复测正确率", "平均提升"]].mean(),
        ],
        axis=1,
    ).reset_index()
    out["销号率"] = share(out[CLOSED], out["登记数"])
    return out[[*keys, *MEASURE_COLUMNS]]


def summarise(records: pd.DataFrame, config: SchoolConfig, period: Period) -> WeakpointSummary:
    as_of = period.reference
    scope = prepare(records, config, as_of)
    return WeakpointSummary(
        period=period,
        as_of=as_of,
        records=scope,
        used=scope,
        classes=class_rollup(scope, measure),
        subjects=grade_rollup(scope, measure, by="学科", order=config.subject_order),
        overdue=_overdue(scope, as_of),
        retests=_retests(scope),
        recurring=_recurring(scope, config),
        months=_months(scope),
    )


def _overdue(scope: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    rows = scope[scope["逾期"]].copy()
    rows["逾期天数"] = (pd.Timestamp(as_of) - rows["计划完成日期"]).dt.days
    rows = rows.sort_values(["逾期天数", "年级", "班级"], ascending=[False, True, True])
    return rows[OVERDUE_COLUMNS].reset_index(drop=True)


def _retests(scope: pd.DataFrame) -> pd.DataFrame:
    rows = scope[scope["提升"].notna()].copy()
    rows["错误率"] = rows["错误率(计算)"]
    rows = rows.sort_values(["年级", "班级", "学科", "登记日期"], kind="stable")
    return rows[RETEST_COLUMNS].reset_index(drop=True)


def _recurring(scope: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    """Knowledge points (compared without spaces or width differences) in 2+ classes of a grade."""
    from toolkit.base.classnames import class_name

    columns = ["年级", "学科", "知识点", "班级数", "涉及班级", "平均错误率", "未销号数"]
    keyed = scope.assign(_point=scope["知识点"].map(lambda t: normalize(t).replace(" ", "")))
    rows = []
    for (grade, subject, _point), block in keyed.groupby(["年级", "学科", "_point"], sort=True):
        classes = sorted(set(block["班级"].astype(int)))
        if len(classes) < 2:
            continue
        rows.append(
            {
                "年级": int(grade),
                "学科": subject,
                "知识点": joined(block["知识点"], " / "),
                "班级数": len(classes),
                "涉及班级": "、".join(class_name(int(grade), c) for c in classes),
                "平均错误率": float(block["错误率(计算)"].mean()),
                "未销号数": int((block["状态"] != CLOSED).sum()),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return frame
    frame["_s"] = frame["学科"].map(config.subject_order)
    frame = frame.sort_values(["年级", "班级数", "_s"], ascending=[True, False, True])
    return frame.drop(columns="_s").reset_index(drop=True)


def _months(scope: pd.DataFrame) -> pd.DataFrame:
    """Per 年级 × 月份 and 全校 × 月份: 新增 (by 登记日期) and 销号 (by 复测日期)."""
    columns = ["年级", "月份", "新增", "销号", "净增"]
    new = scope.groupby(["年级", "登记月份"]).size().rename("新增")
    new.index.names = ["年级", "月份"]
    closed = scope.dropna(subset=["销号月份"]).groupby(["年级", "销号月份"]).size().rename("销号")
    closed.index.names = ["年级", "月份"]
    by_grade = pd.concat([new, closed], axis=1).fillna(0).astype(int).reset_index()
    if by_grade.empty:
        return pd.DataFrame(columns=columns)
    school = by_grade.groupby("月份", as_index=False)[["新增", "销号"]].sum()
    frame = grade_then_school(by_grade, school, "月份")
    frame["净增"] = frame["新增"] - frame["销号"]
    return frame[columns]
