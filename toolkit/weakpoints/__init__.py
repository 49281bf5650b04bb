"""薄弱点台账: the weak-point ledger, one row per weak point of one class."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.kinds.spec import KindSpec
from toolkit.weakpoints.schema import WEAKPOINTS, rules

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.config.model import SchoolConfig
    from toolkit.present import Book
    from toolkit.records.period import Period
    from toolkit.records.report import RecordReport


# The summary and the workbook load pandas: imported when used, so that listing the kinds (the
# command line's --help, recognising a file) stays light.
def _summarise(records: pd.DataFrame, config: SchoolConfig, period: Period) -> Any:
    from toolkit.weakpoints.metrics import summarise

    return summarise(records, config, period)


def _build(book: Book, report: RecordReport) -> None:
    from toolkit.weakpoints.book import build

    build(book, report)


def _definitions(report: RecordReport) -> list[tuple[str, str, str]]:
    from toolkit.weakpoints.book import definitions

    return definitions(report)


KIND = KindSpec(
    record=WEAKPOINTS,
    rules=rules,
    summarise=_summarise,
    build=_build,
    definitions=_definitions,
    description="各班各学科薄弱点的整改、销号、逾期和复测提升。",
    as_of=True,
    by_reference_day=True,
)
