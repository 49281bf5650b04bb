"""What a routine record kind declares, once, in its own package (``KIND`` in its ``__init__``):
its record schema, its cross-column rules, and where its summary, its workbook's sheets and its
口径 are. The registry lists the specs; every command, the templates, ``check``, the packs and
the web page's menu walk the registry."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.config.model import SchoolConfig
    from toolkit.present import Book
    from toolkit.records.fields import RecordKind
    from toolkit.records.period import Period
    from toolkit.records.report import RecordReport


@dataclass(frozen=True)
class KindSpec:
    """One routine record kind (作业检查, 听评课记录, 薄弱点台账, …), declared in its package's
    ``__init__`` as ``KIND = KindSpec(package=__name__, …)``.

    The package holds the kind's modules under fixed names, imported when first used (pandas and
    the workbook code stay out of ``xueqing --help`` and of recognising a file):
    ``metrics.summarise(records, config, period)`` → the summary, whose ``used`` holds the records
    it counted; ``book.build(book, report)`` → the summary workbook's sheets through
    :class:`toolkit.present.Book`; ``book.definitions(report)`` → its 口径说明 rows.
    """

    record: RecordKind
    rules: Callable[[], list[tuple[Any, str, str]]]  # (pandera schema, severity, column)
    package: str  # the kind's package, e.g. toolkit.homework
    description: str  # one line for the web page's menu
    as_of: bool = False  # the command takes --as-of (overdue and follow-up dates)
    # Weak points count everything registered by a day, not the records of one month.
    by_reference_day: bool = False

    @property
    def key(self) -> str:
        return self.record.key

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def report_name(self) -> str:
        return self.record.report_name

    def summarise(self, records: pd.DataFrame, config: SchoolConfig, period: Period) -> Any:
        return self._module("metrics").summarise(records, config, period)

    def build(self, book: Book, report: RecordReport) -> None:
        self._module("book").build(book, report)

    def definitions(self, report: RecordReport) -> list[tuple[str, str, str]]:
        return list(self._module("book").definitions(report))

    def _module(self, name: str) -> Any:
        return importlib.import_module(f"{self.package}.{name}")
