"""The term report's text, drafted from its tables so that staff edit rather than write.

Every number in a sentence is formatted by :mod:`toolkit.pack.wording` from a value of the
tables the report prints next to it, so the text and the tables cannot disagree (tests parse the
sentences back and compare). Functions here are pure: frames in, sentences out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from toolkit.base.classnames import class_name, grade_name

from . import wording as say


@dataclass
class Routine:
    """A grade's term totals of the routine checks (None: no records of that kind)."""

    inspections: int = 0
    homework_score: float | None = None
    weakest_check: str = ""  # the 作业 check (有追踪, …) with the lowest rate
    weakest_rate: float | None = None
    lessons: int = 0
    lesson_score: float | None = None
    late_follow_ups: int = 0
    weak_points: int = 0
    closed: int = 0
    overdue: int = 0

    def sentence(self) -> str:
        """基本情况's line on the term's routine checks."""
        parts = []
        if self.homework_score is not None:
            parts.append(
                f"检查作业 {self.inspections} 次，平均得分 {say.score(self.homework_score)}"
            )
        if self.lesson_score is not None:
            parts.append(f"听课 {self.lessons} 节，平均总分 {say.score(self.lesson_score)}")
        if self.weak_points:
            parts.append(
                f"登记薄弱点 {self.weak_points} 个，已销号 {self.closed} 个，"
                f"逾期未销号 {self.overdue} 个"
            )
        return f"本学期{'；'.join(parts)}。" if parts else ""


# A class whose 及格率 or 优秀率 is this many percentage points below its grade's (as displayed)
# is named as a problem.
RATE_GAP = 5.0
MOVE = 10  # a rank move this large is worth a teacher's attention


@dataclass(frozen=True)
class Worth:
    """What the text calls a change (the school config's 变化提示线): smaller ones read 基本持平
    and are never a problem; the largest ones above it are always named."""

    score: float = 1.0  # points of 平均分
    points: float = 3.0  # percentage points of a rate

    def mean(self, value: float) -> str:
        """``提高 2.10 分`` / ``基本持平（下降 0.10 分）`` / ``持平``."""
        told = say.change(value)
        if told == "持平" or abs(say.shown_score(value)) >= self.score:
            return told
        return f"基本持平（{told}）"

    def rate(self, value: float) -> str:
        told = say.rate_change(value)
        if told == "持平" or abs(say.shown_points(value)) >= self.points:
            return told
        return f"基本持平（{told}）"

    def fell(self, value: object, kind: str) -> bool:
        """A fall worth a sentence: ``kind`` is 分 (a 平均分 change) or 率 (a rate change)."""
        if not say.is_number(value):
            return False
        if kind == "分":
            return say.shown_score(value) <= -self.score  # type: ignore[arg-type]
        return say.shown_points(value) <= -self.points  # type: ignore[arg-type]


def basics(grade: int, exam: str, grade_rows: pd.DataFrame, classes: int) -> str:
    """``本次期末考试，四年级共 3 个班参加，应考 121 人，实考 119 人，缺考 2 人；…``.

    ``grade_rows``: the grade's summary rows (班级 empty), one per subject. 应考 is the largest
    of any subject (a student is listed once per subject)."""
    expected = int(grade_rows["应考人数"].max())
    sat = int(grade_rows["实考人数"].min())
    absent = int(grade_rows["缺考人数"].sum())
    subjects = "、".join(grade_rows["学科"])
    return (
        f"本次{exam}考试，{grade_name(grade)}共 {classes} 个班参加，考试科目为{subjects}。"
        f"各科应考 {expected} 人，实考人数最少的学科 {sat} 人，各科缺考共 {absent} 人次。"
    )


def subject_paragraph(
    grade: int,
    subject: str,
    grade_row: pd.Series,
    class_rows: pd.DataFrame,
    change: pd.Series | None,
    previous: str,
    near_pass: dict[int, int],
    worth: Worth = Worth(),
) -> str:
    """One subject: the grade's figures, the change against ``previous``, the best class and the
    class with the lowest 及格率 against the grade, with its 拟合格 students."""
    if not say.is_number(grade_row["平均分"]):  # marked in levels: no average to speak of
        return level_paragraph(grade, subject, grade_row, class_rows, change, previous, worth)
    text = f"{grade_name(grade)}{subject}平均分 {say.score(grade_row['平均分'])}"
    if change is not None and say.is_number(change["平均分变化"]):
        text += f"，较{previous}{worth.mean(change['平均分变化'])}"
    text += (
        f"；优秀率 {say.rate(grade_row['优秀率'])}，及格率 {say.rate(grade_row['及格率'])}，"
        f"低分率 {say.rate(grade_row['低分率'])}。"
    )
    if len(class_rows) < 2:
        return text
    best = class_rows.sort_values(["平均分", "班级"], ascending=[False, True]).iloc[0]
    text += (
        f"{_name(best)}平均分最高（{say.score(best['平均分'])}，超均率 "
        f"{say.signed_rate(best['超均率'])}）"
    )
    low = class_rows.sort_values(["及格率", "班级"]).iloc[0]
    if say.rate_gap(low["及格率"], grade_row["及格率"]) < 0:
        text += (
            f"；{_name(low)}及格率 {say.rate(low['及格率'])}，"
            f"{say.versus(low['及格率'], grade_row['及格率'])}"
            f"，拟合格学生 {near_pass.get(int(low['班级']), 0)} 人"
        )
    return text + "。"


def level_paragraph(
    grade: int,
    subject: str,
    grade_row: pd.Series,
    class_rows: pd.DataFrame,
    change: pd.Series | None,
    previous: str,
    worth: Worth = Worth(),
) -> str:
    """A subject marked in levels, told in its rates (优良率 is the 良好率, which counts 优秀
    too): the grade's rates and their change, the class with the highest 优良率 and the class
    whose 合格率 is under the grade's. No average is invented from levels."""
    text = (
        f"{grade_name(grade)}{subject}按等级评价：优秀率 {say.rate(grade_row['优秀率'])}，"
        f"优良率 {say.rate(grade_row['良好率'])}"
    )
    if change is not None and say.is_number(change.get("良好率变化")):
        text += f"，较{previous}{worth.rate(change['良好率变化'])}"
    text += f"；合格率 {say.rate(grade_row['及格率'])}。"
    if len(class_rows) < 2:
        return text
    best = class_rows.sort_values(["良好率", "班级"], ascending=[False, True]).iloc[0]
    text += f"{_name(best)}优良率最高（{say.rate(best['良好率'])}）"
    low = class_rows.sort_values(["及格率", "班级"]).iloc[0]
    if say.rate_gap(low["及格率"], grade_row["及格率"]) < 0:
        text += (
            f"；{_name(low)}合格率 {say.rate(low['及格率'])}，"
            f"{say.versus(low['及格率'], grade_row['及格率'])}"
        )
    return text + "。"


def _name(row: pd.Series) -> str:
    return class_name(int(row["年级"]), int(row["班级"]))


CHANGES = (("平均分变化", "分"), ("优秀率变化", "率"), ("及格率变化", "率"))


def comparison(
    grade: int,
    previous: str,
    changes: pd.DataFrame,
    moves: pd.DataFrame,
    class_changes: pd.DataFrame | None = None,
    worth: Worth = Worth(),
) -> list[str]:
    """对比分析: per subject the grade's change, the largest class changes, then the students'
    rank moves.

    ``changes``: the grade rows of the per-class changes (one per subject); ``class_changes``:
    the class rows; ``moves``: per class 进步人数/退步人数 (rank up/down by at least MOVE
    students) with a 全年级 row last."""
    lines = []
    for _, row in changes.iterrows():
        if not say.is_number(row["平均分变化"]):  # marked in levels (in one exam or both)
            lines.append(
                f"{row['学科']}：优秀率{worth.rate(row['优秀率变化'])}，优良率"
                f"{worth.rate(row['良好率变化'])}，合格率{worth.rate(row['及格率变化'])}。"
            )
            continue
        lines.append(
            f"{row['学科']}：平均分{worth.mean(row['平均分变化'])}，优秀率"
            f"{worth.rate(row['优秀率变化'])}，及格率{worth.rate(row['及格率变化'])}。"
        )
    if class_changes is not None:
        lines.extend(largest_class_changes(class_changes, worth))
    if len(moves) and "等级提高人数" in moves:
        total = moves.iloc[-1]
        lines.append(
            f"与{previous}相比（{grade_name(grade)}不排学生名次，看各科等级的升降），"
            f"等级提高的学生 {int(total['等级提高人数'])} 人，"
            f"下降的 {int(total['等级下降人数'])} 人，持平的 {int(total['持平人数'])} 人。"
        )
    elif len(moves):
        total = moves.iloc[-1]
        lines.append(
            f"与{previous}相比，{grade_name(grade)}年级名次进步 {MOVE} 名及以上的学生 "
            f"{int(total['进步人数'])} 人，退步 {MOVE} 名及以上的 {int(total['退步人数'])} 人。"
        )
    return lines


def largest_class_changes(class_changes: pd.DataFrame, worth: Worth) -> list[str]:
    """For each measure, the class × subject that rose most and the one that fell most, when the
    change reaches the 变化提示线: the largest changes are never left out of the text."""
    rows = class_changes[class_changes["班级"].notna()]
    told = []
    for column, kind in CHANGES:
        values = pd.to_numeric(rows[column], errors="coerce")
        shown = values.round(2) if kind == "分" else (values * 100).round(1)
        threshold = worth.score if kind == "分" else worth.points
        for rises in (True, False):
            pick = shown[shown >= threshold] if rises else shown[shown <= -threshold]
            if pick.empty:
                continue
            row = rows.loc[pick.idxmax() if rises else pick.idxmin()]
            measure = column.removesuffix("变化")
            said = say.change(row[column]) if kind == "分" else say.rate_change(row[column])
            told.append(f"{_name(row)}{row['学科']}{measure}{said}")
    if not told:
        return []
    return [f"变化最大的班级学科：{'；'.join(told)}。"]


def problems(
    grade: int,
    summary: pd.DataFrame,
    changes: pd.DataFrame | None,
    previous: str,
    weak: pd.DataFrame | None,
    line: float,
    routine: Routine,
    class_changes: pd.DataFrame | None = None,
    worth: Worth = Worth(),
) -> list[str]:
    """存在问题: classes well below their grade, subjects and classes whose figures fell by at
    least the 变化提示线, weak knowledge points (``weak``: 班级 (a class name or 全年级), 学科,
    知识点, 得分率, 年级得分率), and the routine checks' gaps."""
    found = []
    classes = summary[summary["班级"].notna()]
    grades = summary[summary["班级"].isna()].set_index("学科")
    for _, row in classes.iterrows():
        reference = grades.loc[row["学科"]]
        for name in ("及格率", "优秀率"):
            if say.rate_gap(row[name], reference[name]) <= -RATE_GAP:
                found.append(
                    f"{_name(row)}{row['学科']}{name} {say.rate(row[name])}，"
                    f"{say.versus(row[name], reference[name])}。"
                )
    if changes is not None:
        for _, row in changes.iterrows():
            if worth.fell(row["平均分变化"], "分"):
                found.append(
                    f"{grade_name(grade)}{row['学科']}平均分较{previous}"
                    f"{say.change(row['平均分变化'])}。"
                )
    if class_changes is not None:
        found.extend(_class_falls(class_changes, summary, previous, worth))
    if weak is not None:
        for _, row in weak.iterrows():
            where = "年级" if row["班级"] == "全年级" else row["班级"]
            found.append(
                f"{row['学科']}知识点{say.quoted(row['知识点'])}{where}得分率 "
                f"{say.rate(row['得分率'])}"
                + (
                    f"（年级 {say.rate(row['年级得分率'])}）。"
                    if where != "年级"
                    else f"，低于 {say.rate(line)}。"
                )
            )
    if routine.overdue:
        found.append(f"薄弱点台账中逾期未销号 {routine.overdue} 个。")
    if routine.weakest_rate is not None and routine.weakest_rate < 1:
        found.append(
            f"作业检查中{routine.weakest_check}率为 {say.rate(routine.weakest_rate)}，"
            "是五项落实中最低的一项。"
        )
    if routine.late_follow_ups:
        found.append(f"听评课整改超期未完成 {routine.late_follow_ups} 项。")
    return found or ["各科各班成绩与年级差距不大，本学期常规检查未发现突出问题。"]


def _class_falls(
    class_changes: pd.DataFrame, summary: pd.DataFrame, previous: str, worth: Worth
) -> list[str]:
    """Each class × subject whose 平均分, 优秀率 or 及格率 fell by at least the 变化提示线,
    largest falls first."""
    now = summary[summary["班级"].notna()].set_index(["班级", "学科"])
    falls = []
    for _, row in class_changes[class_changes["班级"].notna()].iterrows():
        current = (
            now.loc[(row["班级"], row["学科"])] if (row["班级"], row["学科"]) in now.index else None
        )
        for column, kind in CHANGES:
            if not worth.fell(row[column], kind):
                continue
            measure = column.removesuffix("变化")
            if kind == "分":
                size = -say.shown_score(row[column]) / max(worth.score, 1e-9)
                said = say.change(row[column])
                shown = f"（现 {say.score(current[measure])}）" if current is not None else ""
            else:
                size = -say.shown_points(row[column]) / max(worth.points, 1e-9)
                said = say.rate_change(row[column])
                shown = f"（现 {say.rate(current[measure])}）" if current is not None else ""
            falls.append((size, f"{_name(row)}{row['学科']}{measure}较{previous}{said}{shown}。"))
    return [text for _, text in sorted(falls, key=lambda fall: -fall[0])]


def measures(
    summary: pd.DataFrame,
    near_pass: pd.DataFrame,
    weak: pd.DataFrame | None,
    routine: Routine,
) -> list[str]:
    """改进措施: one drafted action per kind of problem, naming who and how many."""
    found = []
    if len(near_pass):
        counts = near_pass.groupby("学科").size()
        for subject, number in counts.items():
            found.append(
                f"{subject}：对 {int(number)} 名拟合格学生（距及格线 5 分以内）实行一人一策，"
                "每周面批、跟踪到人。"
            )
    if weak is not None and len(weak):
        names = say.listing(list(dict.fromkeys(say.quoted(p) for p in weak["知识点"])))
        found.append(f"把知识点{names}列入薄弱点台账，制定改进措施，下次单元检测复测销号。")
    if routine.overdue:
        found.append("逾期未销号的薄弱点由责任教师限期整改并复测，教导处月检时核查。")
    if routine.weakest_rate is not None and routine.weakest_rate < 1:
        found.append(f"作业检查重点跟进“{routine.weakest_check}”，纳入下学期教学常规月检。")
    if routine.late_follow_ups:
        found.append("听评课中未完成的整改项由年级组跟进复查，推门听课优先安排。")
    classes = summary[summary["班级"].notna()]
    if len(classes):
        found.append("各班对照本报告的班级数据召开质量分析会，明确下学期的提升目标。")
    return found
