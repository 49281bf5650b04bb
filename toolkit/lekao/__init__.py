"""乐考: grades 1–2's play-based assessment (趣味乐考), one record per student × station (项目)."""

from __future__ import annotations

from toolkit.kinds.spec import KindSpec
from toolkit.lekao.schema import LEKAO, rules

KIND = KindSpec(
    record=LEKAO,
    rules=rules,
    package=__name__,
    description="一、二年级乐考：各班各项目、各学科的等级分布，学生的学科总评（不排名）。",
)
