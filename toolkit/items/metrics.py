"""试题分析 (docs/口径.md) as pure functions: item scores in, tables out.

One exam is one 年级 × 学科 × 考试. Per item: 难度 P = mean / 满分 and 区分度 D = (mean of the
top 27% of students by the exam's total − mean of the bottom 27%) / 满分. Per 知识点: 得分率 =
Σ scores on its items / Σ their 满分, per class and for the grade. A blank or 缺考 item is
missing for that student (not 0); a student with no valid item did not sit the exam.

A district's input names each student's 学校: classes are keyed by (学校, 班级), never merged
across schools, and each school gets its own 得分率. Without a 学校 column all is one school.

Each measure is a count, sum or mean over a group of valid marks. They are taken over the marks
as integer-coded arrays (``arrays.py``: one ``bincount`` per measure) when every sum is exact,
as whole and half points always are; otherwise the long way, with pandas' groupby over a frame
of marks. Both ways end in the same tables (``_item_table``, ``_rate_table``, ``_point_tables``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from toolkit.config.model import SchoolConfig
from toolkit.items.arrays import Grouped, MarkGroups, ValidMarks, codes, combine, group_rows
from toolkit.scores.metrics import school_order

if TYPE_CHECKING:
    from toolkit.items.read import ItemRecords

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
    """The analysis of the marks of a long frame (``read.MARK_COLUMNS``)."""
    valid = ValidMarks.of_frame(students, marks)
    if len(valid) and valid.exact():
        return _analyse_arrays(students, valid, items, config, today)
    return _analyse_frame(students, marks, items, config, today)


def analyse_records(records: ItemRecords, config: SchoolConfig, today: dt.date) -> ItemAnalysis:
    """The analysis of the reader's records, from their columnar block."""
    valid = ValidMarks.of_block(records.students, records.block, records.items)
    if len(valid) and valid.exact():
        return _analyse_arrays(records.students, valid, records.items, config, today)
    return _analyse_frame(records.students, records.marks, records.items, config, today)


def _analyse_frame(
    students: pd.DataFrame,
    marks: pd.DataFrame,
    items: pd.DataFrame,
    config: SchoolConfig,
    today: dt.date,
) -> ItemAnalysis:
    """The long way: pandas' groupby over a frame of the valid marks."""
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
    below = _below(valid, config.weak_point_line)
    tables = (item_table, item_classes, item_schools, points, point_schools)
    return _analysis(tables, below, groups.reset_index(), order, config, today)


def _analysis(
    tables: tuple[pd.DataFrame, ...],
    below: pd.DataFrame,
    groups: pd.DataFrame,
    order: dict[str, int],
    config: SchoolConfig,
    today: dt.date,
) -> ItemAnalysis:
    """Either path's tables (items, item rates per class and per school, points, point rates
    per school) as the analysis, with the suggested ledger drafted from ``below``."""
    item_table, item_classes, item_schools, points, point_schools = tables
    suggestions = _suggestions(below, points, point_schools, config, today, multi=len(order) > 1)
    return ItemAnalysis(
        item_table,
        item_classes,
        points,
        suggestions,
        groups,
        config.weak_point_line,
        config.weak_point_gap,
        sorted(order, key=order.__getitem__),
        item_schools,
        point_schools,
    )


_NONE, _HIGH, _LOW = 0, 1, 2
_GROUP_NAMES = np.array(["", "高分组", "低分组"], dtype=object)


def _analyse_arrays(
    students: pd.DataFrame,
    valid: ValidMarks,
    items: pd.DataFrame,
    config: SchoolConfig,
    today: dt.date,
) -> ItemAnalysis:
    """The analysis with each measure a sum over integer-coded groups of the valid marks: the
    tables of ``_analyse_frame``, to the last bit when the sums are exact (``ValidMarks.exact``)."""
    school = school_of(students).rename("学校")
    order = school_order(school)
    marks = _Marks(valid, students, school.astype("str"))  # str, as groupby's keys come out

    everyone = (np.arange(len(students)), len(students))
    found = marks.marks.group([everyone], [], {"score": valid.score})
    totals = np.zeros(len(students))
    totals[found.keys[0]] = found.sums["score"]
    sat = np.zeros(len(students), dtype=bool)
    sat[found.keys[0]] = True
    reading = np.empty(len(students), dtype=np.int64)  # each student's place in sid order
    reading[np.argsort(students.index.to_numpy(), kind="stable")] = np.arange(len(students))
    group = _student_groups(totals, sat & (marks.exam >= 0), marks.exam, reading)
    shown = np.flatnonzero(sat)
    shown = shown[np.argsort(reading[shown], kind="stable")]
    groups = students[["年级", "学科", "考试"]].iloc[shown]
    groups = groups.assign(
        学校=school.iloc[shown],
        班级=students["班级"].iloc[shown],
        总分=totals[shown],
        组=_GROUP_NAMES[group[shown]],
    )

    catalogue = _catalogue(items)
    marks.count_cells(group)
    item_table = _item_table(catalogue, *marks.item_stats())
    per_class, per_school = marks.rates(False, order), marks.rates(True, order)
    item_classes = _rate_table(per_class, catalogue, ["学校", "班级"])
    item_schools = _rate_table(per_school, catalogue, ["学校"])
    points, point_schools = marks.point_tables(order)
    below = marks.below(config.weak_point_line)
    tables = (item_table, item_classes, item_schools, points, point_schools)
    return _analysis(tables, below, groups.reset_index(), order, config, today)


def _student_groups(
    totals: np.ndarray, ranked: np.ndarray, exam: np.ndarray, reading: np.ndarray
) -> np.ndarray:
    """Each student's 27% group (``student_groups``): per exam, ``k = round(0.27 n)`` (at
    least 1) students from each end of the ranking by total, ties in reading order."""
    group = np.full(len(totals), _NONE, dtype=np.int8)
    who = np.flatnonzero(ranked)
    if not len(who):
        return group
    ranking = who[np.lexsort((reading[who], -totals[who], exam[who]))]
    exams = exam[ranking]
    starts = np.flatnonzero(np.r_[True, exams[1:] != exams[:-1]])
    sizes = np.diff(np.r_[starts, len(ranking)])
    n = np.repeat(sizes, sizes)
    place = np.arange(len(ranking)) - np.repeat(starts, sizes)
    k = np.maximum(1, np.floor(GROUP_SHARE * n + 0.5)).astype(np.int64)  # 四舍五入
    group[ranking[place < k]] = _HIGH
    group[ranking[(n > 1) & (place >= n - k)]] = _LOW
    return group


class _Marks:
    """The valid marks grouped by codes of their student (exam, class, 27% group) and of their
    entry (题号, 知识点): the sums behind each table, each pass over the marks used for all the
    tables it can serve (a school's sums are its classes' sums, exactly)."""

    def __init__(self, valid: ValidMarks, students: pd.DataFrame, school: pd.Series) -> None:
        self.valid = valid
        self.students = len(students)
        self.exam, self.exams = codes([students[key] for key in EXAM_KEYS])
        self.unit, self.classes = codes([school, students["班级"]])  # (学校, 班级)
        self.school_of_class, self.schools = codes([self.classes["学校"]])
        self.marks = MarkGroups(valid, self.students)
        self.label, self.labels = codes([valid.labels.rename("题号")])
        point, self.points = codes([valid.points.rename("知识点")])
        text = self.points["知识点"]
        named = text.notna().to_numpy()
        tagged = named & (text.fillna("").astype(str).str.strip() != "").to_numpy()
        own = named & (text.fillna("") != "").to_numpy()
        self.tagged = np.where((point >= 0) & tagged[np.maximum(point, 0)], point, -1)
        self.own = np.where((point >= 0) & own[np.maximum(point, 0)], point, -1)
        self._pairs: dict[bytes, tuple[Grouped, np.ndarray]] = {}
        self.cells: Grouped | None = None

    @staticmethod
    def keys(keys: list[np.ndarray], values: list[pd.DataFrame]) -> pd.DataFrame:
        """Groups' keys as a frame: each part's values at the groups' codes."""
        parts = [v.iloc[at].reset_index(drop=True) for at, v in zip(keys, values, strict=True)]
        return pd.concat(parts, axis=1)

    def count_cells(self, group: np.ndarray) -> None:
        """One pass: count and sum the marks per exam × class × 27% group × item (a student in
        no class counted under the extra class, ``len(classes)``)."""
        unit = np.where(self.unit >= 0, self.unit, len(self.classes))
        self.cells = self.marks.group(
            [
                (self.exam, len(self.exams)),
                (unit, len(self.classes) + 1),
                (group.astype(np.int64), 3),
            ],
            [(self.label, len(self.labels))],
            {"score": self.valid.score},
        )

    def _sum_cells(self, parts: list[tuple[np.ndarray, int]], pick: np.ndarray) -> Grouped:
        """The cells of ``pick`` summed per combination of ``parts`` (codes per cell)."""
        assert self.cells is not None
        code, _ = combine([(p[pick], n) for p, n in parts])
        weights = {"n": self.cells.counts[pick].astype(float), **self.cells.sums}
        weights["score"] = weights["score"][pick]
        return group_rows(code, [n for _, n in parts], weights)

    def item_stats(self) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
        """Per exam × item: 实考人数 and 平均分; the means of the 高分组 and of the 低分组."""
        assert self.cells is not None
        exam, _, of, label = self.cells.keys
        parts = [(exam, len(self.exams)), (label, len(self.labels))]
        every = np.ones(len(exam), dtype=bool)
        found = self._sum_cells(parts, every)
        stats = self.keys(found.keys, [self.exams, self.labels])
        count = found.sums["n"]
        stats = stats.assign(实考人数=count.astype(np.int64), 平均分=found.sums["score"] / count)

        def mean(which: int, name: str) -> pd.Series:
            found = self._sum_cells(parts, of == which)
            frame = self.keys(found.keys, [self.exams, self.labels])
            average = found.sums["score"] / found.sums["n"]
            return frame.assign(**{name: average}).set_index([*EXAM_KEYS, "题号"])[name]

        return stats, mean(_HIGH, "高分组均分"), mean(_LOW, "低分组均分")

    def rates(self, by_school: bool, order: dict[str, int]) -> pd.DataFrame:
        """Per exam × item × class (or × school): 实考人数, 平均分, and the 满分 of the group's
        first mark."""
        assert self.cells is not None
        exam, unit, _, label = self.cells.keys
        pick = unit < len(self.classes)  # not the students in no class
        units = self.schools if by_school else self.classes
        at = self.school_of_class[unit[pick]] if by_school else unit[pick]
        parts = [(exam[pick], len(self.exams)), (label[pick], len(self.labels)), (at, len(units))]
        code, _ = combine(parts)
        weights = {
            "n": self.cells.counts[pick].astype(float),
            "score": self.cells.sums["score"][pick],
        }
        found = group_rows(code, [n for _, n in parts], weights)
        exam, label, at = found.keys
        frame = self.keys([exam, label, at], [self.exams, self.labels, units])
        count = found.sums["n"]
        return frame.assign(
            _school=frame["学校"].map(order),
            实考人数=count.astype(np.int64),
            平均分=found.sums["score"] / count,
            满分=self._first_fulls(exam, label, at, by_school),
        )

    def _first_fulls(
        self, exam: np.ndarray, label: np.ndarray, at: np.ndarray, by_school: bool
    ) -> np.ndarray:
        """The 满分 of each group's first mark: the item's, when every entry of a 题号 has the
        same 满分 (one per sheet, as usual); else found mark by mark."""
        named = self.label >= 0
        by_label = np.full(len(self.labels), np.nan)
        by_label[self.label[named]] = self.valid.fulls[named]
        if np.array_equal(by_label[self.label[named]], self.valid.fulls[named]):
            return by_label[label]
        unit = self.school_of_class[np.maximum(self.unit, 0)] if by_school else self.unit
        unit = np.where(self.unit >= 0, unit, -1)
        units = len(self.schools) if by_school else len(self.classes)
        found = self.marks.group(
            [(self.exam, len(self.exams)), (unit, units)],
            [(self.label, len(self.labels))],
            first=True,
        )
        assert found.first is not None
        first = pd.Series(self.valid.fulls[self.valid.entry[found.first]])
        where = pd.MultiIndex.from_arrays([found.keys[0], found.keys[2], found.keys[1]])
        return (
            first.set_axis(where).reindex(pd.MultiIndex.from_arrays([exam, label, at])).to_numpy()
        )

    def pairs(self, points: np.ndarray) -> tuple[Grouped, np.ndarray]:
        """Each student × 知识点 with a valid mark (points per entry, < 0 for none): its marks'
        Σ scores and Σ 满分; and each pair's exam."""
        key = points.tobytes()
        if key not in self._pairs:
            full = np.take(self.valid.fulls, self.valid.entry)
            found = self.marks.group(
                [(np.arange(self.students), self.students)],
                [(points, len(self.points))],
                {"score": self.valid.score, "full": full},
            )
            self._pairs[key] = (found, self.exam[found.keys[0]])
        return self._pairs[key]

    def point_sums(self, by: str | None) -> pd.DataFrame:
        """Per exam × 知识点 (× class or school): 实考人数 (its students with a mark on it),
        得分, 满分."""
        pairs, exam = self.pairs(self.tagged)
        student, point = pairs.keys
        pick = exam >= 0
        parts = [(exam, len(self.exams)), (point, len(self.points))]
        values = [self.exams, self.points]
        if by is not None:
            unit = self.unit[student]
            pick &= unit >= 0
            if by == "学校":
                unit = self.school_of_class[np.maximum(unit, 0)]
            units = self.schools if by == "学校" else self.classes
            parts.append((unit, len(units)))
            values.append(units)
        code, _ = combine([(p[pick], n) for p, n in parts])
        weights = {k: v[pick] for k, v in pairs.sums.items()}
        found = group_rows(code, [n for _, n in parts], weights)
        return self.keys(found.keys, values).assign(
            实考人数=found.counts, 得分=found.sums["score"], 满分=found.sums["full"]
        )

    def point_order(self) -> tuple[pd.Series, dict[Any, int]]:
        """Per exam × 知识点 its items joined with 、 in the order they first appear; and each
        知识点's rank in the order points first appear (one pass: the first mark of each exam ×
        point × item)."""
        exam = np.where(self.exam >= 0, self.exam + 1, 0)  # 0: the exam keys are incomplete
        found = self.marks.group(
            [(exam, len(self.exams) + 1)],
            [(self.tagged, len(self.points)), (self.label, len(self.labels))],
            first=True,
        )
        assert found.first is not None
        exam, point, label = found.keys
        first = pd.Series(found.first).groupby(point).min()
        ranked = first.index.to_numpy()[np.argsort(first.to_numpy(), kind="stable")]
        first_seen = {self.points["知识点"].iloc[p]: i for i, p in enumerate(ranked)}
        keep = exam > 0
        exam, point, label, order = exam[keep] - 1, point[keep], label[keep], found.first[keep]
        frame = self.keys([exam, point, label], [self.exams, self.points, self.labels])
        frame["题号"] = [str(v) for v in frame["题号"]]
        frame = frame.iloc[np.lexsort((order, point, exam))]
        items = frame.groupby([*EXAM_KEYS, "知识点"], sort=False)["题号"].agg("、".join)
        return items, first_seen

    def point_tables(self, order: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The 知识点 tables (``_points``): per exam × point × class, grade and school."""
        if not len(self.pairs(self.tagged)[1]):
            return _no_points()
        per_class, per_school = self.point_sums("班级"), self.point_sums("学校")
        items, first_seen = self.point_order()
        return _point_tables(
            per_class.assign(_school=per_class["学校"].map(order)),
            self.point_sums(None).assign(_school=-1),
            per_school.assign(_school=per_school["学校"].map(order)),
            items,
            first_seen,
        )

    def below(self, line: float) -> dict[tuple[Any, ...], int]:
        """Per exam × 知识点 × school × class: its students whose own 得分率 on the point is
        under the line (``_below``)."""
        pairs, exam = self.pairs(self.own)
        student, point = pairs.keys
        unit = self.unit[student]
        with np.errstate(divide="ignore", invalid="ignore"):
            under = pairs.sums["score"] / pairs.sums["full"] < line - 1e-12
        under &= (exam >= 0) & (unit >= 0)
        parts = [
            (exam[under], len(self.exams)),
            (point[under], len(self.points)),
            (unit[under], len(self.classes)),
        ]
        code, _ = combine(parts)
        found = group_rows(code, [n for _, n in parts])
        frame = self.keys(found.keys, [self.exams, self.points, self.classes])
        rows = frame.itertuples(index=False, name=None)
        return {key: int(n) for key, n in zip(rows, found.counts, strict=True)}


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
    return _item_table(catalogue, stats, top, bottom)


def _item_table(
    catalogue: pd.DataFrame, stats: pd.DataFrame, top: pd.Series, bottom: pd.Series
) -> pd.DataFrame:
    """Per exam × item: 实考人数 and 平均分 (``stats``), the groups' means, P and D."""
    keys = [*EXAM_KEYS, "题号"]
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
    return _rate_table(table, catalogue, unit)


def _rate_table(table: pd.DataFrame, catalogue: pd.DataFrame, unit: list[str]) -> pd.DataFrame:
    """Per exam × item × ``unit``, from its 实考人数, 平均分 and 满分: 得分率, in paper order."""
    keys = [*EXAM_KEYS, "题号", *unit]
    table["得分率"] = table["平均分"] / table["满分"]
    table = table.merge(catalogue[[*EXAM_KEYS, "题号", "序"]], on=[*EXAM_KEYS, "题号"])
    order = ["年级", "学科", "考试", "序", "_school", *unit[1:]]
    table = table.sort_values(order, kind="stable")
    return table[[*keys, "实考人数", "平均分", "得分率"]].reset_index(drop=True)


def _points(valid: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per exam × 知识点 × school × class, then the grade (学校 and 班级 None): Σ scores / Σ 满分;
    and the same per exam × 知识点 × school."""
    tagged = valid[valid["知识点"].fillna("").astype(str).str.strip() != ""]
    if tagged.empty:
        return _no_points()
    first_seen = {p: i for i, p in enumerate(dict.fromkeys(tagged["知识点"]))}
    items = (
        tagged.drop_duplicates([*EXAM_KEYS, "知识点", "题号"])
        .groupby([*EXAM_KEYS, "知识点"], sort=False)["题号"]
        .apply(lambda s: "、".join(str(v) for v in s))
        .rename("题号")
    )

    def sums(keys: list[str]) -> pd.DataFrame:
        return (
            tagged.groupby(keys, sort=True)
            .agg(
                实考人数=("sid", "nunique"),
                得分=("分数", "sum"),
                满分=("满分", "sum"),
                _school=("_school", "first"),
            )
            .reset_index()
        )

    classes = sums([*EXAM_KEYS, "知识点", "学校", "班级"])
    grade = sums([*EXAM_KEYS, "知识点"])
    schools = sums([*EXAM_KEYS, "知识点", "学校"])
    return _point_tables(classes, grade, schools, items, first_seen)


def _no_points() -> tuple[pd.DataFrame, pd.DataFrame]:
    columns = [*EXAM_KEYS, "知识点", "题号", "学校", "班级", "实考人数", "得分", "满分", "得分率"]
    return pd.DataFrame(columns=columns), pd.DataFrame(columns=columns).drop(columns="班级")


def _point_tables(
    classes: pd.DataFrame,
    grade: pd.DataFrame,
    schools: pd.DataFrame,
    items: pd.Series,
    first_seen: Mapping[Any, int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 知识点 tables from their sums per class, per grade and per school: 得分率, the items
    of each point (``items``), in the order points first appear (``first_seen``)."""
    columns = [*EXAM_KEYS, "知识点", "题号", "学校", "班级", "实考人数", "得分", "满分", "得分率"]

    def finish(table: pd.DataFrame) -> pd.DataFrame:
        table["得分率"] = table["得分"] / table["满分"]
        table = table.join(items, on=[*EXAM_KEYS, "知识点"])
        table["_p"] = table["知识点"].map(first_seen)
        return table

    classes, schools = finish(classes), finish(schools)
    grade = finish(grade).assign(学校=None, 班级=None, _school=-1)
    table = pd.concat([classes, grade], ignore_index=True)
    table["班级"] = [None if pd.isna(c) else int(c) for c in table["班级"]]
    table["_g"] = table["班级"].isna()
    table = table.sort_values(
        ["年级", "学科", "考试", "_p", "_g", "_school", "班级"], kind="stable"
    )
    schools = schools.sort_values(["年级", "学科", "考试", "_p", "_school"], kind="stable")
    school_columns = [c for c in columns if c != "班级"]
    return (
        table[columns].reset_index(drop=True),
        schools[school_columns].reset_index(drop=True),
    )


def _below(valid: pd.DataFrame, line: float) -> pd.Series:
    """Per exam × 知识点 × school × class: its students whose own 得分率 on the point is under
    the line (the long way)."""
    own = (
        valid[valid["知识点"].fillna("") != ""]
        .groupby([*EXAM_KEYS, "知识点", "学校", "班级", "sid"])[["分数", "满分"]]
        .sum()
    )
    return (own["分数"] / own["满分"] < line - 1e-12).groupby(level=list(range(6))).sum()


def _suggestions(
    below: Mapping[tuple[Any, ...], int] | pd.Series,
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
    classes = classes.join(grade.rename("年级得分率"), on=school_keys)
    weak = classes[
        # under the line (低于 60%), or the gap or more under the grade (低 10 个百分点以上)
        (classes["得分率"] < line - 1e-12)
        | (classes["得分率"] <= classes["年级得分率"] - gap + 1e-12)
    ]
    # 涉及人数 (``below``): students of the class whose own 得分率 on the point is under the line.
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
