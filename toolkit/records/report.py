"""What a routine-records analysis returns: the records read, the summary made of them and the
problems found on the way. The analysis itself runs in ``kinds.report``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.reading.discover import InputFile
from toolkit.records.fields import RecordKind
from toolkit.records.period import Period
from toolkit.records.read import RecordTable, rows_of


@dataclass
class RecordReport:
    """One kind's records, what was made of them, and the problems found on the way."""

    kind: RecordKind
    config: SchoolConfig
    problems: ProblemReport
    table: RecordTable
    period: Period
    files: list[InputFile]  # the inputs found by the read step (rendering never looks again)
    summary: Any = None  # HomeworkSummary, ObservationSummary or WeakpointSummary
    nothing_in_period: str = ""  # why there is no summary although records were read

    @property
    def analysed(self) -> bool:
        return self.summary is not None

    @property
    def title(self) -> str:
        parts = [self.config.school, self.config.term_label, self.period.label]
        return "".join(p for p in parts if p) + self.kind.report_name

    def row_totals(self) -> dict[str, int]:
        """读取 = 计入 + 跳过 (errors, summary rows) + 不在范围 (other months, later dates)."""
        totals = self.table.row_totals()
        if self.summary is not None:
            used = rows_of(self.kind, self.summary.used)
        else:  # nothing in the month asked for: every valid row is out of range
            used = 0 if self.nothing_in_period else totals["计入"]
        return {**totals, "计入": used, "不在范围": totals["计入"] - used}
