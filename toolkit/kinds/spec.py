"""What a routine record kind declares, once, in its own package (``KIND`` in its ``__init__``):
its record schema, its cross-column rules, how its records are summarised, which sheets its
summary workbook has and its 口径. The registry lists the specs; every command, the templates,
``check``, the packs and the web page's menu walk the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from toolkit.config.model import SchoolConfig
    from toolkit.records.fields import RecordKind
    from toolkit.records.period import Period
    from toolkit.records.report import RecordReport

# (valid records, config, period) → the summary: any object whose ``used`` holds the records it
# counted (the 行数核对 of every output compares them with the rows read).
Summarise = Callable[["pd.DataFrame", "SchoolConfig", "Period"], Any]
# (book, report): adds the summary workbook's sheets through the Book protocol of present.py.
Build = Callable[[Any, "RecordReport"], None]
# report → rows of (指标, 口径, 本次取值) for the 口径说明 sheet.
Definitions = Callable[["RecordReport"], list[tuple[str, str, str]]]


@dataclass(frozen=True)
class KindSpec:
    """One routine record kind (作业检查, 听评课记录, 薄弱点台账, …)."""

    record: RecordKind
    rules: Callable[[], list[tuple[Any, str, str]]]  # (pandera schema, severity, column)
    summarise: Summarise
    build: Build
    definitions: Definitions
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
