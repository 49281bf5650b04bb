"""听评课: lesson observations, one row per observed lesson."""

from __future__ import annotations

from toolkit.kinds.spec import KindSpec
from toolkit.observation.schema import OBSERVATION, rules

KIND = KindSpec(
    record=OBSERVATION,
    rules=rules,
    package=__name__,
    description="被听节数、听课节数对照要求、“三看”得分、整改完成情况。",
    as_of=True,
)
