"""A routine-records analysis as one call: read → validate → summarise, returning a report.

``xueqing homework|observation|weakpoints`` (and the planned monthly pack and web page) call
:func:`analyze_records` and render what it returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.kinds.registry import KINDS, load_records
from toolkit.reading.discover import Source, as_sources, discover
from toolkit.records.period import Period
from toolkit.records.report import RecordReport


def analyze_records(
    key: str,
    inputs: Iterable[Source],
    *,
    config: SchoolConfig | None = None,
    config_path: Path | str | None = None,
    month: str | None = None,
    as_of: str | dt.date | None = None,
    skip_invalid: bool = False,
    problems: ProblemReport | None = None,
) -> RecordReport:
    """Read, validate and summarise record kind ``key``. Tables are computed when there are no
    errors, or with ``skip_invalid`` (rows with an error are then left out and stay listed).

    Raises :class:`~toolkit.records.period.PeriodError` for a ``month``/``as_of`` that is not one.
    """
    period = Period.of(month, as_of)
    problems = problems if problems is not None else ProblemReport()
    if config is None:
        config = load_config(config_path, problems)
    files = discover(as_sources(inputs), problems)  # once: the report carries what was found
    table = load_records(key, files, config, problems)
    report = RecordReport(KINDS[key].record, config, problems, table, period, files)
    if (problems.has_errors and (not skip_invalid or problems.unskippable)) or table.valid.empty:
        return report
    report.nothing_in_period = _nothing_in_period(report)
    if report.nothing_in_period:
        return report
    report.summary = summarise(key, table.valid, config, period)
    return report


def in_period(key: str, records: pd.DataFrame, period: Period) -> bool:
    """Whether any of ``records`` (of kind ``key``) falls in ``period``: in its month (every
    record when no month was asked for), or for weak points registered by its reference day."""
    if records.empty:
        return False
    dates = records[KINDS[key].record.date_field]
    if KINDS[key].by_reference_day:
        return bool((dates <= pd.Timestamp(period.reference)).any())
    return bool(period.in_month(dates).any())


def summarise(key: str, records: pd.DataFrame, config: SchoolConfig, period: Period) -> Any:
    """Kind ``key``'s summary of valid ``records`` for ``period``."""
    return KINDS[key].summarise(records, config, period)


def summary_in(key: str, records: pd.DataFrame, config: SchoolConfig, period: Period) -> Any:
    """The summary, or None when no record falls in ``period``."""
    return summarise(key, records, config, period) if in_period(key, records, period) else None


def _nothing_in_period(report: RecordReport) -> str:
    """A message when the valid records hold nothing for the month (or date) asked for."""
    from toolkit.records.period import month_of

    key, valid, period = report.kind.key, report.table.valid, report.period
    if in_period(key, valid, period):
        return ""
    months = sorted(month_of(valid[report.kind.date_field]).dropna().unique())
    found = f"（记录中的月份：{'、'.join(months)}）" if months else ""
    if KINDS[key].by_reference_day:
        return f"{period.reference:%Y-%m-%d} 及以前没有登记的薄弱点{found}。"
    return (
        f"{period.label}没有{report.kind.title.removesuffix('记录')}记录{found}。请检查 --month。"
    )
