"""听评课: lesson observations, one row per observed lesson."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.kinds.spec import KindSpec
from toolkit.observation.schema import OBSERVATION, rules

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.config.model import SchoolConfig
    from toolkit.present import Book
    from toolkit.records.period import Period
    from toolkit.records.report import RecordReport


# The summary and the workbook load pandas: imported when used, so that listing the kinds (the
# command line's --help, recognising a file) stays light.
def _summarise(records: pd.DataFrame, config: SchoolConfig, period: Period) -> Any:
    from toolkit.observation.metrics import summarise

    return summarise(records, config, period)


def _build(book: Book, report: RecordReport) -> None:
    from toolkit.observation.book import build

    build(book, report)


def _definitions(report: RecordReport) -> list[tuple[str, str, str]]:
    from toolkit.observation.book import definitions

    return definitions(report)


KIND = KindSpec(
    record=OBSERVATION,
    rules=rules,
    summarise=_summarise,
    build=_build,
    definitions=_definitions,
    description="被听节数、听课节数对照要求、“三看”得分、整改完成情况。",
    as_of=True,
)
