"""The time window a routine-records report covers: a month (``--month``) and a reference
date (``--as-of``) against which 逾期 and 超期 are judged."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


class PeriodError(ValueError):
    """A ``--month`` or ``--as-of`` the user typed that is not a month or a date."""


def parse_month(text: str) -> str:
    """``2026-03``, ``2026-3``, ``2026年3月``, ``2026.03`` → ``2026-03``."""
    match = _MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise PeriodError(f"“{text}”不是月份，应写成 2026-03")
    return f"{int(match[1]):04d}-{int(match[2]):02d}"


def parse_day(text: str) -> dt.date:
    """``2026-04-30`` (or 2026/4/30, 2026年4月30日) → a date."""
    from toolkit.records.cells import parse_date

    value = parse_date(text)
    if value is None:
        raise PeriodError(f"“{text}”不是日期，应写成 2026-04-30")
    return value


def month_of(dates: pd.Series) -> pd.Series:
    """``2026-03`` for each date (NaT → NA)."""
    return dates.dt.strftime("%Y-%m").astype("string")


def month_end(month: str) -> dt.date:
    start = pd.Period(month, freq="M")
    return start.end_time.date()


@dataclass(frozen=True)
class Period:
    """``month`` is the month asked for (None: all records); ``as_of`` the reference date.

    ``as_of`` defaults to the end of the month asked for, else today: a report on April made
    in May judges April's deadlines as they stood at the end of April.
    """

    month: str | None = None
    as_of: dt.date | None = None

    @classmethod
    def of(cls, month: str | None = None, as_of: str | dt.date | None = None) -> Period:
        chosen = parse_month(month) if month else None
        if isinstance(as_of, str):
            day = parse_day(as_of)
        elif as_of is not None:
            day = as_of
        elif chosen is not None:
            day = month_end(chosen)
        else:
            day = None
        return cls(chosen, day)

    @property
    def reference(self) -> dt.date:
        return self.as_of or dt.date.today()

    @property
    def label(self) -> str:
        """``2026年3月`` for a month, else ""."""
        if not self.month:
            return ""
        year, month = self.month.split("-")
        return f"{year}年{int(month)}月"

    def in_month(self, dates: pd.Series) -> pd.Series:
        """Which records fall in the month (all of them when no month was asked for)."""
        if self.month is None:
            return pd.Series(True, index=dates.index)
        return (month_of(dates) == self.month).fillna(False).astype(bool)

    def up_to_month(self, dates: pd.Series) -> pd.Series:
        """Records up to the end of the month (term-to-date counts such as 听课节数)."""
        if self.month is None:
            return pd.Series(True, index=dates.index)
        end = pd.Timestamp(month_end(self.month))
        return (dates <= end).fillna(False).astype(bool)

    def latest_month(self, dates: pd.Series) -> str | None:
        """The month asked for, else the latest month with records."""
        if self.month:
            return self.month
        months = month_of(dates).dropna()
        return str(months.max()) if len(months) else None
