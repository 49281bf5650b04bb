"""What a weak-point ledger holds (薄弱点台账), and the rules its rows obey.

One row is one weak point of one class, followed from 登记 through 整改 to 销号.
"""

from __future__ import annotations

from typing import Any

from toolkit.records.fields import CLASS, GRADE, SUBJECT, Field, RecordKind

CAUSES = ("知识", "能力", "习惯", "教学")
STATES = ("待整改", "整改中", "已销号")

WEAKPOINTS = RecordKind(
    key="weakpoints",
    report_name="薄弱点台账汇总",
    date_field="登记日期",
    title="薄弱点台账",
    unit="一个班的一个薄弱点",
    anchor="知识点",
    min_fields=5,
    fields=(
        Field(
            "登记日期",
            "date",
            synonyms=("日期", "发现日期", "登记时间"),
            help="登记这个薄弱点的日期",
            example="2026-03-10",
        ),
        GRADE,
        CLASS,
        SUBJECT,
        Field(
            "单元", synonyms=("章节", "单元名称", "所属单元"), help="教材单元", example="第三单元"
        ),
        Field(
            "知识点",
            synonyms=("考点", "薄弱知识点", "知识点名称"),
            width=20,
            help="薄弱的知识点",
            example="两位数乘两位数的进位",
        ),
        Field(
            "问题表现",
            synonyms=("错误表现", "典型错误", "具体表现", "存在问题"),
            width=28,
            help="学生的错误表现",
            example="进位后忘记加",
        ),
        Field(
            "错误率",
            "percent",
            synonyms=("出错率", "失分率"),
            required=False,
            help="出错学生占全班的比例，如 35%（错误率与涉及人数至少填一项）",
            example=0.35,
            minimum=0,
            maximum=1,
        ),
        Field(
            "涉及人数",
            "int",
            synonyms=("人数", "出错人数", "错误人数"),
            required=False,
            help="出错的学生人数",
            example=14,
            minimum=0,
            maximum=100,
            unit="人",
        ),
        Field(
            "原因类别",
            "choice",
            synonyms=("原因分类", "成因类别", "原因类型"),
            choices=CAUSES,
            aliases={f"{c}{suffix}": c for c in CAUSES for suffix in ("性", "类", "方面", "原因")},
            help="知识、能力、习惯或教学",
            example="习惯",
        ),
        Field(
            "原因分析",
            synonyms=("成因分析",),
            required=False,
            width=28,
            help="原因的具体分析",
            example="竖式书写不规范",
        ),
        Field(
            "改进措施",
            synonyms=("整改措施", "措施", "帮扶措施"),
            width=28,
            help="计划采取的措施",
            example="每日三道进位练习",
        ),
        Field(
            "责任教师",
            "person",
            synonyms=("负责人", "责任人", "任课教师"),
            help="负责整改的教师",
            example="王丽",
        ),
        Field(
            "计划完成日期",
            "date",
            synonyms=("完成时限", "计划完成时间", "截止日期", "完成日期"),
            help="计划销号的日期",
            example="2026-04-10",
        ),
        Field(
            "状态",
            "choice",
            synonyms=("整改状态", "进展"),
            choices=STATES,
            aliases={
                "未整改": "待整改",
                "未开始": "待整改",
                "进行中": "整改中",
                "销号": "已销号",
                "已完成": "已销号",
                "已整改": "已销号",
                "完成": "已销号",
            },
            help="待整改、整改中或已销号",
            example="整改中",
        ),
        Field(
            "复测日期",
            "date",
            synonyms=("复测时间",),
            required=False,
            help="复测的日期",
            example="2026-04-09",
        ),
        Field(
            "复测正确率",
            "percent",
            synonyms=("复测通过率", "复测正确"),
            required=False,
            help="复测时的正确率，如 85%",
            example=0.85,
            minimum=0,
            maximum=1,
        ),
    ),
    notes=(
        "错误率与涉及人数至少填一项；销号时填写复测日期和复测正确率。",
        "状态为待整改时，单元、原因类别、改进措施、责任教师可暂不填写；开始整改前补齐。",
    ),
    draft=("状态", "待整改", ("单元", "原因类别", "改进措施", "责任教师")),
)


def rules() -> list[tuple[Any, str, str]]:
    """Cross-column rules: (pandera schema, severity, the column a finding points at)."""
    import pandera.pandas as pa

    def has_measure(df: Any) -> Any:
        return df["错误率"].notna() | df["涉及人数"].notna()

    return [
        (
            pa.DataFrameSchema(checks=pa.Check(has_measure, name="weakpoint.no_measure")),
            "error",
            "错误率",
        ),
    ]
