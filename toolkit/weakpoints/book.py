"""薄弱点台账汇总.xlsx: per-grade overviews (status by class and subject, new vs closed), then
the overdue, retest and recurring lists."""

from __future__ import annotations

from toolkit.base.classnames import grade_name
from toolkit.present import (
    Block,
    Book,
    ChartSpec,
    grade_block,
    grade_sheet_name,
    grades_of,
    source_rows,
)
from toolkit.records.report import RecordReport
from toolkit.weakpoints.definitions import WEAKPOINT_DEFINITIONS
from toolkit.weakpoints.metrics import WeakpointSummary
from toolkit.weakpoints.schema import STATES


def _as_of(summary: WeakpointSummary) -> str:
    return f"截至 {summary.as_of:%Y-%m-%d}"


def build(book: Book, report: RecordReport) -> None:
    summary: WeakpointSummary = report.summary
    as_of = _as_of(summary)
    for grade in grades_of(summary.classes):
        book.overview(
            grade_sheet_name(grade),
            f"{grade_name(grade)}薄弱点台账",
            _blocks(summary, grade),
            note=f"{as_of}（登记日期在此之后的不计）",
        )
    book.table(
        "班级汇总",
        summary.classes,
        heading="各班薄弱点整改汇总",
        subtitle=f"{as_of}。销号率 = 已销号 ÷ 登记数；逾期 = 未销号且已过计划完成日期。",
        freeze_columns=2,
    )
    book.table(
        "学科汇总",
        summary.subjects,
        heading="各年级各学科薄弱点整改汇总",
        subtitle=as_of,
        freeze_columns=2,
    )
    book.table(
        "逾期未销号",
        summary.overdue,
        heading="逾期未销号的薄弱点",
        subtitle=f"{as_of}，已过计划完成日期仍未销号，按逾期天数从多到少。",
        freeze_columns=4,
    )
    book.table(
        "复测提升",
        summary.retests,
        heading="复测提升",
        subtitle="提升 = 复测正确率 − (1 − 错误率)，即复测正确率比登记时的正确率高多少。",
        freeze_columns=4,
    )
    book.table(
        "共性问题",
        summary.recurring,
        heading="同一年级两个及以上班级出现的知识点",
        subtitle="知识点文字相同（忽略空格和全角半角）即视为同一知识点；宜作为年级共性问题集中研讨。",
        freeze_columns=3,
    )
    book.table(
        "逐月新增与销号",
        summary.months,
        heading="逐月新增与销号",
        subtitle="新增按登记日期，销号按复测日期所在月份计；已销号但未填复测日期的不计入销号月份。",
        freeze_columns=2,
    )


def _blocks(summary: WeakpointSummary, grade: int) -> list[Block]:
    name = grade_name(grade)
    months = summary.months[[g == grade for g in summary.months["年级"]]]
    blocks = [
        Block(
            "各班薄弱点状态",
            grade_block(summary.classes, grade, "班级", [*STATES, "逾期数", "销号率"]),
            ChartSpec("stacked", f"{name}各班薄弱点状态", "个数", series=STATES),
        ),
        Block(
            "各学科薄弱点状态",
            grade_block(summary.subjects, grade, "学科", [*STATES, "逾期数", "销号率"]),
            ChartSpec("stacked", f"{name}各学科薄弱点状态", "个数", series=STATES),
        ),
        Block(
            "各班销号率与复测提升",
            grade_block(summary.classes, grade, "班级", ["销号率", "平均错误率", "平均提升"]),
            ChartSpec("column", f"{name}各班销号率", "销号率", series=("销号率",), percent=True),
        ),
    ]
    if len(months):
        blocks.append(
            Block(
                "逐月新增与销号",
                months[["月份", "新增", "销号"]].reset_index(drop=True),
                ChartSpec("column", f"{name}逐月新增与销号", "个数"),
            )
        )
    return blocks


def definitions(report: RecordReport) -> list[tuple[str, str, str]]:
    summary: WeakpointSummary = report.summary
    return [
        *source_rows(report, len(report.table.files)),
        *WEAKPOINT_DEFINITIONS.sheet_rows({"统计时点": f"{summary.as_of:%Y-%m-%d}"}),
    ]
