"""Score metrics (docs/口径.md) as pure functions: DataFrames in, DataFrames out.

Frames use the validated records: ``students`` indexed by ``sid`` with 学校/年级/班级/学号/姓名,
and ``marks`` with sid/学科/分数/状态/满分. Nothing here reads or writes files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from toolkit.config.model import SchoolConfig

CLASS_KEYS = ["学校", "年级", "班级", "学科"]
GRADE_KEYS = ["学校", "年级", "学科"]
DISTRICT_KEYS = ["年级", "学科"]
DISTRICT_LABEL = "全区"  # the 学校 of the school comparison's rollup row
LINE_COLUMNS = {"excellent": "优秀线", "good": "良好线", "passing": "及格线", "low": "低分线"}
SUMMARY_COLUMNS = [
    "学校", "年级", "班级", "学科", "满分", "应考人数", "实考人数", "缺考人数", "平均分",
    "最高分", "最低分", "标准差", "优秀人数", "优秀率", "良好人数", "良好率", "及格人数",
    "及格率", "低分人数", "低分率", "超均率", "综合分", "名次",
]  # fmt: skip


def scored_marks(students: pd.DataFrame, marks: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    """Marks with their student's class and the subject's lines in points attached."""
    frame = marks.join(students[["学校", "年级", "班级"]], on="sid", how="inner")
    if config.absent_as_zero:
        absent = frame["状态"] == "absent"
        frame.loc[absent, ["状态", "分数"]] = ["valid", 0.0]
    pairs = frame[["年级", "学科"]].drop_duplicates()
    rules = pd.DataFrame(
        [
            {
                "年级": grade,
                "学科": subject,
                **{
                    column: config.rule(grade, subject).points(attr)
                    for attr, column in LINE_COLUMNS.items()
                },
            }
            for grade, subject in pairs.itertuples(index=False)
        ],
        columns=["年级", "学科", *LINE_COLUMNS.values()],
    )
    return frame.merge(rules, on=["年级", "学科"], how="left")


# 等级 (docs/口径.md): 优秀 from the 优秀线, 良好 from the 良好线, 合格 from the 及格线, 待合格
# below it; a cell that holds a level is that level. Ranked for counting: a level reaches the
# lines of its own rank and below.
LEVELS = ("优秀", "良好", "合格", "待合格")
LEVEL_RANK = {"优秀": 3, "良好": 2, "合格": 1, "待合格": 0}


def _typed_ranks(frame: pd.DataFrame, is_level: pd.Series) -> pd.Series | None:
    """Each level cell's rank (3 优秀 … 0 待合格), NaN for the other marks; None when no cell of
    ``frame`` holds a level (the usual case, kept free of the text lookup)."""
    if not is_level.any():
        return None
    return frame["等级"].where(is_level).map(LEVEL_RANK)


def _level_names(frame: pd.DataFrame) -> pd.Series:
    """Each mark's level in words: as typed in a level cell, by the lines for a score, None for
    a mark with neither (absent, invalid)."""
    score = frame["分数"]
    by_lines = np.select(
        [score >= frame["优秀线"], score >= frame["良好线"], score >= frame["及格线"]],
        list(LEVELS[:3]),
        LEVELS[3],
    )
    status = frame["状态"]
    names = np.where(status == "level", frame["等级"], np.where(status == "valid", by_lines, None))
    return pd.Series(names, index=frame.index, dtype=object)


def level_subjects(scored: pd.DataFrame) -> set[tuple[int, str]]:
    """(年级, 学科) marked in levels: some of its cells hold a level, not a score. Their scores
    (if any) count by their level; no average or score range is computed for them."""
    held = scored.loc[scored["状态"] == "level", ["年级", "学科"]].drop_duplicates()
    return {(int(g), str(s)) for g, s in held.itertuples(index=False)}


_DIGITS = re.compile(r"(\d+)")


def by_value(column: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """``column.map(func)`` with ``func`` called once per distinct value: a district's columns
    hold a few subjects or grades over a million rows."""
    return column.map({value: func(value) for value in column.unique()})


def school_order(names: Iterable[str]) -> dict[str, int]:
    """Position of each school: by name, numbers in it compared as numbers (第2小学 before
    第10小学), so that every table and chart lists a district's schools alike."""

    def key(name: str) -> list[tuple[int, int | str]]:
        # split() with a group puts the digit runs at the odd positions
        parts = _DIGITS.split(name)
        return [(0, int(p)) if i % 2 else (1, p) for i, p in enumerate(parts)]

    # A column's distinct names first: iterating a pandas column name by name is slow, and a
    # district's student column has a row per pupil.
    distinct = set(names.unique()) if isinstance(names, pd.Series) else set(names)
    return {name: i for i, name in enumerate(sorted(distinct, key=lambda n: (key(n), n)))}


def _in_school_order(frame: pd.DataFrame, config: SchoolConfig, by: list[str]) -> pd.DataFrame:
    """Sort by ``by`` with 学校 in :func:`school_order`, 学科 in the school's subject order and a
    rollup row after the rows it sums: a 年级 row after its classes (班级 NA), the 全区 row
    after the schools (学校 NA)."""
    schools = frame["学校"].dropna()
    keyed = frame.assign(
        _school=frame["学校"].map(school_order(schools)),
        _subject=by_value(frame["学科"], config.subject_order),
    )
    keys: list[str] = []
    for k in by:
        if k == "学科":
            keys.append("_subject")
        elif k == "学校":
            keys.append("_school")  # NA (the 全区 row) sorts last
        elif k == "班级":
            keyed["_grade_row"] = keyed["班级"].isna().astype(int)
            keys += ["_grade_row", "班级"]
        else:
            keys.append(k)
    helpers = [c for c in ("_school", "_subject", "_grade_row") if c in keyed]
    return keyed.sort_values(keys, kind="stable", na_position="last").drop(columns=helpers)


# What a subject marked in levels has no figure for: no score range to average or rank.
SCORE_ONLY = ["平均分", "最高分", "最低分", "标准差", "低分人数", "低分率"]


def _metrics(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    valid = frame["状态"] == "valid"
    is_level = frame["状态"] == "level"
    score = frame["分数"].where(valid)
    typed = _typed_ranks(frame, is_level)

    def reached(line: str, rank: int) -> pd.Series:
        """Marks at or above ``line``: a score by the line, a level cell by its rank."""
        at = score >= frame[line]
        return (at if typed is None else at | (typed >= rank)).astype(int)

    flags = pd.DataFrame(
        {
            **{k: frame[k] for k in keys},
            "满分": frame["满分"],
            "应考人数": 1,
            "实考人数": (valid | is_level).astype(int),
            "缺考人数": (frame["状态"] == "absent").astype(int),
            "分数": score,
            "优秀人数": reached("优秀线", LEVEL_RANK["优秀"]),
            "良好人数": reached("良好线", LEVEL_RANK["良好"]),
            "及格人数": reached("及格线", LEVEL_RANK["合格"]),
            "低分人数": (score < frame["低分线"]).astype(int),
        }
    )
    grouped = flags.groupby(keys, sort=True)
    counts = grouped[
        ["应考人数", "实考人数", "缺考人数", "优秀人数", "良好人数", "及格人数", "低分人数"]
    ].sum()
    out = pd.concat(
        [
            grouped["满分"].first(),
            counts,
            grouped["分数"].mean().rename("平均分"),
            grouped["分数"].max().rename("最高分"),
            grouped["分数"].min().rename("最低分"),
            grouped["分数"].std(ddof=0).rename("标准差"),  # population SD, as Excel STDEV.P
        ],
        axis=1,
    )
    taken = out["实考人数"].where(out["实考人数"] > 0)
    for name in ("优秀", "良好", "及格", "低分"):
        out[f"{name}率"] = out[f"{name}人数"] / taken
    if typed is not None:  # a group with a level cell is marked in levels: no score figures
        in_levels = is_level.groupby([frame[k] for k in keys], sort=True).any()
        out.loc[in_levels.reindex(out.index, fill_value=False), SCORE_ONLY] = np.nan
    return out.reset_index()


LEVEL_COLUMNS = [
    "学校", "年级", "班级", "学科", "实考人数", *LEVELS, "优秀率", "优良率", "合格率",
]  # fmt: skip


def level_counts(summary: pd.Series | pd.DataFrame | Mapping[str, Any]) -> list[Any]:
    """Students per level (优秀, 良好, 合格, 待合格) of a summary row (or of every row of a summary
    frame): the lines are nested, so a level is the count at its line less the count at the line
    above."""
    at = [summary[c] for c in ("优秀人数", "良好人数", "及格人数", "实考人数")]
    return [at[0], at[1] - at[0], at[2] - at[1], at[3] - at[2]]


def level_distribution(summary: pd.DataFrame) -> pd.DataFrame:
    """等级分布: per row of a class (or school) summary, the students of 实考 at each level and
    优秀率, 优良率 = (优秀 + 良好) / 实考, 合格率 = (实考 − 待合格) / 实考."""
    out = summary[["学校", "年级", "班级", "学科", "实考人数"]].copy()
    for level, count in zip(LEVELS, level_counts(summary), strict=True):
        out[level] = count
    taken = out["实考人数"].where(out["实考人数"] > 0)
    out["优秀率"] = out["优秀"] / taken
    out["优良率"] = (out["优秀"] + out["良好"]) / taken
    out["合格率"] = (out["实考人数"] - out["待合格"]) / taken
    return out[LEVEL_COLUMNS].reset_index(drop=True)


def rank(values: pd.Series, groups: list[pd.Series] | pd.Series, dense: bool) -> pd.Series:
    """Descending rank within groups: Excel RANK.EQ (1, 2, 2, 4) or dense (1, 2, 2, 3)."""
    # Rounding first so that float noise in computed values cannot split a real tie.
    rounded = values.round(9)
    return rounded.groupby(groups).rank(method="dense" if dense else "min", ascending=False)


def _composite(frame: pd.DataFrame, config: SchoolConfig) -> pd.Series:
    """综合分 (三率一分): weighted 平均分/满分, 及格率 and 优秀率, each on a 100 scale."""
    w_mean, w_pass, w_excellent = config.weights
    return (
        w_mean * frame["平均分"] / frame["满分"] * 100
        + w_pass * frame["及格率"] * 100
        + w_excellent * frame["优秀率"] * 100
    )


def _above_mean(units: pd.DataFrame, totals: pd.DataFrame, keys: list[str]) -> pd.Series:
    """超均率 of each unit (class or school) against its total row's 平均分 (matched on keys)."""
    mean = units.merge(totals[[*keys, "平均分"]], on=keys, how="left", suffixes=("", "_总"))
    reference = mean["平均分_总"].set_axis(units.index)
    return (units["平均分"] - reference) / reference


def class_summary(scored: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    """One row per school × grade × class × subject, then one 年级 row per grade × subject
    (班级 is NA on those rows)."""
    classes = _metrics(scored, CLASS_KEYS)
    grades = _metrics(scored, GRADE_KEYS)
    classes["超均率"] = _above_mean(classes, grades, GRADE_KEYS)
    for frame in (classes, grades):
        frame["综合分"] = _composite(frame, config)
    classes["名次"] = rank(classes["综合分"], [classes[k] for k in GRADE_KEYS], config.dense_rank)
    if not config.class_ranking:  # 班级排名 = 否 (docs/口径.md)
        classes["名次"] = np.nan
    grades["班级"] = pd.NA
    grades["超均率"] = np.nan
    grades["名次"] = np.nan
    both = pd.concat([classes, grades], ignore_index=True)
    both = _in_school_order(both, config, ["学校", "年级", "学科", "班级"])
    return both[SUMMARY_COLUMNS].reset_index(drop=True)


def school_summary(scored: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    """The school comparison: per grade × subject one row per school (all its students of the
    grade), then a 全区 row over every student of the grade in the district. 超均率 is against
    the 全区 平均分 and 名次 ranks the schools' 综合分 within grade × subject. Columns are
    ``SUMMARY_COLUMNS`` without 班级."""
    schools = _metrics(scored, GRADE_KEYS)
    district = _metrics(scored, DISTRICT_KEYS)
    schools["超均率"] = _above_mean(schools, district, DISTRICT_KEYS)
    for frame in (schools, district):
        frame["综合分"] = _composite(frame, config)
    schools["名次"] = rank(
        schools["综合分"], [schools[k] for k in DISTRICT_KEYS], config.dense_rank
    )
    district["学校"] = pd.NA  # sorts after the schools; labelled below
    district["超均率"] = np.nan
    district["名次"] = np.nan
    both = pd.concat([schools, district], ignore_index=True)
    both = _in_school_order(both, config, ["年级", "学科", "学校"])
    both["学校"] = both["学校"].fillna(DISTRICT_LABEL)
    columns = [c for c in SUMMARY_COLUMNS if c != "班级"]
    return both[columns].reset_index(drop=True)


def subjects_of(scored: pd.DataFrame, config: SchoolConfig) -> list[str]:
    """The exam's subjects in the school's order: the students table's columns."""
    return sorted(scored["学科"].unique(), key=config.subject_order)


def student_table(
    students: pd.DataFrame, scored: pd.DataFrame, config: SchoolConfig
) -> tuple[pd.DataFrame, list[str]]:
    """One row per student with each subject's score, 总分, 班级名次 and 年级名次.

    总分 sums the valid scores; only students with a valid score in every subject of their
    grade are ranked (a student who missed a subject has no comparable total), and only in a
    grade whose 学生排名 is not 不排名 (the ranks are blank there).
    """
    subjects = subjects_of(scored, config)
    in_levels = level_subjects(scored)
    # A subject marked in levels is no part of a total: its cells are levels, not points.
    counted = scored
    if in_levels:
        pairs = pd.MultiIndex.from_arrays([scored["年级"].astype(int), scored["学科"]])
        counted = scored[~pairs.isin(list(in_levels))]
    scores = counted.pivot_table(index="sid", columns="学科", values="分数", aggfunc="first")
    status = scored.pivot_table(index="sid", columns="学科", values="状态", aggfunc="first")
    table = students[["学校", "年级", "班级", "学号", "姓名"]].copy()
    for subject in subjects:
        table[subject] = scores[subject].reindex(table.index) if subject in scores else np.nan
    grade_subjects = scored.groupby("年级")["学科"].unique()
    valid = status.reindex(table.index).eq("valid")
    complete = pd.Series(True, index=table.index)
    for grade, names in grade_subjects.items():
        in_grade = table["年级"] == grade
        numeric = [n for n in names if (int(grade), n) not in in_levels]
        complete[in_grade] = valid.loc[in_grade, numeric].all(axis=1) if numeric else False
    table["总分"] = table[subjects].sum(axis=1, min_count=1)
    if in_levels:  # each student's level where the subject is marked in levels
        rows = scored[~scored.index.isin(counted.index)]
        levels = rows.assign(等级=_level_names(rows)).pivot_table(
            index="sid", columns="学科", values="等级", aggfunc="first"
        )
        for grade, subject in in_levels:
            shown = (table["年级"] == grade) & table.index.isin(levels.index)
            table[subject] = table[subject].astype(object)
            table.loc[shown, subject] = levels[subject].reindex(table.index)[shown]
    # 学生排名 (docs/口径.md): a grade set to 不排名 has no pupil ranks at all.
    ranked_grade = by_value(table["年级"], lambda g: config.ranks_students(int(g))).astype(bool)
    ranked = table["总分"].where(complete & ranked_grade)
    by_class = [table["学校"], table["年级"], table["班级"]]
    table["班级名次"] = rank(ranked, by_class, config.dense_rank)
    table["年级名次"] = rank(ranked, by_class[:2], config.dense_rank)
    table["缺考科目"] = _absent_subjects(status.reindex(table.index), subjects)
    table["_school"] = table["学校"].map(school_order(table["学校"]))
    table = table.sort_values(["_school", "年级", "班级", "年级名次", "学号"], na_position="last")
    return table.drop(columns=["_school"]), subjects


def _absent_subjects(status: pd.DataFrame, subjects: list[str]) -> list[str]:
    joined = pd.Series("", index=status.index, dtype=object)
    for subject in (s for s in subjects if s in status.columns):  # few subjects, many rows
        joined = joined + np.where(status[subject].eq("absent"), f"{subject}、", "")
    return joined.str.rstrip("、").tolist()


def band_edges(full_mark: float, width: float) -> list[float]:
    """Lower bounds of the score bands: 0, 10, …, 90 for 满分 100 and width 10."""
    count = max(1, math.ceil(full_mark / width - 1e-9))
    return [i * width for i in range(count)]


def band_label(low: float, width: float, full_mark: float) -> str:
    high = min(low + width, full_mark)
    return f"{low:g}~{high:g}"


def score_bands(scored: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    """Counts per band for each class × subject and each grade × subject (top band includes
    满分; each band includes its lower bound)."""
    width = config.band_width
    # only the columns counted: a district's marks carry a dozen more
    valid = scored.loc[scored["状态"] == "valid", [*CLASS_KEYS, "分数", "满分"]]
    top = (np.ceil(valid["满分"] / width - 1e-9) - 1).clip(lower=0)
    index = np.floor(valid["分数"] / width).clip(upper=top)
    # Labelled per distinct (band, 满分) pair, not per mark: a district has ~700,000 marks.
    full_codes, fulls = pd.factorize(valid["满分"])
    pair = index.to_numpy(dtype=np.int64) * len(fulls) + full_codes
    distinct, codes = np.unique(pair, return_inverse=True)
    # Grouped by the band's number, named after (a label per mark is a string to factorise);
    # pairs of different 满分 may share a label (60–69), and then one band.
    band_of_pair, names = pd.factorize(
        np.array(
            [band_label(p // len(fulls) * width, width, fulls[p % len(fulls)]) for p in distinct],
            dtype=object,
        )
    )
    valid = valid.assign(分数段=band_of_pair[codes])
    lows = sorted(
        {low for full in scored["满分"].unique() for low in band_edges(full, width)}, reverse=True
    )
    labels = list(
        dict.fromkeys(
            band_label(low, width, full)
            for low in lows
            for full in sorted(scored["满分"].unique())
            if low in band_edges(full, width)
        )
    )
    # Every class and subject gets a row, even one where nobody sat the exam (all zero).
    all_classes = pd.MultiIndex.from_frame(scored[CLASS_KEYS].drop_duplicates())
    by_class = _band_counts(valid, CLASS_KEYS, names).reindex(all_classes, fill_value=0)
    by_grade = _band_counts(valid, GRADE_KEYS, names).reindex(
        pd.MultiIndex.from_frame(scored[GRADE_KEYS].drop_duplicates()), fill_value=0
    )
    by_grade = by_grade.reset_index().assign(班级=pd.NA)
    both = pd.concat([by_class.reset_index(), by_grade], ignore_index=True)
    both = _in_school_order(both, config, ["学校", "年级", "学科", "班级"])
    for label in labels:
        both[label] = both[label].fillna(0).astype(int) if label in both else 0
    both["实考人数"] = both[labels].sum(axis=1)
    return both[[*CLASS_KEYS, "实考人数", *labels]].reset_index(drop=True)


def _band_counts(valid: pd.DataFrame, keys: list[str], names: pd.Index) -> pd.DataFrame:
    """Scores per ``keys`` × 分数段 (numbered), a column per band named by ``names``."""
    counts = valid.groupby([*keys, "分数段"])["分数"].count().unstack("分数段", fill_value=0)
    return counts.set_axis(pd.Index(names[counts.columns.to_numpy()], name="分数段"), axis=1)


def critical_students(
    scored: pd.DataFrame, students: pd.DataFrame, config: SchoolConfig
) -> pd.DataFrame:
    """临界生: valid scores within ``critical_margin`` points below the 及格 (拟合格) or
    优秀 (拟优) line."""
    margin = config.critical_margin
    valid = scored[scored["状态"] == "valid"]
    parts = []
    for kind, line in (("拟合格", "及格线"), ("拟优", "优秀线")):
        gap = valid[line] - valid["分数"]
        near = valid[(gap > 0) & (gap <= margin)]
        parts.append(
            near.assign(类别=kind, 分数线=near[line], 差距=gap[near.index])[
                ["sid", "学科", "分数", "类别", "分数线", "差距"]
            ]
        )
    found = pd.concat(parts, ignore_index=True)
    found = found.join(students[["学校", "年级", "班级", "学号", "姓名"]], on="sid")
    found["_subject"] = by_value(found["学科"], config.subject_order)
    found["_school"] = found["学校"].map(school_order(found["学校"]))
    found = found.sort_values(["_school", "年级", "_subject", "类别", "班级", "差距", "学号"])
    return found[
        ["学校", "年级", "班级", "学号", "姓名", "学科", "类别", "分数", "分数线", "差距"]
    ].reset_index(drop=True)


def care_students(
    scored: pd.DataFrame, students: pd.DataFrame, config: SchoolConfig
) -> pd.DataFrame:
    """关爱学生 (docs/口径.md): per class × subject, the students among the lowest
    ``bottom_share`` of the 实考 scores (the share of 实考 rounded up; a score tied with the last
    one in is in too). A help list for teachers, listed by 学号, not by score; subjects marked in
    levels have no scores to take it from."""
    valid = scored[scored["状态"] == "valid"]
    keys = [valid[k] for k in CLASS_KEYS]
    taken = valid.groupby(keys)["分数"].transform("size")
    place = valid.groupby(keys)["分数"].rank(method="min")  # ties share the lower place
    chosen = valid[place <= np.ceil(taken * config.bottom_share - 1e-9)]
    found = chosen[["sid", "学科", "分数"]].join(
        students[["学校", "年级", "班级", "学号", "姓名"]], on="sid"
    )
    found["_subject"] = by_value(found["学科"], config.subject_order)
    found["_school"] = found["学校"].map(school_order(found["学校"]))
    found = found.sort_values(["_school", "年级", "班级", "_subject", "学号", "姓名"])
    return found[["学校", "年级", "班级", "学科", "学号", "姓名", "分数"]].reset_index(drop=True)


def student_levels(
    students: pd.DataFrame, scored: pd.DataFrame, config: SchoolConfig
) -> pd.DataFrame:
    """Each student's level per subject as its rank (3 优秀 … 0 待合格; NaN absent or invalid),
    indexed by sid: a score by the lines, a level cell as typed (docs/口径.md 等级)."""
    marked = scored[scored["状态"].isin(["valid", "level"])]
    ranks = _level_names(marked).map(LEVEL_RANK)
    table = (
        marked.assign(_rank=ranks)
        .pivot_table(index="sid", columns="学科", values="_rank", aggfunc="first")
        .reindex(students.index)
    )
    table.columns.name = None
    return table[sorted(table.columns, key=config.subject_order)]


@dataclass
class Progress:
    # sid-aligned: 上次年级名次 and 进退步 (ranked grades); 等级变化 and 等级进退 (every grade)
    students: pd.DataFrame
    classes: pd.DataFrame  # per class × subject: changes in 平均分 and rates
    unmatched: int


def compare(
    current_students: pd.DataFrame,
    previous_students: pd.DataFrame,
    current_summary: pd.DataFrame,
    previous_summary: pd.DataFrame,
    current_levels: pd.DataFrame | None = None,
    previous_levels: pd.DataFrame | None = None,
) -> Progress:
    """进退步 per student and per-class changes.

    A ranked grade's 进退步 is the change of 年级名次 (positive = moved up); in every grade
    等级变化 lists the subjects whose level changed (数学 良好→优秀) and 等级进退 sums the
    steps (+1 良好→优秀, −2 优秀→合格), the change a grade that ranks no pupil is told. Students
    are matched by 学号 where both exams have it, else by 学校+年级+班级+姓名.
    """
    cur = current_students.reset_index()
    prev = previous_students.reset_index()
    by_id = cur[cur["学号"] != ""].merge(
        prev[prev["学号"] != ""][["学校", "学号", "年级名次", "sid"]],
        on=["学校", "学号"],
        suffixes=("", "_上次"),
    )
    rest_cur = cur[~cur["sid"].isin(by_id["sid"])]
    rest_prev = prev[~prev["学号"].isin(by_id["学号"]) | (prev["学号"] == "")]
    by_name = rest_cur.merge(
        rest_prev[["学校", "年级", "班级", "姓名", "年级名次", "sid"]],
        on=["学校", "年级", "班级", "姓名"],
        suffixes=("", "_上次"),
    )
    matched = pd.concat([by_id, by_name], ignore_index=True).set_index("sid")
    students = pd.DataFrame(
        {
            "上次年级名次": matched["年级名次_上次"],
            "进退步": matched["年级名次_上次"] - matched["年级名次"],
        }
    )
    if current_levels is not None and previous_levels is not None:
        students = students.join(_level_moves(current_levels, previous_levels, matched["sid_上次"]))
    keys = CLASS_KEYS
    merged = current_summary.merge(previous_summary, on=keys, suffixes=("", "_上次"), how="left")
    classes = merged[keys].copy()
    for column in ("平均分", "优秀率", "良好率", "及格率", "低分率", "超均率", "名次"):
        classes[f"上次{column}"] = merged[f"{column}_上次"]
        classes[f"{column}变化"] = merged[column] - merged[f"{column}_上次"]
    # A rank falls as a class improves: 名次变化 = 上次 − 本次, so that a positive number is
    # progress, as in a student's 进退步.
    classes["名次变化"] = -classes["名次变化"]
    unmatched = len(prev) - len(matched)
    return Progress(students, classes, unmatched)


def _level_moves(
    current: pd.DataFrame, previous: pd.DataFrame, previous_sid: pd.Series
) -> pd.DataFrame:
    """等级变化 (text) and 等级进退 (net steps) of each matched student over the subjects both
    exams gave a level in."""
    before = previous.reindex(previous_sid.to_numpy()).set_axis(previous_sid.index)
    now = current.reindex(previous_sid.index)
    subjects = [s for s in now.columns if s in before.columns]
    texts = pd.Series("", index=now.index, dtype=object)
    steps = pd.Series(0.0, index=now.index)
    compared = pd.Series(False, index=now.index)
    for subject in subjects:
        a, b = before[subject], now[subject]
        both = a.notna() & b.notna()
        compared |= both
        moved = both & (a != b)
        steps = steps.add((b - a).where(both, 0.0))
        said = subject + " " + a.map(_LEVEL_OF_RANK) + "→" + b.map(_LEVEL_OF_RANK) + "；"
        texts = texts + said.where(moved, "")
    return pd.DataFrame(
        {"等级变化": texts.str.rstrip("；").where(compared), "等级进退": steps.where(compared)}
    )


_LEVEL_OF_RANK = {rank: name for name, rank in LEVEL_RANK.items()}
