"""Reads of the working calendar for the page, the API and the command line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, CharField, DateField, IntegerField, Value

from closeloop.workcal.choices import DayKind
from closeloop.workcal.models import CalendarDay, CalendarYear
from closeloop.workcal.rules import DayInfo, WorkingCalendar


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    blanks: int  # empty cells before the 1st in a Monday-first grid
    days: list[DayInfo]

    @property
    def first(self):
        return dt.date(self.year, self.month, 1)

    @property
    def blank_cells(self):
        return range(self.blanks)


@dataclass(frozen=True)
class YearView:
    year: int
    source: str | None  # "imported", "chinese-calendar", "holidays", or None when no source knows it
    record: CalendarYear | None  # the import, when the year was imported
    months: list[MonthView] = field(default_factory=list)

    @property
    def known(self):
        return self.source is not None

    @property
    def days(self):
        return [d for m in self.months for d in m.days]


def year_months(calendar: WorkingCalendar, year: int) -> list[MonthView]:
    months = []
    for month in range(1, 13):
        days = calendar.month(year, month)
        months.append(MonthView(year, month, days[0].date.weekday(), days))
    return months


def calendar_year_view(organisation, year, calendar=None) -> YearView:
    calendar = calendar or calendar_for(organisation)
    record = CalendarYear.objects.filter(organisation=organisation, year=year).first()
    return YearView(year, calendar.year_source(year), record, year_months(calendar, year))


def calendar_day_info(organisation, date) -> DayInfo:
    return calendar_for(organisation).day(date)


def calendar_for(organisation):
    """The organisation's working calendar with its overrides and imported years loaded."""
    # One query for both tables (a UNION): the calendar is read on every write that checks a due date.
    days = (CalendarDay.objects.filter(organisation=organisation).order_by()
            .annotate(year_=Value(None, output_field=IntegerField()))
            .values_list("date", "kind", "name", "imported", "year_"))
    years = (CalendarYear.objects.filter(organisation=organisation).order_by()
             .annotate(date_=Value(None, output_field=DateField()), kind_=Value("", output_field=CharField()),
                       name_=Value("", output_field=CharField()), imported_=Value(False, output_field=BooleanField()))
             .values_list("date_", "kind_", "name_", "imported_", "year"))
    overrides, known = {}, set()
    for date, kind, name, imported, year in days.union(years, all=True):
        if year is not None:
            known.add(year)
        else:
            overrides[date] = (kind == DayKind.WORKDAY, name, "imported" if imported else "override")
    return WorkingCalendar(organisation.country, overrides, known)
