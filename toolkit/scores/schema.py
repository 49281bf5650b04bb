"""What a score sheet holds: its header vocabulary and the rules its records obey.

Declared apart from the code that applies them (``read.py`` and ``validate.py``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from toolkit.reading.header import FieldMatcher
from toolkit.reading.vocabulary import CLASS_WORDS, ID_WORDS, NAME_WORDS, SCHOOL_WORDS

# Non-subject columns of a score sheet, with the headers teachers use for them.
FIELDS = FieldMatcher(
    {
        "姓名": NAME_WORDS,
        "班级": CLASS_WORDS,
        "学号": ID_WORDS,
        "年级": (),
        "学校": SCHOOL_WORDS,
        "总分": ("总成绩", "总计", "合计", "总分数"),
        "名次": (
            "排名",
            "班名次",
            "班级名次",
            "年级名次",
            "级名次",
            "校名次",
            "班排名",
            "年级排名",
            "班次",
            "校次",
            "级次",
            "年级次",
        ),
        "序号": ("编号", "no", "no."),
        "性别": (),
        "考试": ("考试名称",),
        "备注": ("说明",),
        # A teacher's words to the pupil, kept as typed for the feedback slip (xueqing feedback).
        "评语": ("教师评语", "班主任评语", "老师评语", "评价语"),
    }
)
# When a sheet has several class columns, the one the analysis goes by: the administrative class
# before a new (re-divided) one, before the old one, before a teaching group (选科 教学班).
CLASS_COLUMN_ORDER = ("新班级", "原班级", "教学班", "教学班级")
# Columns whose merged cells cover a whole block of students (one class, one grade).
CONTEXT_FIELDS = ("班级", "年级", "学校")


@lru_cache(maxsize=1)
def mark_schema() -> Any:
    """Rules for one mark (student × subject) once its cell has been read as a number."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        checks=[
            pa.Check(lambda df: ~(df["分数"] < 0), name="score.negative"),
            pa.Check(lambda df: ~(df["分数"] > df["满分"]), name="score.above_full"),
        ],
    )


@lru_cache(maxsize=1)
def student_schema() -> Any:
    """Rules for one student row: each student once per class (by 学号, else by 姓名)."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        unique=["学校", "年级", "班级", "识别"],
        report_duplicates="exclude_first",
    )


@lru_cache(maxsize=1)
def total_schema() -> Any:
    """Warnings: a typed 总分 that disagrees with the recomputed sum."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        checks=[
            pa.Check(
                lambda df: df["原总分"].isna() | ((df["原总分"] - df["计算总分"]).abs() < 0.01),
                name="total.mismatch",
            )
        ]
    )
