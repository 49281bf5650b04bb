"""The term-end quality analysis (期末质量分析): per grade and subject the final exam's figures,
their change against the previous exam, item and knowledge-point analysis where item scores
exist, the term's routine-check totals, a teacher view, and the drafted text of the report.

Pure: computed from :class:`~toolkit.pack.load.TermData`, no file I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.base.classnames import class_name, grade_name
from toolkit.items.metrics import ItemAnalysis
from toolkit.kinds.report import summary_in
from toolkit.present import GRADE_LABEL, ChartSpec, show_keys
from toolkit.records.period import Period
from toolkit.scores.report import ScoreReport

from . import narrative
from . import wording as say
from .exams import Exam, pick_exam
from .lekao import LekaoGrade, lekao_grades
from .load import RECORD_KEYS, TermData
from .monthly import CHECKS, Panel
from .narrative import Routine
from .tables import class_rows, subject_by_class

CLASS_COLUMNS = [
    "实考人数", "平均分", "最高分", "最低分", "优秀率", "及格率", "低分率", "超均率", "综合分",
    "名次",
]  # fmt: skip
CHANGE_COLUMNS = ["平均分变化", "优秀率变化", "及格率变化", "超均率变化", "名次变化"]


class TermError(ValueError):
    """The folder holds no exam to analyse (or not the one asked for); the message says why."""


@dataclass
class SubjectTerm:
    subject: str
    paragraph: str
    table: pd.DataFrame  # 班级 rows then 全年级: CLASS_COLUMNS, 拟合格, 拟优
    changes: pd.DataFrame | None  # 班级 rows then 全年级: CHANGE_COLUMNS


@dataclass
class GradeTerm:
    grade: int
    basics: list[str]
    subjects: list[SubjectTerm]
    comparison: list[str]
    moves: pd.DataFrame | None  # per class: 进步人数, 退步人数 (rank moves ≥ MOVE), 全年级 last
    points: pd.DataFrame | None  # knowledge points: 学科, 知识点, 题号, classes…, 全年级
    items: pd.DataFrame | None  # per item: 难度, 区分度
    routine: Routine
    teachers: pd.DataFrame
    problems: list[str]
    measures: list[str]
    panels: list[Panel] = field(default_factory=list)

    @property
    def name(self) -> str:
        return grade_name(self.grade)


@dataclass
class TermAnalysis:
    data: TermData
    exam: Exam
    previous: Exam | None
    scores: ScoreReport
    items: ItemAnalysis | None
    as_of: dt.date
    summaries: dict[str, Any]
    grades: list[GradeTerm]
    lekao: list[LekaoGrade] = field(default_factory=list)  # 乐考 (grades 1–2), in levels

    @property
    def title(self) -> str:
        config = self.data.config
        parts = [config.school, config.term_label, self.exam.name]
        return "".join(p for p in parts if p) + "质量分析"

    @property
    def overview(self) -> pd.DataFrame:
        """年级 × 学科 rows: the grade figures and their change (概览)."""
        summary = self.scores.summary
        assert summary is not None
        rows = summary[summary["班级"].isna()].copy()
        frame = pd.DataFrame(
            {
                "年级": [grade_name(int(g)) for g in rows["年级"]],
                "学科": list(rows["学科"]),
                **{c: list(rows[c]) for c in ("应考人数", "实考人数", *CLASS_COLUMNS[1:7])},
            }
        )
        changes = _grade_changes(self.scores)
        if changes is not None:
            merged = rows[["年级", "学科"]].merge(changes, on=["年级", "学科"], how="left")
            for column in ("平均分变化", "优秀率变化", "及格率变化"):
                frame[column] = list(merged[column])
        return frame


def build_term(
    data: TermData,
    *,
    exam: str | None = None,
    previous: str | None = None,
    as_of: dt.date | None = None,
) -> TermAnalysis:
    """The analysis of ``exam`` (default: the last exam of the term) against ``previous``
    (default: the one before it)."""
    from toolkit.items.metrics import analyse

    if not data.exams:
        raise TermError(
            "文件夹中没有找到任何考试成绩（成绩表的文件夹名或文件名应写明期中、期末等）。"
        )
    chosen = pick_exam(data.exams, exam) if exam else data.exams[-1]
    if chosen is None:
        raise TermError(f"没有找到“{exam}”的成绩。找到的考试：{_names(data.exams)}。")
    before: Exam | None
    if previous:
        before = pick_exam(data.exams, previous)
        if before is None:
            raise TermError(f"没有找到“{previous}”的成绩。找到的考试：{_names(data.exams)}。")
    else:
        position = data.exams.index(chosen)
        before = data.exams[position - 1] if position > 0 else None
    report = data.score_report(chosen, before)
    if not report.analysed:
        raise TermError(f"“{chosen.name}”的成绩文件中没有读到学生成绩（见数据问题）。")
    items = None
    item_records = data.items.get(chosen.name)
    as_of = as_of or data.last_day or dt.date.today()
    if item_records is not None and not item_records.students.empty:
        items = analyse(
            item_records.students, item_records.marks, item_records.items, data.config, as_of
        )
    period = Period(None, as_of)
    summaries = {k: summary_in(k, data.valid(k), data.config, period) for k in RECORD_KEYS}
    analysis = TermAnalysis(data, chosen, before, report, items, as_of, summaries, [])
    analysis.lekao = lekao_grades(summaries.get("lekao"))
    assert report.summary is not None
    for grade in sorted(int(g) for g in report.summary["年级"].unique()):
        analysis.grades.append(_grade_term(analysis, grade))
    return analysis


def _names(exams: list[Exam]) -> str:
    return "、".join(e.name for e in exams) or "无"


def _grade_changes(report: ScoreReport) -> pd.DataFrame | None:
    """The grade rows of the per-class changes (班级 empty), keyed by 年级 and 学科."""
    if report.progress is None:
        return None
    classes = report.progress.classes
    rows = classes[classes["班级"].isna()]
    return rows.drop(columns=["学校", "班级"]) if len(rows) else None


# --------------------------------------------------------------------------- one grade


def _grade_term(analysis: TermAnalysis, grade: int) -> GradeTerm:
    report, data = analysis.scores, analysis.data
    assert report.summary is not None and report.critical is not None
    summary = report.summary[report.summary["年级"] == grade]
    grade_rows = summary[summary["班级"].isna()]
    classes = sorted(int(n) for n in summary["班级"].dropna().unique())
    previous = analysis.previous.name if analysis.previous else ""
    critical = report.critical[report.critical["年级"] == grade]
    near_pass = critical[critical["类别"] == "拟合格"]
    progress = report.progress.classes if report.progress is not None else None
    worth = narrative.Worth(data.config.change_score, data.config.change_points)
    subjects = []
    for subject in grade_rows["学科"]:
        rows = summary[summary["学科"] == subject]
        class_rows = rows[rows["班级"].notna()]
        grade_row = rows[rows["班级"].isna()].iloc[0]
        change = None
        changes = None
        if progress is not None:
            mine = progress[(progress["年级"] == grade) & (progress["学科"] == subject)]
            grade_change = mine[mine["班级"].isna()]
            change = grade_change.iloc[0] if len(grade_change) else None
            changes = _class_table(mine, CHANGE_COLUMNS)
        counts = near_pass[near_pass["学科"] == subject].groupby("班级").size()
        near = {int(k): int(v) for k, v in counts.items()}
        table = _class_table(rows, CLASS_COLUMNS)
        table["拟合格"] = _critical_counts(rows, critical, subject, "拟合格")
        table["拟优"] = _critical_counts(rows, critical, subject, "拟优")
        paragraph = narrative.subject_paragraph(
            grade, subject, grade_row, class_rows, change, previous, near, worth
        )
        subjects.append(SubjectTerm(subject, paragraph, table, changes))
    routine = _routine(analysis, grade)
    points, items = _items(analysis, grade)
    changes_rows = class_changes = None
    if progress is not None:
        changes_rows = progress[(progress["年级"] == grade) & progress["班级"].isna()]
        class_changes = progress[(progress["年级"] == grade) & progress["班级"].notna()]
    moves = _moves(report, grade) if analysis.previous else None
    weak = _weak_points(analysis, grade)
    result = GradeTerm(
        grade=grade,
        basics=[
            narrative.basics(grade, analysis.exam.name, grade_rows, len(classes)),
            *filter(None, [routine.sentence()]),
        ],
        subjects=subjects,
        comparison=(
            narrative.comparison(grade, previous, changes_rows, moves, class_changes, worth)
            if changes_rows is not None and moves is not None
            else []
        ),
        moves=moves,
        points=points,
        items=items,
        routine=routine,
        teachers=_teachers(analysis, grade),
        problems=narrative.problems(
            grade,
            summary,
            changes_rows,
            previous,
            weak,
            data.config.weak_point_line,
            routine,
            class_changes,
            worth,
        ),
        measures=narrative.measures(summary, near_pass, weak, routine),
    )
    result.panels = _panels(analysis, result, summary)
    return result


def _class_table(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """班级 (四(1)班 … 全年级) | columns, classes first."""
    ordered = pd.concat([rows[rows["班级"].notna()].sort_values("班级"), rows[rows["班级"].isna()]])
    shown, _ = show_keys(ordered[["年级", "班级", *columns]])
    return shown.drop(columns="年级").reset_index(drop=True)


def _critical_counts(
    rows: pd.DataFrame, critical: pd.DataFrame, subject: str, kind: str
) -> list[int]:
    """Students near a line per class (the 全年级 row: all of them), in _class_table's order."""
    mine = critical[(critical["学科"] == subject) & (critical["类别"] == kind)]
    numbers = sorted(int(n) for n in rows["班级"].dropna())
    return [int((mine["班级"] == n).sum()) for n in numbers] + [len(mine)]


def _moves(report: ScoreReport, grade: int) -> pd.DataFrame:
    """Per class, the students' moves against the previous exam (全年级 last): where the grade
    ranks pupils, those whose 年级名次 rose or fell by at least narrative.MOVE places; where it
    does not (学生排名 = 不排名), those whose levels rose, fell or held on balance (等级进退)."""
    assert report.students is not None and report.progress is not None
    by_rank = report.config.ranks_students(grade)
    column = "进退步" if by_rank else "等级进退"
    students = report.students.join(report.progress.students)
    students = students[(students["年级"] == grade) & students[column].notna()]
    row = _move_row if by_rank else _level_move_row
    rows = []
    for number, group in students.groupby("班级"):
        rows.append(row(class_name(grade, int(number)), group))
    rows.append(row(GRADE_LABEL, students))
    return pd.DataFrame(rows)


def moves_title(moves: pd.DataFrame) -> str:
    """The moves table's caption: by rank or by level (see _moves)."""
    if "等级提高人数" in moves:
        return "学生等级进退（各科等级升降相抵）"
    return f"年级名次进退步（{narrative.MOVE} 名及以上）"


def _level_move_row(label: str, group: pd.DataFrame) -> dict[str, Any]:
    steps = group["等级进退"]
    return {
        "班级": label,
        "可比人数": len(group),
        "等级提高人数": int((steps > 0).sum()),
        "等级下降人数": int((steps < 0).sum()),
        "持平人数": int((steps == 0).sum()),
    }


def _move_row(label: str, group: pd.DataFrame) -> dict[str, Any]:
    moves = group["进退步"]
    return {
        "班级": label,
        "可比人数": len(group),
        "进步人数": int((moves >= narrative.MOVE).sum()),
        "退步人数": int((moves <= -narrative.MOVE).sum()),
        "最大进步": int(moves.max()) if len(moves) else 0,
        "最大退步": int(-moves.min()) if len(moves) else 0,
    }


def _routine(analysis: TermAnalysis, grade: int) -> Routine:
    """The grade's term totals of the routine checks (the rollups' grade rows)."""
    routine = Routine()
    homework = analysis.summaries["homework"]
    if homework is not None:
        row = class_rows(homework.classes, grade)[1]
        if row is not None:
            routine.inspections = int(row["检查次数"])
            routine.homework_score = float(row["平均得分"])
            weakest = min(CHECKS, key=lambda c: (row[c], CHECKS.index(c)))
            routine.weakest_check = weakest.removesuffix("率")
            routine.weakest_rate = float(row[weakest])
    observation = analysis.summaries["observation"]
    if observation is not None:
        row = class_rows(observation.classes, grade)[1]
        if row is not None:
            routine.lessons = int(row["听课节数"])
            routine.lesson_score = float(row["总分"])
        follow = observation.follow_up
        late = follow[follow["年级"] == grade]
        routine.late_follow_ups = int(late["超期未整改"].iloc[0]) if len(late) else 0
    weakpoints = analysis.summaries["weakpoints"]
    if weakpoints is not None:
        row = class_rows(weakpoints.classes, grade)[1]
        if row is not None:
            routine.weak_points = int(row["登记数"])
            routine.closed = int(row["已销号"])
            routine.overdue = int(row["逾期数"])
    return routine


def _weak_points(analysis: TermAnalysis, grade: int) -> pd.DataFrame | None:
    """Knowledge points under the line (知识点预警得分率) for the grade, or for a class under the
    line or that far under its grade (知识点低于年级) — the rule of the suggested ledger."""
    if analysis.items is None:
        return None
    config = analysis.data.config
    points = analysis.items.points
    mine = points[points["年级"] == grade]
    grade_rates = mine[mine["班级"].isna()].set_index(["学科", "知识点"])["得分率"]
    rows = []
    for _, row in mine.iterrows():
        reference = grade_rates.get((row["学科"], row["知识点"]))
        is_grade = pd.isna(row["班级"])
        low = row["得分率"] < config.weak_point_line
        if not is_grade and reference is not None:
            low = low or row["得分率"] <= reference - config.weak_point_gap
        if low:
            rows.append(
                {
                    "班级": GRADE_LABEL if is_grade else class_name(grade, int(row["班级"])),
                    "学科": row["学科"],
                    "知识点": row["知识点"],
                    "得分率": row["得分率"],
                    "年级得分率": reference,
                }
            )
    return pd.DataFrame(rows, columns=["班级", "学科", "知识点", "得分率", "年级得分率"])


def _items(analysis: TermAnalysis, grade: int) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Knowledge points as 学科 | 知识点 | 题号 | 四(1)班 … | 全年级, and the items' P and D."""
    if analysis.items is None:
        return None, None
    points = analysis.items.points
    mine = points[points["年级"] == grade]
    if mine.empty:
        return None, None
    keys = mine[["学科", "知识点", "题号"]].drop_duplicates()
    table = keys.reset_index(drop=True)
    for number in sorted(int(n) for n in mine["班级"].dropna().unique()):
        rates = mine[mine["班级"] == number].set_index(["学科", "知识点"])["得分率"]
        table[class_name(grade, number)] = [
            rates.get((s, p)) for s, p in zip(table["学科"], table["知识点"], strict=True)
        ]
    rates = mine[mine["班级"].isna()].set_index(["学科", "知识点"])["得分率"]
    table[GRADE_LABEL] = [
        rates.get((s, p)) for s, p in zip(table["学科"], table["知识点"], strict=True)
    ]
    items = analysis.items.items
    items = items[items["年级"] == grade][
        ["学科", "题号", "知识点", "满分", "平均分", "难度", "难度评价", "区分度", "区分度评价"]
    ]
    return table, items.reset_index(drop=True)


def _teachers(analysis: TermAnalysis, grade: int) -> pd.DataFrame:
    """Each teacher's classes (任课 sheet) with their figures side by side: the exam, its change,
    the term's homework inspections of that class and the lessons observed of the teacher."""
    report = analysis.scores
    assert report.summary is not None
    summary = report.summary.set_index(["年级", "班级", "学科"])
    changes = (
        report.progress.classes.set_index(["年级", "班级", "学科"])
        if report.progress is not None
        else None
    )
    homework = analysis.summaries["homework"]
    observation = analysis.summaries["observation"]
    rows = []
    for t in analysis.data.config.teaching:
        if t.grade != grade or (grade, t.number, t.subject) not in summary.index:
            continue
        row = summary.loc[(grade, t.number, t.subject)]
        entry: dict[str, Any] = {
            "教师": t.teacher,
            "学科": t.subject,
            "班级": class_name(grade, t.number),
            "实考人数": row["实考人数"],
            "平均分": row["平均分"],
            "优秀率": row["优秀率"],
            "及格率": row["及格率"],
            "超均率": row["超均率"],
            "名次": row["名次"],
        }
        if changes is not None:
            entry["平均分变化"] = changes.loc[(grade, t.number, t.subject), "平均分变化"]
        if homework is not None:
            inspections = homework.used[
                (homework.used["年级"] == grade)
                & (homework.used["班级"] == t.number)
                & (homework.used["学科"] == t.subject)
            ]
            entry["作业检查次数"] = len(inspections)
            entry["作业平均得分"] = inspections["得分"].mean() if len(inspections) else None
        if observation is not None:
            lessons = observation.used[observation.used["授课教师"] == t.teacher]
            entry["被听节数"] = len(lessons)
            entry["听课平均总分"] = lessons["总分"].mean() if len(lessons) else None
        rows.append(entry)
    frame = pd.DataFrame(rows)
    return frame.sort_values(["教师", "学科", "班级"], kind="stable") if len(frame) else frame


# --------------------------------------------------------------------------- charts


def _panels(analysis: TermAnalysis, grade: GradeTerm, summary: pd.DataFrame) -> list[Panel]:
    exam = analysis.exam.name
    subjects = [s.subject for s in grade.subjects]
    panels = []
    means = subject_by_class(summary, subjects, "平均分")
    panels.append(
        Panel(
            "平均分",
            f"{exam}各班各科平均分",
            means,
            ChartSpec("column", f"{grade.name}{exam}各班各科平均分", y_title="平均分"),
            say.means_line("", list(zip(subjects, means[GRADE_LABEL], strict=True))),
            role="decimal",
        )
    )
    passing = subject_by_class(summary, subjects, "及格率")
    grade_pass = summary[summary["班级"].isna()].set_index("学科")["及格率"]
    panels.append(
        Panel(
            "及格率",
            f"{exam}各班各科及格率",
            passing,
            ChartSpec("column", f"{grade.name}{exam}各班各科及格率", percent=True),
            "年级及格率：" + "、".join(f"{s} {say.rate(grade_pass[s])}" for s in subjects) + "。",
        )
    )
    progress = analysis.scores.progress
    if progress is not None and analysis.previous is not None:
        changes = progress.classes[progress.classes["年级"] == grade.grade]
        changes = changes[changes["平均分变化"].notna()]
        if len(changes):
            previous = analysis.previous.name
            panels.append(
                Panel(
                    "平均分变化",
                    f"平均分较{previous}变化",
                    subject_by_class(changes, subjects, "平均分变化"),
                    ChartSpec("column", f"{grade.name}各班平均分较{previous}变化", y_title="分"),
                    grade.comparison[0] if grade.comparison else "",
                    signed=True,
                    role="signed",
                )
            )
    if grade.points is not None:
        for subject, rows in grade.points.groupby("学科", sort=False):
            frame = rows.drop(columns=["学科", "题号"]).reset_index(drop=True)
            weakest = frame.sort_values(GRADE_LABEL).iloc[0]
            panels.append(
                Panel(
                    f"{subject}知识点得分率",
                    f"{subject}知识点得分率",
                    frame,
                    ChartSpec("bar", f"{grade.name}{subject}知识点得分率", percent=True),
                    f"得分率最低的知识点是“{weakest['知识点']}”，年级 "
                    f"{say.rate(weakest[GRADE_LABEL])}。",
                )
            )
    return panels
