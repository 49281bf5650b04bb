"""作业检查: homework audits, one row per teacher × class × subject inspection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.homework.schema import HOMEWORK, rules
from toolkit.kinds.spec import KindSpec

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.config.model import SchoolConfig
    from toolkit.present import Book
    from toolkit.records.period import Period
    from toolkit.records.report import RecordReport


# The summary and the workbook load pandas: imported when used, so that listing the kinds (the
# command line's --help, recognising a file) stays light.
def _summarise(records: pd.DataFrame, config: SchoolConfig, period: Period) -> Any:
    from toolkit.homework.metrics import summarise

    return summarise(records, config, period)


def _build(book: Book, report: RecordReport) -> None:
    from toolkit.homework.book import build

    build(book, report)


def _definitions(report: RecordReport) -> list[tuple[str, str, str]]:
    from toolkit.homework.book import definitions

    return definitions(report)


KIND = KindSpec(
    record=HOMEWORK,
    rules=rules,
    summarise=_summarise,
    build=_build,
    definitions=_definitions,
    description="各班、各学科、各教师的检查次数、时长、五项落实率和得分。",
)
