"""薄弱点台账: the weak-point ledger, one row per weak point of one class."""

from __future__ import annotations

from toolkit.kinds.spec import KindSpec
from toolkit.weakpoints.schema import WEAKPOINTS, rules

KIND = KindSpec(
    record=WEAKPOINTS,
    rules=rules,
    package=__name__,
    description="各班各学科薄弱点的整改、销号、逾期和复测提升。",
    as_of=True,
    by_reference_day=True,
)
