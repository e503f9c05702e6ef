"""Working-day arithmetic. Pure: no database; the organisation's overrides are passed in.

Sources, strongest first: the organisation's overrides and imported years; for CN the
`chinese-calendar` package (statutory holidays and adjusted working weekends, 调休); for other
countries the `holidays` package. A date that no source knows falls back to Monday–Friday and
every result that depended on such a date says so (`assumed=True`), never silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
import holidays as holidays_lib

# `holidays` computes any year; we treat this window as known for non-CN countries.
_HOLIDAYS_KNOWN_YEARS = range(1990, 2101)


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    working: bool
    name: str
    known: bool  # False: no source knows this year; `working` is the Monday–Friday guess
    source: str  # "override", "chinese-calendar", "holidays", "weekday"


@dataclass(frozen=True)
class WorkdayResult:
    date: dt.date
    assumed: bool  # True when a day counted lies in a year no source knows


@dataclass(frozen=True)
class WorkdayCount:
    count: int
    assumed: bool


@lru_cache(maxsize=16)
def _country_holidays(country, year):
    try:
        return holidays_lib.country_holidays(country, years=year)
    except NotImplementedError:
        return None


def _cn_day(day):
    try:
        working = chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
    holiday, name = chinese_calendar.get_holiday_detail(day)
    label = name or ""
    if working and day.weekday() >= 5:
        label = f"{name} (调休)" if name else "调休"
    return DayInfo(day, working, label, True, "chinese-calendar")


class WorkingCalendar:
    """Answers "is this a working day?" and counts working days for one organisation."""

    def __init__(self, country="CN", overrides=None, known_years=()):
        self.country = (country or "CN").upper()
        # date -> (working: bool, name: str)
        self.overrides = dict(overrides or {})
        self.known_years = frozenset(known_years)

    def day(self, day: dt.date) -> DayInfo:
        if day in self.overrides:
            working, name = self.overrides[day]
            return DayInfo(day, working, name, True, "override")
        weekday_guess = day.weekday() < 5
        if day.year in self.known_years:
            # An imported or declared year: days without an entry follow Monday–Friday.
            return DayInfo(day, weekday_guess, "", True, "override")
        if self.country == "CN":
            info = _cn_day(day)
            if info is not None:
                return info
        elif day.year in _HOLIDAYS_KNOWN_YEARS:
            table = _country_holidays(self.country, day.year)
            if table is not None:
                name = table.get(day)
                if name:
                    return DayInfo(day, False, name, True, "holidays")
                return DayInfo(day, weekday_guess, "", True, "holidays")
        return DayInfo(day, weekday_guess, "", False, "weekday")

    def is_working_day(self, day: dt.date) -> bool:
        return self.day(day).working

    def knows_year(self, year: int) -> bool:
        return self.day(dt.date(year, 6, 1)).known or year in self.known_years

    def add_working_days(self, start: dt.date, n: int) -> WorkdayResult:
        """The date n working days after (n > 0) or before (n < 0) start; n = 0 gives start."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        assumed = False
        while remaining:
            day += dt.timedelta(days=step)
            info = self.day(day)
            assumed = assumed or not info.known
            if info.working:
                remaining -= 1
        return WorkdayResult(day, assumed)

    def working_days_between(self, start: dt.date, end: dt.date) -> WorkdayCount:
        """Working days after start up to and including end (negative when end < start)."""
        if end == start:
            return WorkdayCount(0, False)
        sign = 1 if end > start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        count = 0
        assumed = False
        day = lo
        while day < hi:
            day += dt.timedelta(days=1)
            info = self.day(day)
            assumed = assumed or not info.known
            count += info.working
        return WorkdayCount(sign * count, assumed)

    def month(self, year: int, month: int) -> list[DayInfo]:
        day = dt.date(year, month, 1)
        days = []
        while day.month == month:
            days.append(self.day(day))
            day += dt.timedelta(days=1)
        return days
