"""听评课 figures (docs/口径.md) as pure functions: records in, tables out.

``records`` is the validated frame of :data:`~toolkit.observation.schema.OBSERVATION` (one
row per observed lesson). Counts against the per-term quota run from the first record to the
end of the month asked for; every other table covers the month (all records without one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from toolkit.config.model import SchoolConfig
from toolkit.observation.schema import DIMENSIONS, FOLLOW_UP, LESSON_TYPES, LEVELS_OF_OBSERVATION
from toolkit.records.fields import LEVELS
from toolkit.records.period import Period, month_of
from toolkit.records.rollup import class_rollup, grade_rollup, joined, keys_as_objects, share

RATE_COLUMNS = [f"{d}得分率" for d in DIMENSIONS]
MEASURE_COLUMNS = [
    "听课节数", *DIMENSIONS, "总分", "最低总分", *RATE_COLUMNS, *[f"{level}数" for level in LEVELS],
]  # fmt: skip
OPEN_COLUMNS = [
    "日期", "授课教师", "年级", "班级", "学科", "课题", "听课人", "存在问题", "改进建议",
    "整改状态", "已过天数",
]  # fmt: skip


@dataclass
class ObservationSummary:
    period: Period
    month: str | None  # the month "本月" refers to
    as_of: dt.date
    quota: float
    follow_up_days: float
    records: pd.DataFrame  # the lessons in the month (all lessons without --month)
    used: pd.DataFrame  # every record any table counts (e.g. term-to-date for the trend)
    taught: pd.DataFrame  # per 授课教师: lessons observed, dimension means
    observers: pd.DataFrame  # per 听课人: 听课节数 this term against the quota
    unobserved: pd.DataFrame  # teachers of the 任课 sheet not observed in the month
    classes: pd.DataFrame  # per 年级 × 班级, 年级, 全校
    subjects: pd.DataFrame  # per 年级 × 学科, 年级, 全校
    lesson_types: pd.DataFrame  # 课型 counts per 年级 (+ 全校)
    levels: pd.DataFrame  # 听课层级 counts per 年级 (+ 全校)
    follow_up: pd.DataFrame  # 整改 this term per 年级 (+ 全校): items, closed share, overdue
    open_items: pd.DataFrame  # this term's 整改 items not closed, oldest first, days open


def measure(records: pd.DataFrame, keys: list[str], config: SchoolConfig) -> pd.DataFrame:
    marks = config.observation_marks
    flags = pd.DataFrame({k: records[k] for k in keys})
    flags["听课节数"] = 1
    for d in DIMENSIONS:
        flags[d] = records[d].astype(float)
    flags["总分"] = records["总分"].astype(float)
    flags["最低总分"] = records["总分"].astype(float)
    for level in LEVELS:
        flags[f"{level}数"] = (records["等级"] == level).astype(int)
    grouped = flags.groupby(keys, sort=True, dropna=False)
    out = pd.concat(
        [
            grouped[["听课节数", *[f"{level}数" for level in LEVELS]]].sum(),
            grouped[[*DIMENSIONS, "总分"]].mean(),
            grouped["最低总分"].min(),
        ],
        axis=1,
    ).reset_index()
    for d, column in zip(DIMENSIONS, RATE_COLUMNS, strict=True):
        out[column] = out[d] / marks[d]
    return out[[*keys, *MEASURE_COLUMNS]]


def summarise(records: pd.DataFrame, config: SchoolConfig, period: Period) -> ObservationSummary:
    frame = records.copy()
    # 总分 is recomputed from the three parts when all are given (a differing one was warned).
    parts = frame[list(DIMENSIONS)].astype(float)
    frame["总分"] = parts.sum(axis=1).where(parts.notna().all(axis=1), frame["总分"].astype(float))
    frame["月份"] = month_of(frame["日期"])
    month = period.latest_month(frame["日期"])
    as_of = period.reference
    in_month = frame["月份"] == month if period.month else pd.Series(True, index=frame.index)
    scope = frame[in_month.fillna(False).astype(bool)]
    term = frame[period.up_to_month(frame["日期"])]

    def by(records: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        return measure(records, keys, config)

    return ObservationSummary(
        period=period,
        month=month,
        as_of=as_of,
        quota=config.observation_quota,
        follow_up_days=config.follow_up_days,
        records=scope,
        used=term,
        taught=_taught(scope, term, config),
        observers=_observers(term, frame, month, config),
        unobserved=_unobserved(frame, term, month, config),
        classes=class_rollup(scope, by),
        subjects=grade_rollup(scope, by, by="学科", order=config.subject_order),
        lesson_types=_counts(scope, "课型", LESSON_TYPES),
        levels=_counts(scope, "听课层级", LEVELS_OF_OBSERVATION),
        follow_up=_follow_up(term, as_of, config.follow_up_days),
        open_items=_open_items(term, as_of),
    )


def _taught(scope: pd.DataFrame, term: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    """Per 授课教师: the month's lessons and means, and the term's 被听节数."""
    table = measure(scope, ["授课教师"], config).rename(columns={"听课节数": "被听节数"})
    subjects = scope.groupby("授课教师")["学科"].apply(joined).rename("学科")
    term_counts = term.groupby("授课教师").size().rename("学期被听节数")
    table = table.join(subjects, on="授课教师").join(term_counts, on="授课教师")
    table["学期被听节数"] = table["学期被听节数"].fillna(0).astype(int)
    columns = ["授课教师", "学科", "被听节数", "学期被听节数"]
    rest = [c for c in MEASURE_COLUMNS if c != "听课节数"]
    return table[[*columns, *rest]].sort_values("授课教师", kind="stable").reset_index(drop=True)


def _observers(
    term: pd.DataFrame, frame: pd.DataFrame, month: str | None, config: SchoolConfig
) -> pd.DataFrame:
    """Everyone who observed, and every teacher of the 任课 sheet (who should): 听课节数 this
    term against the quota, the month's count, and how many are still missing."""
    names = list(dict.fromkeys([*config.teachers, *sorted(term["听课人"].dropna().unique())]))
    counts = term.groupby("听课人").size()
    in_month = frame[frame["月份"] == month].groupby("听课人").size() if month else counts
    levels = term.groupby("听课人")["听课层级"].apply(joined)
    quota = config.observation_quota
    table = pd.DataFrame(
        {
            "听课人": names,
            "听课层级": [levels.get(n, "") for n in names],
            "本月听课节数": [int(in_month.get(n, 0)) for n in names],
            "学期听课节数": [int(counts.get(n, 0)) for n in names],
        }
    )
    table["学期要求"] = quota
    table["还差节数"] = (quota - table["学期听课节数"]).clip(lower=0)
    table["达标"] = table["还差节数"] <= 0
    return table.sort_values(
        ["达标", "还差节数", "听课人"], ascending=[True, False, True]
    ).reset_index(drop=True)


def _unobserved(
    frame: pd.DataFrame, term: pd.DataFrame, month: str | None, config: SchoolConfig
) -> pd.DataFrame:
    """Teachers of the 任课 sheet with no lesson observed in the month, and when they last were."""
    from toolkit.base.classnames import class_name

    columns = ["任课教师", "学科", "任教班级", "学期被听节数", "最近被听日期"]
    seen = set(frame.loc[frame["月份"] == month, "授课教师"]) if month else set()
    rows = []
    for teacher in config.teachers:
        if teacher in seen:
            continue
        lessons = [t for t in config.teaching if t.teacher == teacher]
        past = term[term["授课教师"] == teacher]["日期"]
        rows.append(
            {
                "任课教师": teacher,
                "学科": "、".join(dict.fromkeys(t.subject for t in lessons)),
                "任教班级": "、".join(
                    dict.fromkeys(class_name(t.grade, t.number) for t in lessons)
                ),
                "学期被听节数": len(past),
                "最近被听日期": past.max() if len(past) else None,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _counts(scope: pd.DataFrame, column: str, choices: tuple[str, ...]) -> pd.DataFrame:
    """Counts of each ``choices`` value per 年级, then 全校 (年级 None)."""
    rows = []
    for grade, block in [*scope.groupby("年级", sort=True), (None, scope)]:
        counts = block[column].value_counts()
        rows.append(
            {
                "年级": None if grade is None else int(grade),
                **{c: int(counts.get(c, 0)) for c in choices},
                "合计": len(block),
            }
        )
    table = pd.DataFrame(rows, columns=["年级", *choices, "合计"])
    table["年级"] = keys_as_objects(table["年级"])
    return table


def follow_up_items(scope: pd.DataFrame) -> pd.DataFrame:
    """Lessons that need 整改: a 整改状态 is given, or a 存在问题 is written (then its state,
    if blank, counts as 未整改)."""
    noted = scope["存在问题"].fillna("").astype(str).str.strip() != ""
    items = scope[scope["整改状态"].notna() | noted].copy()
    items["整改状态"] = items["整改状态"].fillna(FOLLOW_UP[0])
    return items


def _until(scope: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Lessons up to the reference date: a later lesson's 整改 has not started yet."""
    return scope[scope["日期"] <= pd.Timestamp(as_of)]


def _follow_up(scope: pd.DataFrame, as_of: dt.date, days: float) -> pd.DataFrame:
    items = follow_up_items(_until(scope, as_of))
    items["_open"] = items["整改状态"] != "已整改"
    items["_overdue"] = items["_open"] & (_days_open(items, as_of) > days)
    rows = []
    for grade, block in [*items.groupby("年级", sort=True), (None, items)]:
        rows.append(
            {
                "年级": None if grade is None else int(grade),
                "整改项": len(block),
                **{state: int((block["整改状态"] == state).sum()) for state in FOLLOW_UP},
                "超期未整改": int(block["_overdue"].sum()),
            }
        )
    table = pd.DataFrame(rows, columns=["年级", "整改项", *FOLLOW_UP, "超期未整改"])
    table["年级"] = keys_as_objects(table["年级"])
    table["整改完成率"] = share(table["已整改"], table["整改项"])
    return table


def _days_open(items: pd.DataFrame, as_of: dt.date) -> pd.Series:
    return (pd.Timestamp(as_of) - items["日期"]).dt.days


def _open_items(scope: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    items = follow_up_items(_until(scope, as_of))
    items = items[items["整改状态"] != "已整改"].copy()
    items["已过天数"] = _days_open(items, as_of)
    items = items.sort_values(["已过天数", "年级", "班级"], ascending=[False, True, True])
    return items[OPEN_COLUMNS].reset_index(drop=True)
