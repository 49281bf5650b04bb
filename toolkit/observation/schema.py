"""What a lesson-observation log holds (听评课记录), and the rules its rows obey.

三级听评课 (教导处 / 年级组 / 教研组) and its 三看: 学生投入度, 教学环节落实, 课堂反馈实效, each
scored out of a configurable mark (default 30 / 40 / 30, so 总分 is out of 100).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.records.fields import CLASS, GRADE, SUBJECT, Field, RecordKind, level_field

if TYPE_CHECKING:
    from toolkit.config.model import SchoolConfig

DIMENSIONS = ("学生投入度", "教学环节落实", "课堂反馈实效")
LEVELS_OF_OBSERVATION = ("教导处", "年级组", "教研组")
LESSON_TYPES = ("推门课", "公开课", "研讨课", "示范课", "汇报课")
FOLLOW_UP = ("未整改", "整改中", "已整改")


def _dimension(name: str, synonyms: tuple[str, ...], example: float) -> Field:
    return Field(
        name,
        "decimal",
        synonyms=synonyms,
        help=f"“三看”之一：{name}得分",
        example=example,
        minimum=0,
        maximum=lambda config: config.observation_marks[name],
        unit="分",
        guessed_setting=lambda config: (
            None if name in config.observation_marks_set else f"听评课满分-{name}"
        ),
    )


def _total_mark(config: SchoolConfig) -> float:
    return sum(config.observation_marks[d] for d in DIMENSIONS)


OBSERVATION = RecordKind(
    key="observation",
    report_name="听评课汇总",
    date_field="日期",
    title="听评课记录",
    unit="一节被听的课",
    anchor="听课人",
    min_fields=5,
    fields=(
        Field(
            "日期",
            "date",
            synonyms=("听课日期", "听课时间"),
            help="听课的日期",
            example="2026-03-18",
        ),
        Field(
            "听课人",
            "person",
            synonyms=("听课教师", "评课人", "听课者"),
            help="听课人姓名",
            example="李明",
        ),
        Field(
            "听课层级",
            "choice",
            synonyms=("层级", "听课级别", "级别", "听课类别"),
            choices=LEVELS_OF_OBSERVATION,
            aliases={
                "学校": "教导处",
                "校级": "教导处",
                "教务处": "教导处",
                "年级": "年级组",
                "教研": "教研组",
                "学科组": "教研组",
                "备课组": "教研组",
            },
            help="三级听评课：教导处、年级组或教研组",
            example="年级组",
        ),
        Field(
            "授课教师",
            "person",
            synonyms=("执教教师", "上课教师", "授课人", "执教者", "执教人"),
            help="被听课教师的姓名",
            example="王丽",
        ),
        GRADE,
        CLASS,
        SUBJECT,
        Field(
            "课题",
            synonyms=("课题名称", "课名", "授课内容", "教学内容"),
            width=24,
            help="本节课的课题",
            example="两位数乘两位数",
        ),
        Field(
            "课型",
            "choice",
            synonyms=("课的类型", "课例类型"),
            choices=LESSON_TYPES,
            aliases={t.removesuffix("课"): t for t in LESSON_TYPES},
            help="推门课、公开课、研讨课、示范课或汇报课",
            example="推门课",
        ),
        _dimension("学生投入度", ("投入度", "学生投入"), 26),
        _dimension("教学环节落实", ("环节落实", "教学环节"), 35),
        _dimension("课堂反馈实效", ("反馈实效", "课堂反馈"), 25),
        Field(
            "总分",
            "decimal",
            synonyms=("得分", "评分", "合计得分"),
            help="三项得分之和（工具会重新计算核对）",
            example=86,
            minimum=0,
            maximum=_total_mark,
            unit="分",
        ),
        level_field("优秀、良好、合格或待改进"),
        Field(
            "亮点",
            synonyms=("优点", "课堂亮点"),
            required=False,
            width=30,
            help="本节课的亮点",
            example="小组合作充分",
        ),
        Field(
            "存在问题",
            synonyms=("问题", "不足"),
            required=False,
            width=30,
            help="存在的问题",
            example="练习反馈不够及时",
        ),
        Field(
            "改进建议",
            synonyms=("建议", "整改建议"),
            required=False,
            width=30,
            help="改进建议",
            example="当堂检测后集中讲评",
        ),
        Field(
            "整改状态",
            "choice",
            synonyms=("整改情况", "状态"),
            required=False,
            choices=FOLLOW_UP,
            aliases={
                "未开始": "未整改",
                "待整改": "未整改",
                "进行中": "整改中",
                "已完成": "已整改",
                "完成": "已整改",
            },
            help="未整改、整改中或已整改",
            example="整改中",
        ),
        Field(
            "复查日期",
            "date",
            synonyms=("复查时间",),
            required=False,
            help="复查整改情况的日期",
            example="2026-04-08",
        ),
    ),
    notes=(
        "三项得分的满分在学校配置“参数”中设置（默认 学生投入度 30、教学环节落实 40、"
        "课堂反馈实效 30，总分 100）。",
    ),
)


def rules() -> list[tuple[Any, str, str]]:
    """Cross-column rules: (pandera schema, severity, the column a finding points at)."""
    import pandera.pandas as pa

    def total_adds_up(df: Any) -> Any:
        parts = df[list(DIMENSIONS)]
        known = parts.notna().all(axis=1) & df["总分"].notna()
        return ~known | ((parts.sum(axis=1) - df["总分"]).abs() < 0.01)

    return [
        (
            pa.DataFrameSchema(checks=pa.Check(total_adds_up, name="observation.total")),
            "warning",
            "总分",
        ),
    ]
