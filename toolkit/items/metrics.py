"""试题分析 (docs/口径.md) as pure functions: item scores in, tables out.

One exam is one 年级 × 学科 × 考试. Per item: 难度 P = mean / 满分 and 区分度 D = (mean of the
top 27% of students by the exam's total − mean of the bottom 27%) / 满分. Per 知识点: 得分率 =
Σ scores on its items / Σ their 满分, per class and for the grade. A blank or 缺考 item is
missing for that student (not 0); a student with no valid item did not sit the exam.

A district's input names each student's 学校: classes are keyed by (学校, 班级), never merged
across schools, and each school gets its own 得分率. Without a 学校 column all is one school.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from toolkit.config.model import SchoolConfig
from toolkit.scores.metrics import school_order

EXAM_KEYS = ["年级", "学科", "考试"]
GROUP_SHARE = 0.27
# 区分度 bands (Ebel): D ≥ 0.4 很好, 0.3–0.39 良好, 0.2–0.29 尚可, below 0.2 需改进.
D_BANDS = ((0.4, "很好"), (0.3, "良好"), (0.2, "尚可"), (-math.inf, "需改进"))
# 难度 bands as schools usually word them: P ≥ 0.7 容易, 0.4–0.7 中等, below 0.4 较难.
P_BANDS = ((0.7, "容易"), (0.4, "中等"), (-math.inf, "较难"))
ITEM_COLUMNS = [
    *EXAM_KEYS, "题号", "知识点", "满分", "实考人数", "平均分", "难度", "难度评价", "高分组均分",
    "低分组均分", "区分度", "区分度评价",
]  # fmt: skip
LEDGER_COLUMNS = [
    "登记日期", "年级", "班级", "学科", "单元", "知识点", "问题表现", "错误率", "涉及人数",
    "原因类别", "原因分析", "改进措施", "责任教师", "计划完成日期", "状态", "复测日期",
    "复测正确率",
]  # fmt: skip
SUGGESTION_COLUMNS = [*LEDGER_COLUMNS, "学校"]  # the ledger's fields, and whose class it is


@dataclass
class ItemAnalysis:
    items: pd.DataFrame  # per exam × item: P, D and their bands
    item_classes: pd.DataFrame  # per exam × item × school × class: 实考人数, 平均分, 得分率
    points: pd.DataFrame  # per exam × 知识点 × school × class (班级 None: the grade): 得分率
    suggestions: pd.DataFrame  # suggested 薄弱点台账 rows (SUGGESTION_COLUMNS)
    students: pd.DataFrame  # per student who sat an exam: 总分, 组 (高分组/低分组/"")
    line: float
    gap: float
    schools: list[str] = field(default_factory=list)  # in school_order
    item_schools: pd.DataFrame | None = None  # per exam × item × school: 得分率
    point_schools: pd.DataFrame | None = None  # per exam × 知识点 × school: 得分率

    @property
    def multi_school(self) -> bool:
        return len(self.schools) > 1


def band(value: float, bands: tuple[tuple[float, str], ...]) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    # Compare at two decimals, as the bands are stated (0.395 shows as 0.40 and is 很好).
    rounded = round(value + 1e-12, 2)
    return next(label for low, label in bands if rounded >= low)


def school_of(students: pd.DataFrame) -> pd.Series:
    """Each student's 学校; frames without the column (one school's) read as one school ("")."""
    if "学校" in students:
        return students["学校"].fillna("").astype(str)
    return pd.Series("", index=students.index, dtype=object)


def valid_marks(students: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """Valid marks with the student's exam, school and class attached."""
    info = students[["年级", "班级", "学科", "考试", "学号", "姓名"]].assign(
        学校=school_of(students)
    )
    frame = marks[marks["状态"] == "valid"].join(info, on="sid")
    frame["分数"] = frame["分数"].astype(float)
    frame["满分"] = frame["满分"].astype(float)
    return frame


def student_groups(valid: pd.DataFrame) -> pd.DataFrame:
    """Each student's exam total and 27% group: ``k = round(0.27 n)`` (at least 1) students
    from each end of the ranking by total; ties at the boundary go by reading order. A
    district's exam is ranked as one: the groups are the district's."""
    totals = valid.groupby("sid").agg(
        年级=("年级", "first"),
        学科=("学科", "first"),
        考试=("考试", "first"),
        学校=("学校", "first"),
        班级=("班级", "first"),
        总分=("分数", "sum"),
    )
    totals["组"] = ""
    for _, block in totals.groupby(EXAM_KEYS, sort=False):
        n = len(block)
        k = max(1, math.floor(GROUP_SHARE * n + 0.5))  # 四舍五入 (Python's round is to even)
        order = block.sort_values("总分", ascending=False, kind="stable").index
        totals.loc[order[:k], "组"] = "高分组"
        totals.loc[order[-k:], "组"] = "低分组" if n > 1 else totals.loc[order[-k:], "组"]
    return totals


def analyse(
    students: pd.DataFrame,
    marks: pd.DataFrame,
    items: pd.DataFrame,
    config: SchoolConfig,
    today: dt.date,
) -> ItemAnalysis:
    valid = valid_marks(students, marks)
    groups = student_groups(valid)
    valid = valid.join(groups["组"], on="sid")
    order = school_order(school_of(students))
    valid["_school"] = valid["学校"].map(order)
    catalogue = _catalogue(items)
    item_table = _items(valid, catalogue)
    item_classes = _item_rates(valid, catalogue, ["学校", "班级"])
    item_schools = _item_rates(valid, catalogue, ["学校"])
    points, point_schools = _points(valid)
    suggestions = _suggestions(valid, points, point_schools, config, today, multi=len(order) > 1)
    return ItemAnalysis(
        item_table,
        item_classes,
        points,
        suggestions,
        groups.reset_index(),
        config.weak_point_line,
        config.weak_point_gap,
        sorted(order, key=order.__getitem__),
        item_schools,
        point_schools,
    )


def _catalogue(items: pd.DataFrame) -> pd.DataFrame:
    """One row per exam × item, in the order items first appear (the paper's order)."""
    keyed = items.drop_duplicates([*EXAM_KEYS, "题号"]).copy()
    keyed["序"] = range(len(keyed))
    return keyed[[*EXAM_KEYS, "题号", "满分", "知识点", "序"]]


def _items(valid: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    keys = [*EXAM_KEYS, "题号"]
    grouped = valid.groupby(keys, sort=False)
    stats = grouped.agg(实考人数=("分数", "size"), 平均分=("分数", "mean")).reset_index()
    top = valid[valid["组"] == "高分组"].groupby(keys)["分数"].mean().rename("高分组均分")
    bottom = valid[valid["组"] == "低分组"].groupby(keys)["分数"].mean().rename("低分组均分")
    table = catalogue.merge(stats, on=keys, how="left").join(top, on=keys).join(bottom, on=keys)
    table["实考人数"] = table["实考人数"].fillna(0).astype(int)
    table["难度"] = table["平均分"] / table["满分"]
    table["区分度"] = (table["高分组均分"] - table["低分组均分"]) / table["满分"]
    table["难度评价"] = table["难度"].map(lambda p: band(p, P_BANDS))
    table["区分度评价"] = table["区分度"].map(lambda d: band(d, D_BANDS))
    table = table.sort_values(["年级", "学科", "考试", "序"], kind="stable")
    return table[ITEM_COLUMNS].reset_index(drop=True)


def _item_rates(valid: pd.DataFrame, catalogue: pd.DataFrame, unit: list[str]) -> pd.DataFrame:
    """Per exam × item × ``unit`` (学校, 班级 or just 学校): 实考人数, 平均分, 得分率."""
    keys = [*EXAM_KEYS, "题号", *unit]
    table = (
        valid.groupby([*keys, "_school"], sort=True)
        .agg(实考人数=("分数", "size"), 平均分=("分数", "mean"), 满分=("满分", "first"))
        .reset_index()
    )
    table["得分率"] = table["平均分"] / table["满分"]
    table = table.merge(catalogue[[*EXAM_KEYS, "题号", "序"]], on=[*EXAM_KEYS, "题号"])
    order = ["年级", "学科", "考试", "序", "_school", *unit[1:]]
    table = table.sort_values(order, kind="stable")
    return table[[*keys, "实考人数", "平均分", "得分率"]].reset_index(drop=True)


def _points(valid: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per exam × 知识点 × school × class, then the grade (学校 and 班级 None): Σ scores / Σ 满分;
    and the same per exam × 知识点 × school."""
    tagged = valid[valid["知识点"].fillna("").astype(str).str.strip() != ""]
    columns = [*EXAM_KEYS, "知识点", "题号", "学校", "班级", "实考人数", "得分", "满分", "得分率"]
    if tagged.empty:
        return pd.DataFrame(columns=columns), pd.DataFrame(columns=columns).drop(columns="班级")
    first_seen = {p: i for i, p in enumerate(dict.fromkeys(tagged["知识点"]))}
    items = (
        tagged.drop_duplicates([*EXAM_KEYS, "知识点", "题号"])
        .groupby([*EXAM_KEYS, "知识点"], sort=False)["题号"]
        .apply(lambda s: "、".join(str(v) for v in s))
        .rename("题号")
    )

    def sums(keys: list[str]) -> pd.DataFrame:
        table = (
            tagged.groupby(keys, sort=True)
            .agg(
                实考人数=("sid", "nunique"),
                得分=("分数", "sum"),
                满分=("满分", "sum"),
                _school=("_school", "first"),
            )
            .reset_index()
        )
        table["得分率"] = table["得分"] / table["满分"]
        table = table.join(items, on=[*EXAM_KEYS, "知识点"])
        table["_p"] = table["知识点"].map(first_seen)
        return table

    classes = sums([*EXAM_KEYS, "知识点", "学校", "班级"])
    grade = sums([*EXAM_KEYS, "知识点"]).assign(学校=None, 班级=None, _school=-1)
    table = pd.concat([classes, grade], ignore_index=True)
    table["班级"] = [None if pd.isna(c) else int(c) for c in table["班级"]]
    table["_g"] = table["班级"].isna()
    table = table.sort_values(
        ["年级", "学科", "考试", "_p", "_g", "_school", "班级"], kind="stable"
    )
    schools = sums([*EXAM_KEYS, "知识点", "学校"])
    schools = schools.sort_values(["年级", "学科", "考试", "_p", "_school"], kind="stable")
    school_columns = [c for c in columns if c != "班级"]
    return (
        table[columns].reset_index(drop=True),
        schools[school_columns].reset_index(drop=True),
    )


def _suggestions(
    valid: pd.DataFrame,
    points: pd.DataFrame,
    point_schools: pd.DataFrame,
    config: SchoolConfig,
    today: dt.date,
    *,
    multi: bool,
) -> pd.DataFrame:
    """Class × 知识点 whose 得分率 is under the line, or under its school's grade by ``gap`` or
    more, as 薄弱点台账 rows ready for the grade leader to complete. (With one school, its grade
    is the whole input's; in a district a class is compared with its own school, as a class's
    超均率 is.)"""
    from toolkit.base.classnames import class_name

    if points.empty:
        return pd.DataFrame(columns=SUGGESTION_COLUMNS)
    line, gap = config.weak_point_line, config.weak_point_gap
    school_keys = [*EXAM_KEYS, "知识点", "学校"]
    grade = point_schools.set_index(school_keys)["得分率"]
    classes = points[points["班级"].notna()].copy()
    classes["年级得分率"] = [grade[key] for key in classes[school_keys].itertuples(index=False)]
    weak = classes[
        # under the line (低于 60%), or the gap or more under the grade (低 10 个百分点以上)
        (classes["得分率"] < line - 1e-12)
        | (classes["得分率"] <= classes["年级得分率"] - gap + 1e-12)
    ]
    # 涉及人数: students of the class whose own 得分率 on the point is under the line.
    own = (
        valid[valid["知识点"].fillna("") != ""]
        .groupby([*school_keys, "班级", "sid"])[["分数", "满分"]]
        .sum()
    )
    below = (own["分数"] / own["满分"] < line - 1e-12).groupby(level=list(range(6))).sum()
    # The config's 任课 table is one school's: a district's classes have other teachers.
    teachers = {} if multi else {(t.grade, t.number, t.subject): t.teacher for t in config.teaching}
    deadline = today + dt.timedelta(days=int(config.follow_up_days))
    rows = []
    for row in weak.itertuples(index=False):
        g, subject, exam, point, klass = row.年级, row.学科, row.考试, row.知识点, int(row.班级)
        school = row.学校
        where, reference = (f"{school}", "本校年级") if multi else ("", "年级")
        what = (
            f"{exam or '考试'}第{row.题号}题（{point}）{where}{class_name(int(g), klass)}得分率 "
            f"{row.得分率:.1%}，{reference} {row.年级得分率:.1%}"
        )
        rows.append(
            {
                "登记日期": today,
                "年级": int(g),
                "班级": klass,
                "学科": subject,
                "单元": None,
                "知识点": point,
                "问题表现": what,
                "错误率": round(1 - float(row.得分率), 4),
                "涉及人数": int(below.get((g, subject, exam, point, school, klass), 0)),
                "原因类别": None,
                "原因分析": None,
                "改进措施": None,
                "责任教师": teachers.get((int(g), klass, subject)),
                "计划完成日期": deadline,
                "状态": "待整改",
                "复测日期": None,
                "复测正确率": None,
                "学校": school,
            }
        )
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)
