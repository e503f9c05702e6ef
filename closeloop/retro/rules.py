"""Pure rules of retrospectives and progress sync, on plain data; the working calendar is passed in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from closeloop.workcal.rules import WorkdayResult, WorkingCalendar

FINAL_ITEM_STATUSES = ("done", "cancelled")


class RuleError(Exception):
    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


def retrospective_due(calendar: WorkingCalendar, completed_on: dt.date, workdays: int) -> WorkdayResult:
    """The last day for the retrospective: `workdays` working days after completion (seed 002: 5)."""
    return calendar.add_working_days(completed_on, workdays)


def reminder_day(calendar: WorkingCalendar, due: dt.date, workdays: int) -> dt.date:
    """The initiator is reminded this many working days before the deadline (the policy's reminder rule)."""
    return calendar.add_working_days(due, -workdays).date


def escalation_day(calendar: WorkingCalendar, due: dt.date, workdays: int) -> dt.date:
    """Not planned by the deadline: escalate the day after it (0) or `workdays` working days after it."""
    if workdays == 0:
        return due + dt.timedelta(days=1)
    return calendar.add_working_days(due, workdays).date


def open_items(statuses) -> int:
    """How many of these item statuses are still open (completion needs none)."""
    return sum(1 for status in statuses if status not in FINAL_ITEM_STATUSES)


def progress_due(calendar: WorkingCalendar, last_day: dt.date, cadence: str) -> dt.date:
    """The day the next progress update is due after one on (or a start at) `last_day`: the next working day
    (daily) or five working days later (weekly)."""
    return calendar.add_working_days(last_day, 1 if cadence == "daily" else 5).date


def is_early_warning(calendar: WorkingCalendar, raised_on: dt.date, affected_due: dt.date | None,
                     lead_workdays: int) -> bool:
    """A risk counts as an early warning when raised at least `lead_workdays` working days before the due date
    it affects (seed 002: 提前1个工作日); without a date it cannot be early."""
    if affected_due is None:
        return False
    return calendar.working_days_between(raised_on, affected_due).count >= lead_workdays


def late_workdays(calendar: WorkingCalendar, due: dt.date | None, done_on: dt.date | None) -> int | None:
    """Working days an item was done after its due date (0 when on time); None when either is unknown."""
    if due is None or done_on is None:
        return None
    return max(0, calendar.working_days_between(due, done_on).count)


@dataclass(frozen=True)
class ChangeOutcome:
    state: str  # "pending", "accepted" or "refused"


def change_outcome(answers: dict, departments: list) -> ChangeOutcome:
    """A change applies when every receiving department agrees; one refusal refuses it."""
    if any(answers.get(d) == "refuse" for d in departments):
        return ChangeOutcome("refused")
    if departments and all(answers.get(d) == "agree" for d in departments):
        return ChangeOutcome("accepted")
    return ChangeOutcome("pending")


def clean_percent(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RuleError("percent", "percent") from None
    if not 0 <= number <= 100:
        raise RuleError("percent", "percent")
    return number


def goal_lines(goal: str, what: str) -> list[str]:
    """The request's goals, one a line (numbering removed); what is asked when no goal was written."""
    import re

    lines = [re.sub(r"^\s*(\d+\s*[.、)]|[-*•])\s*", "", line).strip() for line in (goal or "").splitlines()]
    lines = [line for line in lines if line]
    if not lines and (what or "").strip():
        lines = [what.strip()]
    return lines
