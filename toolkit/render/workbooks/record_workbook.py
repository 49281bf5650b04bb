"""A routine record kind's summary workbook (作业检查汇总.xlsx, 听评课汇总.xlsx, …): the sheets its
spec builds, then 数据问题 and 口径说明 — one writer for every kind in the registry."""

from __future__ import annotations

from pathlib import Path

from toolkit.kinds.registry import KINDS
from toolkit.records.report import RecordReport
from toolkit.render.xlsx.report_book import ReportBook, write_report_book


def write_record_workbook(report: RecordReport, target: Path) -> Path:
    spec = KINDS[report.kind.key]

    def build(book: ReportBook) -> None:
        spec.build(book, report)
        book.close(report.problems, spec.definitions(report))

    return write_report_book(target, report, build)
