"""The monthly 学情研判 pack: per grade, the month's homework audits, lessons observed and their
open 整改, the weak-point ledger's movement, and the latest exam against the one before.

Everything here is computed from :class:`~toolkit.pack.load.TermData` with the summaries of the
single-kind reports (no file I/O). Each chart of the pack is a :class:`Panel`: one small table,
the chart drawn from it and a one-line finding, rendered alike into the workbook (native chart),
a PNG and a slide.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from toolkit.base.classnames import class_name, grade_name
from toolkit.kinds.report import summary_in
from toolkit.present import GRADE_LABEL, Block, ChartSpec, show_keys
from toolkit.records.period import Period
from toolkit.scores.report import ScoreReport

from . import wording as say
from .exams import Exam, held_by
from .load import RECORD_KEYS, TermData
from .tables import by_class, class_labels, class_rows, subject_by_class

CHECKS = ("有批率", "有改率", "有评率", "有追踪率", "错题再学习率")


@dataclass
class Panel:
    """One chart of the pack: its table (first column: categories), chart and finding."""

    name: str  # file stem of its PNG
    heading: str
    frame: pd.DataFrame
    chart: ChartSpec
    finding: str
    signed: bool = False  # changes: +/- labels around a zero line
    class_bars: bool = False  # one bar per class, coloured by class
    role: str = ""  # number format of every value column, when their names do not say it
    colours: dict[str, str] | None = None  # of series that are measures, not classes

    @property
    def block(self) -> Block:
        roles = {str(c): self.role for c in self.frame.columns[1:]} if self.role else None
        chart = replace(self.chart, signed=True) if self.signed else self.chart
        return Block(self.heading, self.frame, chart, roles=roles, note=self.finding)


@dataclass
class GradeMonth:
    grade: int
    panels: list[Panel] = field(default_factory=list)
    attention: list[tuple[str, list[str]]] = field(default_factory=list)  # 需关注 groups
    details: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # detail sheets

    @property
    def name(self) -> str:
        return grade_name(self.grade)


@dataclass
class MonthlyPack:
    data: TermData
    period: Period
    exam: Exam | None
    previous: Exam | None
    scores: ScoreReport | None
    summaries: dict[str, Any]  # whole-school summaries by record kind (None: no records)
    grades: list[GradeMonth]
    school_panels: list[Panel]

    @property
    def title(self) -> str:
        config = self.data.config
        parts = [config.school, config.term_label, self.period.label]
        return "".join(p for p in parts if p) + "学情研判"

    def grade_title(self, grade: GradeMonth) -> str:
        """``…2026年5月四年级学情研判``."""
        return self.title.removesuffix("学情研判") + f"{grade.name}学情研判"


def build_monthly(data: TermData, month: str) -> MonthlyPack:
    """The pack for ``month`` (``2026-04``). Raises PeriodError for a month that is not one."""
    period = Period.of(month)
    assert period.month is not None
    summaries = {k: summary_in(k, data.valid(k), data.config, period) for k in RECORD_KEYS}
    exam, previous, scores = _latest_exam(data, int(period.month[5:]))
    grades = sorted(
        {int(g) for k in RECORD_KEYS for g in data.valid(k).get("年级", pd.Series()).dropna()}
        | (set(scores.summary["年级"].astype(int)) if scores and scores.analysed else set())
    )
    pack = MonthlyPack(data, period, exam, previous, scores, summaries, [], [])
    for grade in grades:
        pack.grades.append(_grade_month(pack, grade))
    pack.grades = [g for g in pack.grades if g.panels]
    pack.school_panels = _school_panels(pack)
    return pack


def _latest_exam(data: TermData, month: int) -> tuple[Exam | None, Exam | None, ScoreReport | None]:
    """The last exam sat by the end of ``month`` and the one before, analysed together."""
    held = [e for e in data.exams if held_by(e, month)]
    if not held:
        return None, None, None
    exam, previous = held[-1], (held[-2] if len(held) > 1 else None)
    return exam, previous, data.score_report(exam, previous)


# --------------------------------------------------------------------------- one grade


def _grade_month(pack: MonthlyPack, grade: int) -> GradeMonth:
    data, period = pack.data, pack.period
    result = GradeMonth(grade)
    own = {
        k: summary_in(k, _of_grade(data.valid(k), grade), data.config, period) for k in RECORD_KEYS
    }
    if own["homework"] is not None:
        _homework(result, own["homework"])
    if own["observation"] is not None:
        _observation(result, own["observation"], pack.summaries["observation"], data)
    if own["weakpoints"] is not None:
        _weakpoints(result, own["weakpoints"], period)
    if pack.scores is not None and pack.scores.analysed:
        _scores(result, pack)
    return result


def _of_grade(frame: pd.DataFrame, grade: int) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[frame["年级"] == grade]


def _homework(result: GradeMonth, summary: Any) -> None:
    classes, grade_row = class_rows(summary.classes, result.grade)
    if classes.empty or grade_row is None:
        return
    scores = by_class(classes, grade_row, ["平均得分"])
    lowest = scores.iloc[:-1].sort_values("平均得分", kind="stable").iloc[0]
    result.panels.append(
        Panel(
            "作业检查得分",
            "作业检查：各班平均得分",
            scores,
            ChartSpec("column", f"{result.name}作业检查平均得分", y_title="得分", y_max=100),
            f"本月检查作业 {int(grade_row['检查次数'])} 次，年级平均得分 "
            f"{say.score(grade_row['平均得分'])}；{lowest['班级']}最低"
            f"（{say.score(lowest['平均得分'])}）。",
            class_bars=True,
        )
    )
    checks = pd.DataFrame({"项目": [c.removesuffix("率") for c in CHECKS]})
    for label, (_, row) in zip(class_labels(classes), classes.iterrows(), strict=True):
        checks[label] = [row[c] for c in CHECKS]
    checks[GRADE_LABEL] = [grade_row[c] for c in CHECKS]
    weakest = min(CHECKS, key=lambda c: (grade_row[c], CHECKS.index(c)))
    result.panels.append(
        Panel(
            "作业落实率",
            "作业检查：有批、有改、有评、有追踪、错题再学习",
            checks,
            ChartSpec("column", f"{result.name}作业批改落实率", percent=True),
            f"五项落实率中{weakest.removesuffix('率')}最低，"
            f"年级为 {say.rate(grade_row[weakest])}。",
        )
    )
    low = summary.low_scores
    result.attention.append(
        (
            f"作业检查得分低于 {summary.alert_score:g} 分的教师",
            [
                f"{r['任课教师']}（{r['学科']}，{r['任教班级']}）：最低 "
                f"{say.score(r['最低得分'])} 分，低于 {summary.alert_score:g} 分 "
                f"{int(r['低于预警分次数'])} 次"
                for _, r in low.iterrows()
            ],
        )
    )
    over = summary.over_limit
    result.attention.append(
        (
            "作业时长超标",
            [
                f"{class_name(int(r['年级']), int(r['班级']))} {r['学科']}（{r['任课教师']}）："
                f"日均 {r['日均时长']:g} 分钟，上限 {r['时长上限']:g} 分钟"
                for _, r in over.iterrows()
            ],
        )
    )
    result.details.append(("作业检查", by_class(classes, grade_row, _HOMEWORK_COLUMNS)))


_HOMEWORK_COLUMNS = ["检查次数", "平均得分", "最低得分", "日均时长", "超时记录数", *CHECKS]
_OBSERVATION_COLUMNS = [
    "听课节数",
    "总分",
    "最低总分",
    "学生投入度",
    "教学环节落实",
    "课堂反馈实效",
]


def _observation(result: GradeMonth, summary: Any, school: Any, data: TermData) -> None:
    classes, grade_row = class_rows(summary.classes, result.grade)
    if not classes.empty and grade_row is not None:
        frame = by_class(classes, grade_row, ["总分"])
        frame = frame.rename(columns={"总分": "平均总分"})
        follow = summary.follow_up
        row = follow[follow["年级"] == result.grade]
        open_items = int(row["整改项"].iloc[0] - row["已整改"].iloc[0]) if len(row) else 0
        late = int(row["超期未整改"].iloc[0]) if len(row) else 0
        result.panels.append(
            Panel(
                "听评课",
                "听评课：各班课堂评价平均总分",
                frame,
                ChartSpec("column", f"{result.name}听评课平均总分", y_title="总分", y_max=100),
                f"本月听课 {int(grade_row['听课节数'])} 节，平均总分 "
                f"{say.score(grade_row['总分'])}；整改未完成 {open_items} 项，其中超期 {late} 项。",
                class_bars=True,
            )
        )
        result.details.append(("听评课", by_class(classes, grade_row, _OBSERVATION_COLUMNS)))
    teachers = {t.teacher for t in data.config.teaching if t.grade == result.grade}
    unobserved = school.unobserved if school is not None else pd.DataFrame()
    result.attention.append(
        (
            "本月未被听课的教师",
            [
                f"{r['任课教师']}（{r['学科']}）：本学期被听 {int(r['学期被听节数'])} 节"
                for _, r in unobserved.iterrows()
                if r["任课教师"] in teachers
            ],
        )
    )
    late_items = summary.open_items[summary.open_items["已过天数"] > summary.follow_up_days]
    result.attention.append(
        (
            f"听评课整改超过 {summary.follow_up_days:g} 天未完成",
            [
                f"{r['授课教师']}（{class_name(int(r['年级']), int(r['班级']))} {r['学科']}，"
                f"{r['日期']:%m-%d} 听课）：{r['整改状态']}，已过 {int(r['已过天数'])} 天"
                for _, r in late_items.iterrows()
            ],
        )
    )


def _weakpoints(result: GradeMonth, summary: Any, period: Period) -> None:
    records = summary.records
    month = period.month
    flags = pd.DataFrame(
        {
            "年级": records["年级"],
            "班级": records["班级"],
            "本月新增数": (records["登记月份"] == month).fillna(False).astype(int),
            "本月销号数": (records["销号月份"] == month).fillna(False).astype(int),
            "未销号数": (records["状态"] != "已销号").astype(int),
            "逾期未销号数": records["逾期"].astype(bool).astype(int),
        }
    )
    columns = ["本月新增数", "本月销号数", "未销号数", "逾期未销号数"]
    per_class = flags.groupby(["年级", "班级"], as_index=False)[columns].sum()
    per_class = per_class.sort_values("班级")
    total = flags[columns].sum()
    frame = pd.DataFrame({"班级": class_labels(per_class)})
    for column in columns:
        frame[column] = list(per_class[column].astype(int))
    frame.loc[len(frame)] = [GRADE_LABEL, *(int(total[c]) for c in columns)]
    result.panels.append(
        Panel(
            "薄弱点台账",
            "薄弱点台账：本月新增、销号与逾期",
            frame,
            ChartSpec("column", f"{result.name}薄弱点台账", y_title="个数"),
            f"本月新增薄弱点 {int(total['本月新增数'])} 个、销号 {int(total['本月销号数'])} 个；"
            f"未销号 {int(total['未销号数'])} 个，其中逾期 {int(total['逾期未销号数'])} 个。",
            # Light tints and a red: measures must not look like the classes on the axis.
            colours=dict(zip(columns, ("#9DC3E6", "#A9D18E", "#F4B183", "#C00000"), strict=True)),
        )
    )
    overdue = summary.overdue
    result.attention.append(
        (
            "逾期未销号的薄弱点",
            [
                f"{class_name(int(r['年级']), int(r['班级']))} {r['学科']}“{r['知识点']}”："
                f"逾期 {int(r['逾期天数'])} 天（{r['责任教师'] or '未填责任教师'}）"
                for _, r in overdue.iterrows()
            ],
        )
    )
    result.details.append(("薄弱点台账", frame))


def _scores(result: GradeMonth, pack: MonthlyPack) -> None:
    report = pack.scores
    assert report is not None and report.summary is not None
    summary = report.summary[report.summary["年级"] == result.grade]
    if summary.empty:
        return
    exam = report.exam
    subjects = list(dict.fromkeys(summary["学科"]))
    means = subject_by_class(summary, subjects, "平均分")
    grade_rows = summary[summary["班级"].isna()].set_index("学科")
    result.panels.append(
        Panel(
            "成绩平均分",
            f"{exam}：各班各科平均分",
            means,
            ChartSpec("column", f"{result.name}{exam}各班各科平均分", y_title="平均分"),
            say.means_line(exam, [(s, grade_rows.loc[s, "平均分"]) for s in subjects]),
            role="decimal",
        )
    )
    progress = report.progress
    if progress is None or pack.previous is None:
        return
    changes = progress.classes
    changes = changes[(changes["年级"] == result.grade) & changes["班级"].notna()]
    changes = changes[changes["平均分变化"].notna()]
    if changes.empty:
        return
    frame = subject_by_class(changes, subjects, "平均分变化", grade_row=False)
    worst = changes.sort_values("平均分变化", kind="stable").iloc[0]
    best = changes.sort_values("平均分变化", ascending=False, kind="stable").iloc[0]
    previous = pack.previous.name
    result.panels.append(
        Panel(
            "成绩变化",
            f"{exam}较{previous}：各班平均分变化",
            frame,
            ChartSpec("column", f"{result.name}平均分较{previous}变化", y_title="分"),
            f"较{previous}，{_class_subject(best)}平均分{say.change(best['平均分变化'])}，"
            f"{_class_subject(worst)}{say.change(worst['平均分变化'])}。",
            signed=True,
            role="signed",
        )
    )
    worth = pack.data.config.change_points  # a fall this large, as displayed, is listed
    fell = changes[
        ((changes["及格率变化"] * 100).round(1) <= -worth)
        | ((changes["优秀率变化"] * 100).round(1) <= -worth)
    ].copy()
    fell["_order"] = fell["学科"].map(pack.data.config.subject_order)
    fell = fell.sort_values(["班级", "_order"], kind="stable")
    result.attention.append(
        (
            f"及格率或优秀率较{previous}下降 {worth:g} 个百分点及以上的班级",
            [_fell_text(r, summary, worth) for _, r in fell.iterrows()],
        )
    )
    detail = summary[["年级", "班级", "学科", "实考人数", "平均分", "优秀率", "及格率", "低分率"]]
    detail = detail.merge(
        progress.classes[["年级", "班级", "学科", "平均分变化", "优秀率变化", "及格率变化"]],
        on=["年级", "班级", "学科"],
        how="left",
    )
    result.details.append((f"{exam}成绩", _shown_classes(detail)))


def _shown_classes(frame: pd.DataFrame) -> pd.DataFrame:
    """年级/班级 numbers → one 班级 column of names (全年级 for the grade row)."""
    return show_keys(frame)[0].drop(columns="年级")


def _class_subject(row: pd.Series) -> str:
    return f"{class_name(int(row['年级']), int(row['班级']))}{row['学科']}"


def _fell_text(row: pd.Series, summary: pd.DataFrame, worth: float) -> str:
    now = summary[(summary["班级"] == row["班级"]) & (summary["学科"] == row["学科"])].iloc[0]
    parts = []
    for name in ("及格率", "优秀率"):
        delta = row[f"{name}变化"]
        if say.shown_points(delta) <= -worth:
            parts.append(f"{name} {say.rate(now[name])}（{say.rate_change(delta)}）")
    return f"{_class_subject(row)}：" + "，".join(parts)


# --------------------------------------------------------------------------- the school


def _school_panels(pack: MonthlyPack) -> list[Panel]:
    """The overview workbook: each kind's grade rows side by side."""
    panels: list[Panel] = []
    homework = pack.summaries["homework"]
    if homework is not None:
        rows = homework.classes[homework.classes["班级"].isna()]
        frame = _by_grade(rows, ["检查次数", "平均得分", *CHECKS])
        panels.append(
            Panel(
                "全校作业检查",
                "作业检查：各年级",
                frame,
                ChartSpec("column", "各年级作业检查平均得分", series=("平均得分",), y_max=100),
                f"本月全校检查作业 {int(frame['检查次数'].iloc[-1])} 次，平均得分 "
                f"{say.score(frame['平均得分'].iloc[-1])}。",
            )
        )
    observation = pack.summaries["observation"]
    if observation is not None:
        rows = observation.classes[observation.classes["班级"].isna()]
        frame = _by_grade(rows, ["听课节数", "总分"]).rename(columns={"总分": "平均总分"})
        panels.append(
            Panel(
                "全校听评课",
                "听评课：各年级",
                frame,
                ChartSpec("column", "各年级听课节数", series=("听课节数",)),
                f"本月全校听课 {int(frame['听课节数'].iloc[-1])} 节，平均总分 "
                f"{say.score(frame['平均总分'].iloc[-1])}。",
            )
        )
    weakpoints = pack.summaries["weakpoints"]
    if weakpoints is not None:
        rows = weakpoints.classes[weakpoints.classes["班级"].isna()]
        frame = _by_grade(rows, ["登记数", "已销号", "逾期数"])
        panels.append(
            Panel(
                "全校薄弱点",
                "薄弱点台账：各年级（截至月末）",
                frame,
                ChartSpec("column", "各年级薄弱点登记、销号与逾期"),
                f"截至月末全校登记薄弱点 {int(frame['登记数'].iloc[-1])} 个，已销号 "
                f"{int(frame['已销号'].iloc[-1])} 个，逾期 {int(frame['逾期数'].iloc[-1])} 个。",
            )
        )
    return panels


def _by_grade(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """年级 | columns…, the school row (年级 empty) last as 全校."""
    labels = ["全校" if pd.isna(g) else grade_name(int(g)) for g in rows["年级"]]
    frame = pd.DataFrame({"年级": labels})
    for column in columns:
        frame[column] = list(rows[column])
    return frame
