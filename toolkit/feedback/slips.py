"""个人学情反馈单 as data: each student's levels, knowledge points, suggestion and 评语.

Results of everyday exams are levels, told to each student and family privately (the Ministry
of Education's rules of December 2025): a slip holds one student's own results and nothing that
ranks them or shows another student's result. DataFrames in (the score reader's students and
marks, and the item reader's for 知识点), dataclasses out; nothing here reads or writes a file.

A slip's table is rows of ``item → level``: a subject's level here; a 乐考 kind (grades 1–2)
fills the same rows with its 项目 (``row_label`` 项目, ``group`` the subject a 项目 belongs to),
and the writers show either alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.base.classnames import class_name, grade_name
from toolkit.config.model import SchoolConfig
from toolkit.scores import metrics
from toolkit.scores.metrics import LEVELS

TITLE = "个人学情反馈单"
# 知识点 (docs/口径.md, 个人学情反馈单): the student's own 得分率 on a point's items.
MASTERED_LINE = 0.8  # 掌握较好: ≥ 80%
WORK_ON_LINE = 0.6  # 需要加强: < 60%
SUGGESTED_POINTS = 3  # the weakest points the drafted suggestion names
ABSENT = "缺考"
STRUCK = "未评定"  # a score the exam office struck out (作弊, 违纪): no level to tell
_LEVEL_OF_RANK = {rank: name for name, rank in metrics.LEVEL_RANK.items()}
_EPSILON = 1e-12  # a rate exactly on a line is on it, whatever the float sum


@dataclass(frozen=True)
class SlipRow:
    """One line of a slip's table: a subject (or a 乐考 项目) and the student's level in it."""

    item: str
    level: str  # 优秀/良好/合格/待合格, 缺考, 未评定, or "" when the mark could not be read
    score: float | None = None  # only when the school tells scores (反馈告知分数)
    group: str = ""  # a 乐考 项目's subject; "" for a subject's own row


@dataclass(frozen=True)
class PointRate:
    """A knowledge point and the student's own 得分率 on its items."""

    subject: str
    point: str
    rate: float


@dataclass
class Slip:
    """One student's slip."""

    school: str
    grade: int
    klass: int
    student_id: str
    name: str
    rows: list[SlipRow]
    mastered: list[PointRate] = field(default_factory=list)  # in the paper's order
    to_work_on: list[PointRate] = field(default_factory=list)  # weakest first
    suggestion: str = ""  # drafted from to_work_on; "" without item scores
    comment: str = ""  # the 评语 column's text; "" leaves a box to write in
    has_items: bool = False  # item scores of this exam cover the student
    # The item scores list the student, though maybe with no point to tell (every item 缺考).
    items_listed: bool = False

    @property
    def class_label(self) -> str:
        return class_name(self.grade, self.klass)


@dataclass(frozen=True)
class ClassReference:
    """The class's level counts in one subject (反馈班级参考): counts only, never a name."""

    item: str
    counts: tuple[int, ...]  # per level of LEVELS
    sat: int  # students with a level

    def text(self) -> str:
        return "　".join(
            f"{level} {count}" for level, count in zip(LEVELS, self.counts, strict=True)
        )


@dataclass
class ClassSlips:
    """Every slip of one class, with what each page says about the exam."""

    school: str
    grade: int
    klass: int
    exam: str
    term: str
    slips: list[Slip]
    show_scores: bool = False
    reference: list[ClassReference] | None = None  # only when the config asks for it
    row_label: str = "学科"  # 项目 for a 乐考 slip
    school_in_name: bool = False  # several schools: the file names carry the school

    @property
    def class_label(self) -> str:
        return class_name(self.grade, self.klass)

    @property
    def file_stem(self) -> str:
        """``三年级2班_个人学情反馈单`` (``实验小学_三年级2班_…`` among several schools)."""
        stem = f"{grade_name(self.grade)}{self.klass}班_{TITLE}"
        return f"{self.school}_{stem}" if self.school_in_name and self.school else stem

    @property
    def items(self) -> list[str]:
        """The subjects (or 项目) of the class's slips, in their order."""
        return list(dict.fromkeys(row.item for slip in self.slips for row in slip.rows))

    @property
    def has_items(self) -> bool:
        return any(slip.has_items for slip in self.slips)


@dataclass
class FeedbackSlips:
    classes: list[ClassSlips]
    unmatched: int = 0  # students of the item scores found on no slip (another class, a typo)

    @property
    def students(self) -> int:
        return sum(len(c.slips) for c in self.classes)


def percent(rate: float) -> str:
    """``45%``: rounded half up, as a teacher would (0.125 → 13%)."""
    return f"{math.floor(rate * 100 + 0.5 + 1e-9):d}%"


def suggestion(points: Iterable[PointRate], *, several_subjects: bool = False) -> str:
    """``建议复习：小数乘除（本次得分率 45%）、…`` from the points to work on (weakest first)."""
    chosen = list(points)[:SUGGESTED_POINTS]
    if not chosen:
        return "本次各知识点得分率都不低于 60%，请继续保持。"
    said = [
        f"{p.subject + ' ' if several_subjects else ''}{p.point}（本次得分率 {percent(p.rate)}）"
        for p in chosen
    ]
    return "建议复习：" + "、".join(said)


def build_slips(
    students: pd.DataFrame,
    marks: pd.DataFrame,
    config: SchoolConfig,
    *,
    exam: str = "",
    item_students: pd.DataFrame | None = None,
    item_marks: pd.DataFrame | None = None,
    classes: Iterable[tuple[int, int]] | None = None,
) -> FeedbackSlips:
    """The slips of every class (or of ``classes``: (年级, 班级) pairs) of one exam.

    ``students``/``marks`` are the score reader's frames (``students`` indexed by sid, with a
    评语 column when the sheet had one); ``item_students``/``item_marks`` the item reader's for
    the same exam, matched to the students by 学号, else by 年级, 班级 and 姓名."""
    if students.empty:
        return FeedbackSlips([])
    scored = metrics.scored_marks(students, marks, config)
    ranks = metrics.student_levels(students, scored, config)
    in_levels = metrics.level_subjects(scored)
    status = _pivot(marks, "状态")
    problem = _pivot(marks, "问题")
    scores = _pivot(marks, "分数")
    rates, unmatched, listed = _point_rates(students, item_students, item_marks, config)
    rates_of = {int(sid): part for sid, part in rates.groupby("sid", sort=False)}
    wanted = None if classes is None else {(int(g), int(n)) for g, n in classes}
    school_rank = metrics.school_order(students["学校"])
    several = len(school_rank) > 1
    comments = students["评语"] if "评语" in students else pd.Series("", index=students.index)

    keyed = students.assign(_school=students["学校"].map(school_rank))
    taken = scored.groupby(["学校", "年级", "班级"])["学科"].agg(set).to_dict()
    out = []
    for (_, school, grade, number), members in keyed.groupby(
        ["_school", "学校", "年级", "班级"], sort=True
    ):
        subjects = sorted(taken.get((school, grade, number), ()), key=config.subject_order)
        grade, number = int(grade), int(number)
        if wanted is not None and (grade, number) not in wanted:
            continue
        slips = []
        for sid, student in members.iterrows():
            rows = []
            for subject in subjects:
                state = _get(status, sid, subject)
                if state is None:  # no mark: not taking the subject (选科)
                    continue
                rows.append(
                    _row(
                        subject,
                        state,
                        _get(problem, sid, subject),
                        _get(ranks, sid, subject),
                        _get(scores, sid, subject),
                        show_score=config.feedback_scores and (grade, subject) not in in_levels,
                    )
                )
            slip = Slip(
                str(school),
                grade,
                number,
                str(student["学号"] or ""),
                str(student["姓名"]),
                rows,
                comment=_text(comments.get(sid)),
                items_listed=sid in listed,
            )
            if sid in rates_of:
                _add_points(slip, rates_of[sid])
            slips.append(slip)
        reference = (
            _reference(ranks, members.index, subjects) if config.feedback_class_reference else None
        )
        out.append(
            ClassSlips(
                str(school),
                grade,
                number,
                exam,
                config.term_label,
                slips,
                show_scores=config.feedback_scores,
                reference=reference,
                school_in_name=several,
            )
        )
    return FeedbackSlips(out, unmatched)


def _pivot(marks: pd.DataFrame, column: str) -> dict[tuple[int, str], object]:
    """(sid, 学科) → the mark's ``column`` (the first mark, as the score table takes it)."""
    first = marks.drop_duplicates(["sid", "学科"])
    return dict(zip(zip(first["sid"], first["学科"], strict=True), first[column], strict=True))


def _get(table: pd.DataFrame | Mapping[tuple[int, str], object], sid: int, subject: str) -> object:
    if isinstance(table, pd.DataFrame):
        if subject not in table.columns or sid not in table.index:
            return None
        value = table.at[sid, subject]
        return None if pd.isna(value) else value
    value = table.get((sid, subject))
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _row(
    subject: str,
    state: object,
    problem: object,
    rank: object,
    score: object,
    *,
    show_score: bool,
) -> SlipRow:
    if state == "absent":
        return SlipRow(subject, STRUCK if problem == "score.excluded" else ABSENT)
    if state not in ("valid", "level") or rank is None:
        return SlipRow(subject, "")
    level = _LEVEL_OF_RANK[int(rank)]  # type: ignore[call-overload]
    told = float(score) if show_score and state == "valid" and score is not None else None  # type: ignore[arg-type]
    return SlipRow(subject, level, told)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _reference(ranks: pd.DataFrame, sids: pd.Index, subjects: list[str]) -> list[ClassReference]:
    """Per subject, the class's students at each level (absent and unread marks aside)."""
    found = []
    for subject in subjects:
        column = ranks[subject].reindex(sids) if subject in ranks else pd.Series(dtype=float)
        counts = tuple(int((column == metrics.LEVEL_RANK[level]).sum()) for level in LEVELS)
        found.append(ClassReference(subject, counts, int(column.notna().sum())))
    return found


def _add_points(slip: Slip, rates: pd.DataFrame) -> None:
    """The slip's 掌握较好 and 需要加强 points and the drafted suggestion."""
    slip.has_items = True
    ordered = rates.sort_values(["_subject", "序"], kind="stable")
    points = [
        PointRate(str(r.学科), str(r.知识点), float(r.得分率))
        for r in ordered.itertuples(index=False)
    ]
    slip.mastered = [p for p in points if p.rate >= MASTERED_LINE - _EPSILON]
    weak = [p for p in points if p.rate < WORK_ON_LINE - _EPSILON]
    slip.to_work_on = sorted(weak, key=lambda p: p.rate)  # stable: ties keep the paper's order
    several = len({p.subject for p in points}) > 1
    slip.suggestion = suggestion(slip.to_work_on, several_subjects=several)


def _point_rates(
    students: pd.DataFrame,
    item_students: pd.DataFrame | None,
    item_marks: pd.DataFrame | None,
    config: SchoolConfig,
) -> tuple[pd.DataFrame, int, set[int]]:
    """Per score student (sid) × 学科 × 知识点: Σ own valid scores ÷ Σ their 满分 (blank and 缺考
    items left out, as in 试题分析), how many item students matched no score student, and the
    score students the item scores list."""
    columns = ["sid", "学科", "知识点", "得分", "满分", "得分率", "序", "_subject"]
    if item_students is None or item_marks is None or item_students.empty:
        return pd.DataFrame(columns=columns), 0, set()
    to_sid = match_students(students, item_students)
    unmatched = int(len(item_students) - to_sid.notna().sum())
    listed = {int(sid) for sid in to_sid.dropna()}
    marks = item_marks[item_marks["状态"] == "valid"].copy()
    marks["知识点"] = marks["知识点"].fillna("").astype(str).str.strip()
    marks = marks[marks["知识点"] != ""]
    marks["学科"] = marks["sid"].map(item_students["学科"])
    marks["sid"] = marks["sid"].map(to_sid)
    marks = marks.dropna(subset=["sid"])
    if marks.empty:
        return pd.DataFrame(columns=columns), unmatched, listed
    marks["sid"] = marks["sid"].astype(int)
    pairs = zip(marks["学科"], marks["知识点"], strict=True)
    order = {key: i for i, key in enumerate(dict.fromkeys(pairs))}  # the paper's order
    table = (
        marks.groupby(["sid", "学科", "知识点"], sort=False)
        .agg(得分=("分数", "sum"), 满分=("满分", "sum"))
        .reset_index()
    )
    table["得分率"] = table["得分"] / table["满分"]
    table["序"] = [order[k] for k in zip(table["学科"], table["知识点"], strict=True)]
    table["_subject"] = table["学科"].map(config.subject_order)  # 语文, 数学, 英语, …
    return table[columns], unmatched, listed


def match_students(students: pd.DataFrame, item_students: pd.DataFrame) -> pd.Series:
    """Each item student's score student (sid), NaN when none: by 年级 and 学号 where the item
    sheet has one the score sheet knows, else by 年级, 班级 and 姓名 (and 学校 when the score
    students are of several schools)."""
    several = students["学校"].nunique() > 1
    item_school = (
        item_students["学校"].fillna("").astype(str)
        if "学校" in item_students
        else pd.Series("", index=item_students.index)
    )

    def unique(
        keys: Iterable[tuple[object, ...]], sids: Iterable[int]
    ) -> dict[tuple[object, ...], int]:
        seen: dict[tuple[object, ...], int] = {}
        twice: set[tuple[object, ...]] = set()
        for key, sid in zip(keys, sids, strict=True):
            if key in seen:
                twice.add(key)
            seen[key] = sid
        return {k: v for k, v in seen.items() if k not in twice}

    ids = students[students["学号"].astype(str) != ""]
    by_id = unique(zip(ids["年级"].astype(int), ids["学号"].astype(str), strict=True), ids.index)
    by_name = unique(
        zip(
            students["学校"] if several else [""] * len(students),
            students["年级"].astype(int),
            students["班级"].astype(int),
            students["姓名"].astype(str),
            strict=True,
        ),
        students.index,
    )
    found = []
    for (_, row), school in zip(item_students.iterrows(), item_school, strict=True):
        grade = int(row["年级"]) if pd.notna(row["年级"]) else None
        student_id = str(row["学号"] or "")
        match = by_id.get((grade, student_id)) if student_id else None
        if match is None and grade is not None and pd.notna(row["班级"]):
            key = (school if several else "", grade, int(row["班级"]), str(row["姓名"]))
            match = by_name.get(key)
        found.append(np.nan if match is None else match)
    return pd.Series(found, index=item_students.index, dtype=float)
