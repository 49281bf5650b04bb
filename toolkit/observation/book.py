"""听评课汇总.xlsx: per-grade overviews (三看 radar, subjects, 课型, 整改), then detail sheets."""

from __future__ import annotations

import pandas as pd

from toolkit.base.classnames import grade_name
from toolkit.observation.definitions import OBSERVATION_DEFINITIONS
from toolkit.observation.metrics import RATE_COLUMNS, ObservationSummary
from toolkit.observation.schema import DIMENSIONS, FOLLOW_UP, LESSON_TYPES, LEVELS_OF_OBSERVATION
from toolkit.present import (
    SCHOOL_LABEL,
    Block,
    Book,
    ChartSpec,
    grade_block,
    grade_sheet_name,
    grades_of,
    period_text,
    source_rows,
)
from toolkit.records.report import RecordReport


def _month_text(summary: ObservationSummary) -> str:
    if not summary.month:
        return ""
    year, month = summary.month.split("-")
    return f"{year}年{int(month)}月"


def build(book: Book, report: RecordReport) -> None:
    summary: ObservationSummary = report.summary
    note = (
        f"{period_text(report)}；听课节数按学期累计（至统计月份末），"
        f"整改超期按 {summary.as_of:%Y-%m-%d} 计"
    )
    for grade in grades_of(summary.classes):
        book.overview(
            grade_sheet_name(grade), f"{grade_name(grade)}听评课", _blocks(summary, grade), note
        )
    book.table(
        "授课教师",
        summary.taught,
        heading="授课教师被听课情况与“三看”得分",
        subtitle=f"{period_text(report)}。学期被听节数为本学期到统计月份末的累计。",
        freeze_columns=1,
    )
    below = int((~summary.observers["达标"]).sum())
    book.table(
        "听课人",
        summary.observers,
        heading="听课人听课节数",
        subtitle=(
            f"每学期要求听课 {summary.quota:g} 节（学校配置“听课节数要求”）；"
            f"未达标 {below} 人。含任课表中尚未听课的教师。"
        ),
        roles={"学期要求": "int", "达标": "text"},
        freeze_columns=1,
    )
    month = _month_text(summary)
    book.table(
        "本月未被听课",
        summary.unobserved,
        heading=f"{month}尚未被听课的教师",
        subtitle="学校配置“任课”表中的教师，本月没有被听课记录。"
        if report.config.teaching
        else "未提供学校配置的“任课”表，无法列出未被听课的教师。",
        freeze_columns=1,
    )
    book.table(
        "班级汇总",
        summary.classes,
        heading="各班听课汇总",
        subtitle=period_text(report),
        freeze_columns=2,
    )
    book.table(
        "学科汇总",
        summary.subjects,
        heading="各年级各学科听课汇总",
        subtitle=period_text(report),
        freeze_columns=2,
    )
    book.table(
        "课型与层级",
        summary.lesson_types.merge(summary.levels, on="年级", suffixes=("", "_层级")).drop(
            columns=["合计_层级"]
        ),
        heading="课型与听课层级",
        subtitle=period_text(report),
        freeze_columns=1,
    )
    book.table(
        "整改情况",
        summary.follow_up,
        heading="听评课整改情况",
        subtitle=(
            f"本学期至统计月份末的整改项；未完成超过 {summary.follow_up_days:g} 天为超期"
            f"（按 {summary.as_of:%Y-%m-%d} 计）。"
        ),
        freeze_columns=1,
    )
    book.table(
        "未完成整改",
        summary.open_items,
        heading="未完成的整改项",
        subtitle=f"按已过天数从多到少；截至 {summary.as_of:%Y-%m-%d}。",
        freeze_columns=2,
    )


def _radar(summary: ObservationSummary, grade: int) -> pd.DataFrame:
    """得分率 of each dimension for the grade and the school (radars need a common scale)."""
    classes = summary.classes
    grade_row = classes[(classes["年级"] == grade) & classes["班级"].isna()]
    school_row = classes[classes["年级"].isna()]
    return pd.DataFrame(
        {
            "维度": list(DIMENSIONS),
            grade_name(grade): [float(grade_row[c].iloc[0]) for c in RATE_COLUMNS],
            SCHOOL_LABEL: [float(school_row[c].iloc[0]) for c in RATE_COLUMNS],
        }
    )


def _counts_block(table: pd.DataFrame, grade: int, choices: tuple[str, ...]) -> pd.DataFrame:
    row = table[table["年级"] == grade]
    counts = [int(row[c].iloc[0]) if len(row) else 0 for c in choices]
    return pd.DataFrame({"类别": list(choices), "节数": counts})


def _blocks(summary: ObservationSummary, grade: int) -> list[Block]:
    name = grade_name(grade)
    follow = summary.follow_up[summary.follow_up["年级"] == grade]
    states = pd.DataFrame(
        {
            "整改状态": [*FOLLOW_UP, "其中超期"],
            "项数": [
                int(follow[c].iloc[0]) if len(follow) else 0 for c in (*FOLLOW_UP, "超期未整改")
            ],
        }
    )
    return [
        Block(
            "“三看”得分率（平均分 ÷ 该项满分）",
            _radar(summary, grade),
            ChartSpec("radar", f"{name}“三看”得分率", percent=True),
        ),
        Block(
            "各学科听课节数与平均分",
            grade_block(summary.subjects, grade, "学科", ["听课节数", *DIMENSIONS, "总分"]),
            ChartSpec("column", f"{name}各学科听评课平均总分", "总分", series=("总分",)),
        ),
        Block(
            "各班被听节数与平均总分",
            grade_block(summary.classes, grade, "班级", ["听课节数", "总分", "最低总分"]),
            ChartSpec("column", f"{name}各班被听节数", "节数", series=("听课节数",)),
        ),
        Block(
            "课型",
            _counts_block(summary.lesson_types, grade, LESSON_TYPES),
            ChartSpec("column", f"{name}各课型节数", "节数"),
        ),
        Block(
            "听课层级",
            _counts_block(summary.levels, grade, LEVELS_OF_OBSERVATION),
            ChartSpec("column", f"{name}三级听课节数", "节数"),
        ),
        Block(
            "整改（本学期）",
            states,
            ChartSpec("column", f"{name}听评课整改状态", "项数"),
        ),
    ]


def definitions(report: RecordReport) -> list[tuple[str, str, str]]:
    summary: ObservationSummary = report.summary
    config = report.config
    marks = "，".join(f"{d} {config.observation_marks[d]:g}" for d in DIMENSIONS)
    return [
        *source_rows(report, len(report.table.files)),
        *OBSERVATION_DEFINITIONS.sheet_rows(
            {
                "统计范围": period_text(report),
                "学期听课节数、还差节数": f"要求 {summary.quota:g} 节",
                "本月未被听课": summary.month or "",
                "三看平均分、总分": f"满分：{marks}",
                "超期未整改": f"{summary.follow_up_days:g} 天，按 {summary.as_of:%Y-%m-%d} 计",
            }
        ),
    ]
