"""When follow-ups fall due, on the organisation's working calendar. Pure: the calendar is passed in.

Every function returns dates only; the scans turn them into `due` windows for one indexed query
(open statuses × due range), so a scan's cost follows the items due, never the closed ones.
A window also catches up: a reminder whose day passed while no worker ran still goes out before
the due date, once (the outbox key makes a re-run a no-op).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from closeloop.workcal.rules import WorkdayResult, WorkingCalendar

ONE_DAY = dt.timedelta(days=1)
# No follow-up window reaches further than this (the longest holiday is about ten days).
SEARCH_LIMIT_DAYS = 60


@dataclass(frozen=True)
class Window:
    """Due dates from `first` to `last` inclusive; `assumed` when a day counted lies in an unknown year."""

    first: dt.date
    last: dt.date
    assumed: bool = False

    def __contains__(self, day):
        return day is not None and self.first <= day <= self.last

    @property
    def empty(self):
        return self.last < self.first


def effective_day(now: dt.datetime, zone, day_starts_hour: int = 0) -> dt.date:
    """The organisation's working date for follow-ups: before `day_starts_hour` (local) it is still yesterday,
    so nothing goes out in the night."""
    local = now.astimezone(zone)
    return local.date() if local.hour >= day_starts_hour else local.date() - ONE_DAY


def reminder_date(calendar: WorkingCalendar, due: dt.date, workdays: int) -> WorkdayResult:
    """The working day `workdays` before due (due itself for 0): e.g. due 2026-10-09 → 2026-10-08, and
    due 2026-02-24 → 2026-02-14, the adjusted working Saturday before the Spring Festival."""
    return calendar.add_working_days(due, -workdays)


def reminder_window(calendar: WorkingCalendar, today: dt.date, workdays: int) -> Window:
    """The due dates whose reminder is due on `today`: from tomorrow (today when reminding on the due date)
    to the last due date whose reminder day is today or earlier."""
    first = today if workdays == 0 else today + ONE_DAY
    last, assumed = first - ONE_DAY, False
    candidate = first
    while (candidate - today).days <= SEARCH_LIMIT_DAYS:
        result = reminder_date(calendar, candidate, workdays)
        if result.date > today:
            break
        last, assumed = candidate, assumed or result.assumed
        candidate += ONE_DAY
    return Window(first, last, assumed)


def escalation_date(calendar: WorkingCalendar, due: dt.date, workdays: int) -> WorkdayResult:
    """The day an item still open escalates: the `workdays`-th working day after due (0: the day after due)."""
    if workdays == 0:
        return WorkdayResult(due + ONE_DAY, False)
    return calendar.add_working_days(due, workdays)


def escalation_window(calendar: WorkingCalendar, today: dt.date, workdays: int, lookback_days: int) -> Window:
    """The due dates of open items that escalate by `today`: those whose escalation day is today or earlier,
    looking back `lookback_days` (older ones were escalated when their day came)."""
    last, assumed = today - ONE_DAY, False
    while (today - last).days <= SEARCH_LIMIT_DAYS:
        result = escalation_date(calendar, last, workdays)
        if result.date <= today:
            assumed = result.assumed
            break
        last -= ONE_DAY
    return Window(today - dt.timedelta(days=lookback_days), last, assumed)


def first_working_day_of_week(calendar: WorkingCalendar, day: dt.date) -> dt.date | None:
    """The ISO week's first working day (an adjusted Sunday counts); None for a week of holidays."""
    monday = day - dt.timedelta(days=day.weekday())
    for offset in range(7):
        candidate = monday + dt.timedelta(days=offset)
        if calendar.is_working_day(candidate):
            return candidate
    return None


def week_label(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_due(calendar: WorkingCalendar, today: dt.date) -> bool:
    """The weekly digest goes out from the week's first working day on (once: its key carries the week)."""
    first = first_working_day_of_week(calendar, today)
    return first is not None and first <= today


def unknown_years(calendar: WorkingCalendar, *days) -> str:
    """The years among these dates that the calendar does not know, e.g. "2027" (the message must say so)."""
    years = {d.year for d in days if d is not None and not calendar.knows_year(d.year)}
    return ", ".join(str(y) for y in sorted(years))
