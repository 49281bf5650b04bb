"""作业检查汇总.xlsx: per-grade overviews with charts, then the detail sheets."""

from __future__ import annotations

from toolkit.base.classnames import grade_name
from toolkit.homework.definitions import HOMEWORK_DEFINITIONS
from toolkit.homework.metrics import LEVEL_COLUMNS, RATE_COLUMNS, HomeworkSummary
from toolkit.homework.schema import KINDS_OF_HOMEWORK
from toolkit.present import (
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


def build(book: Book, report: RecordReport) -> None:
    summary: HomeworkSummary = report.summary
    for grade in grades_of(summary.classes):
        book.overview(
            grade_sheet_name(grade),
            f"{grade_name(grade)}作业检查",
            _blocks(summary, grade),
            note=period_text(report),
        )
    limit_note = (
        "日均时长上限："
        + "，".join(
            f"{grade_name(g)} {m:g} 分钟" for g, m in sorted(report.config.homework_minutes.items())
        )
        + "。"
    )
    book.table(
        "班级汇总",
        summary.classes,
        heading="各班作业检查汇总",
        subtitle=f"{period_text(report)}。比率为“是”的检查占已填写检查的比例。{limit_note}",
        freeze_columns=2,
    )
    book.table(
        "学科汇总",
        summary.subjects,
        heading="各年级各学科作业检查汇总",
        subtitle=period_text(report),
        freeze_columns=2,
    )
    book.table(
        "教师汇总",
        summary.teachers,
        heading="各任课教师作业检查汇总",
        subtitle=period_text(report),
        freeze_columns=2,
    )
    if summary.months is not None:
        book.table(
            "月检趋势",
            summary.months,
            heading="月检趋势（各年级、全校逐月）",
            subtitle="到统计月份为止每个月的检查结果。",
            freeze_columns=2,
        )
    book.table(
        "存在问题",
        summary.issues,
        heading="检查发现的问题",
        subtitle="所有填写了“存在问题”的检查，按检查日期排列。",
        freeze_columns=5,
    )
    book.table(
        "时长超标",
        summary.over_limit,
        heading="日均时长超过上限的检查",
        subtitle=limit_note,
        freeze_columns=5,
    )
    book.table(
        "需关注教师",
        summary.low_scores,
        heading=f"检查得分低于 {summary.alert_score:g} 分的教师",
        subtitle=f"有一次及以上检查得分低于 {summary.alert_score:g} 分（学校配置“作业检查预警分”）",
        freeze_columns=2,
    )


def _blocks(summary: HomeworkSummary, grade: int) -> list[Block]:
    classes = summary.classes
    blocks = [
        Block(
            "各班“有批、有改、有评、有追踪”及错题再学习落实率",
            grade_block(classes, grade, "班级", RATE_COLUMNS),
            ChartSpec("column", f"{grade_name(grade)}各班作业批改落实率", "落实率", percent=True),
        ),
        Block(
            "各班检查得分与日均时长",
            grade_block(
                classes,
                grade,
                "班级",
                ["检查次数", "平均得分", "最低得分", "日均时长", "超时记录数"],
            ),
            ChartSpec(
                "column",
                f"{grade_name(grade)}各班作业检查平均得分",
                "得分",
                series=("平均得分",),
                y_max=100,
            ),
        ),
        Block(
            "各班三类作业次数",
            grade_block(classes, grade, "班级", list(KINDS_OF_HOMEWORK)),
            ChartSpec("stacked", f"{grade_name(grade)}各班三类作业结构", "次数"),
        ),
        Block(
            "各班检查等级分布",
            grade_block(classes, grade, "班级", LEVEL_COLUMNS),
            ChartSpec("stacked", f"{grade_name(grade)}各班检查等级分布", "次数"),
        ),
    ]
    if summary.months is not None:
        months = summary.months[[g == grade for g in summary.months["年级"]]]
        trend = months[["月份", *RATE_COLUMNS]].reset_index(drop=True)
        scores = months[["月份", "检查次数", "平均得分"]].reset_index(drop=True)
        blocks += [
            Block(
                "月检趋势：落实率",
                trend,
                ChartSpec("line", f"{grade_name(grade)}月检落实率趋势", "落实率", percent=True),
            ),
            Block(
                "月检趋势：平均得分",
                scores,
                ChartSpec(
                    "line", f"{grade_name(grade)}月检平均得分趋势", "得分", series=("平均得分",)
                ),
            ),
        ]
    return blocks


def definitions(report: RecordReport) -> list[tuple[str, str, str]]:
    config = report.config
    limits = "；".join(
        f"{grade_name(g)} {m:g} 分钟" for g, m in sorted(config.homework_minutes.items())
    )
    return [
        *source_rows(report, len(report.table.files)),
        *HOMEWORK_DEFINITIONS.sheet_rows(
            {
                "统计范围": period_text(report),
                "超时记录数": limits or "未设上限",
                "需关注教师": f"预警分 {config.homework_alert_score:g}（学校配置“参数”可改）",
            }
        ),
    ]
