"""What a homework-audit sheet holds (作业检查), and the rules its rows obey.

Vocabulary from the school's plan: three kinds of homework (基础巩固, 能力提升, 实践探究) and
marking that is 有批、有改、有评、有追踪, with 错题再学习.
"""

from __future__ import annotations

from typing import Any

from toolkit.records.fields import (
    CLASS,
    GRADE,
    SUBJECT,
    TEACHER,
    Field,
    RecordKind,
    level_field,
    yes_no,
)

KINDS_OF_HOMEWORK = ("基础巩固", "能力提升", "实践探究")

HOMEWORK = RecordKind(
    key="homework",
    report_name="作业检查汇总",
    date_field="检查日期",
    title="作业检查",
    unit="一次检查：一位教师在一个班一个学科的作业",
    anchor="任课教师",
    min_fields=5,
    fields=(
        Field(
            "检查日期",
            "date",
            synonyms=("日期", "检查时间"),
            help="检查的日期；月检次数按月份统计",
            example="2026-03-20",
            fill_down=True,
        ),
        GRADE,
        CLASS,
        SUBJECT,
        TEACHER,
        Field(
            "布置次数",
            "int",
            synonyms=("作业次数", "布置作业次数", "作业布置次数"),
            help="检查期间布置作业的次数",
            example=12,
            minimum=0,
            maximum=200,
            unit="次",
        ),
        *(
            Field(
                name,
                "int",
                synonyms=(f"{name}类", f"{name}作业", f"{name}类作业"),
                help=f"其中{name}类作业的次数",
                example=example,
                minimum=0,
                maximum=200,
                unit="次",
            )
            for name, example in zip(KINDS_OF_HOMEWORK, (8, 3, 1), strict=True)
        ),
        Field(
            "日均时长",
            "decimal",
            synonyms=("日均作业时长", "平均时长", "作业时长", "日均用时"),
            header="日均时长(分钟)",
            help="学生完成书面作业的日均时间，单位分钟；一、二年级不布置书面作业填 0",
            example=45,
            minimum=0,
            maximum=300,
            unit="分钟",
        ),
        yes_no("有批", ("批阅", "有批阅", "批"), "作业是否全部批阅"),
        yes_no("有改", ("订正", "有订正", "改"), "学生是否订正"),
        yes_no("有评", ("评价", "有评价", "有评语", "评"), "是否有评价、评语"),
        yes_no("有追踪", ("追踪", "跟踪", "有跟踪", "有反馈追踪"), "是否追踪订正与反馈"),
        yes_no("错题再学习", ("错题本", "错题整理", "错题再练"), "是否落实错题再学习"),
        Field(
            "得分",
            "decimal",
            synonyms=("检查得分", "评分", "分数", "考核得分"),
            help="本次检查的得分，0–100",
            example=92,
            minimum=0,
            maximum=100,
            unit="分",
        ),
        level_field("优秀、良好、合格或待改进"),
        Field(
            "存在问题",
            synonyms=("问题",),
            required=False,
            help="检查发现的问题",
            width=30,
            example="个别学生订正不及时",
        ),
        Field(
            "整改要求",
            synonyms=("整改意见", "改进要求", "建议"),
            required=False,
            width=30,
            help="对教师的整改要求",
            example="每日跟踪订正情况",
        ),
        Field(
            "检查人",
            "person",
            synonyms=("检查教师", "检查者"),
            required=False,
            help="检查人姓名",
            example="李明",
        ),
    ),
    notes=("基础巩固、能力提升、实践探究三类次数之和应等于布置次数。",),
)


def rules() -> list[tuple[Any, str, str]]:
    """Cross-column rules: (pandera schema, severity, the column a finding points at)."""
    import pandera.pandas as pa

    def mix_adds_up(df: Any) -> Any:
        parts = df[list(KINDS_OF_HOMEWORK)]
        total = parts.sum(axis=1, min_count=1)
        known = parts.notna().all(axis=1) & df["布置次数"].notna()
        return ~known | (total == df["布置次数"])

    return [
        (
            pa.DataFrameSchema(checks=pa.Check(mix_adds_up, name="homework.mix")),
            "warning",
            "布置次数",
        ),
    ]
