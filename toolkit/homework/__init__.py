"""作业检查: homework audits, one row per teacher × class × subject inspection."""

from __future__ import annotations

from toolkit.homework.schema import HOMEWORK, rules
from toolkit.kinds.spec import KindSpec

KIND = KindSpec(
    record=HOMEWORK,
    rules=rules,
    package=__name__,
    description="各班、各学科、各教师的检查次数、时长、五项落实率和得分。",
)
