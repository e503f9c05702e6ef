"""Pure arithmetic for the figures: periods, working-day indexes, rates and percentiles. No ORM here."""

import datetime as dt
import math
from dataclasses import dataclass

WEEK, MONTH, QUARTER, CUSTOM = "week", "month", "quarter", "custom"
PERIOD_KINDS = (WEEK, MONTH, QUARTER, CUSTOM)


@dataclass(frozen=True)
class Period:
    """A closed range of calendar days [start, end]; `kind` says how it was chosen."""

    kind: str
    start: dt.date
    end: dt.date

    def contains(self, day):
        return self.start <= day <= self.end

    @property
    def days(self):
        return (self.end - self.start).days + 1


def period_for(kind, on, start=None, end=None):
    """The week (Monday–Sunday), month or quarter around `on`, or the custom range [start, end]."""
    if kind == WEEK:
        first = on - dt.timedelta(days=on.weekday())
        return Period(WEEK, first, first + dt.timedelta(days=6))
    if kind == MONTH:
        first = on.replace(day=1)
        return Period(MONTH, first, _month_end(first))
    if kind == QUARTER:
        first = dt.date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)
        return Period(QUARTER, first, _month_end(dt.date(first.year, first.month + 2, 1)))
    if kind == CUSTOM:
        if start is None or end is None or end < start:
            raise ValueError("a custom period needs a start on or before its end")
        return Period(CUSTOM, start, end)
    raise ValueError(f"unknown period kind: {kind}")


def previous_month(on):
    """The whole calendar month before the one holding `on` (the monthly report's period)."""
    last = on.replace(day=1) - dt.timedelta(days=1)
    return Period(MONTH, last.replace(day=1), last)


def _month_end(first):
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def weeks_of(period):
    """The Mondays of the weeks that overlap the period, in order (the x axis of weekly trends)."""
    monday = period.start - dt.timedelta(days=period.start.weekday())
    weeks = []
    while monday <= period.end:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks


def week_of(day):
    return day - dt.timedelta(days=day.weekday())


class WorkdayIndex:
    """Working days between two dates in O(1) after one pass over the range: a running count per day.

    `is_working_day` is the organisation calendar's test (statutory holidays, adjusted working weekends,
    overrides); dates outside the indexed range fall back to calling it day by day.
    """

    def __init__(self, is_working_day, start, end):
        self.is_working_day = is_working_day
        self.start, self.end = start, end
        self._running = {}
        count = 0
        day = start
        while day <= end:
            count += bool(is_working_day(day))
            self._running[day] = count
            day += dt.timedelta(days=1)

    def between(self, start, end):
        """Working days after `start` up to and including `end` (negative when end < start)."""
        if start in self._running and end in self._running:
            return self._running[end] - self._running[start]
        sign = 1 if end >= start else -1
        lo, hi = sorted((start, end))
        count, day = 0, lo
        while day < hi:
            day += dt.timedelta(days=1)
            count += bool(self.is_working_day(day))
        return sign * count

    def working_days_in(self, period):
        return self.between(period.start - dt.timedelta(days=1), period.end)


def ratio(part, whole):
    """part / whole, or None when there is nothing to divide (shown as “—”, never as 0 %)."""
    return None if not whole else part / whole


def percentile(values, q):
    """The q-th percentile (0–100) by linear interpolation between closest ranks; None for no values."""
    data = sorted(values)
    if not data:
        return None
    if len(data) == 1:
        return float(data[0])
    pos = (len(data) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def median(values):
    return percentile(values, 50)


@dataclass(frozen=True)
class MeetingFacts:
    """What the organisation rules need to know about one meeting."""

    has_objective: bool
    topics: int
    minutes: int
    notice_workdays_ahead: int | None  # None: no notice went out
    urgent: bool
    preread_workdays_ahead: int | None  # None: no pre-read material
    has_materials: bool


@dataclass(frozen=True)
class RuleLimits:
    """The policy's numbers that a meeting is measured against."""

    topics_min: int = 3
    topics_max: int = 5
    meeting_max_minutes: int = 90
    notice_lead_workdays: int = 3
    notice_lead_urgent_workdays: int = 1
    preread_lead_workdays: int = 1


def meeting_rule_failures(facts, limits):
    """The organisation rules a meeting broke: objective, topic count, notice lead, pre-reads, length."""
    failed = []
    if not facts.has_objective:
        failed.append("objective")
    if not limits.topics_min <= facts.topics <= limits.topics_max:
        failed.append("topics")
    lead = limits.notice_lead_urgent_workdays if facts.urgent else limits.notice_lead_workdays
    if facts.notice_workdays_ahead is None or facts.notice_workdays_ahead < lead:
        failed.append("notice")
    if facts.has_materials and (facts.preread_workdays_ahead is None
                                or facts.preread_workdays_ahead < limits.preread_lead_workdays):
        failed.append("preread")
    if facts.minutes > limits.meeting_max_minutes:
        failed.append("length")
    return failed


def histogram(values, edges):
    """Counts of values per bucket [edges[i], edges[i+1]); the last bucket is open-ended."""
    counts = [0] * len(edges)
    for value in values:
        index = 0
        for i, edge in enumerate(edges):
            if value >= edge:
                index = i
        counts[index] += 1
    return counts


# The office day that answer times are counted in: 09:00–18:00 local on the calendar's working days.
OFFICE_START, OFFICE_END = dt.time(9), dt.time(18)


def working_hours_between(start, end, is_working_day):
    """Hours of office time (OFFICE_START–OFFICE_END on working days) between two local datetimes; 0 when
    end ≤ start. A request sent on Friday evening and answered on Monday at 10:00 took 1 working hour."""
    if end <= start:
        return 0.0
    total = 0.0
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            opens = dt.datetime.combine(day, OFFICE_START, start.tzinfo)
            closes = dt.datetime.combine(day, OFFICE_END, start.tzinfo)
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += dt.timedelta(days=1)
    return total
