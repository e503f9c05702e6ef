"""The pure rules: the retrospective deadline on China's working calendar, early vs late warnings, the progress
cadence, delays in working days, a change's outcome, the goals read from the request."""

import datetime as dt

from closeloop.retro import rules
from closeloop.workcal.rules import WorkingCalendar

CN = WorkingCalendar("CN")


def test_the_deadline_counts_the_adjusted_saturday_and_skips_the_spring_festival():
    # Fri 02-13 + 5: Sat 02-14 (working), 02-15…02-23 off, then 02-24, 25, 26, 27.
    due = rules.retrospective_due(CN, dt.date(2026, 2, 13), 5)
    assert due.date == dt.date(2026, 2, 27) and not due.assumed


def test_the_deadline_skips_national_day_and_counts_saturday_10_10():
    # Wed 09-30 + 5: 10-01…10-07 off, then 10-08, 10-09, Sat 10-10 (working), 10-12, 10-13.
    assert rules.retrospective_due(CN, dt.date(2026, 9, 30), 5).date == dt.date(2026, 10, 13)


def test_the_deadline_follows_the_policy_days():
    assert rules.retrospective_due(CN, dt.date(2026, 3, 23), 2).date == dt.date(2026, 3, 25)


def test_a_deadline_in_an_unknown_year_is_marked_assumed():
    assert rules.retrospective_due(CN, dt.date(2027, 12, 30), 5).assumed


def test_the_reminder_comes_a_working_day_before_and_the_escalation_after_the_deadline():
    assert rules.reminder_day(CN, dt.date(2026, 2, 24), 1) == dt.date(2026, 2, 14)
    assert rules.escalation_day(CN, dt.date(2026, 2, 13), 0) == dt.date(2026, 2, 14)
    assert rules.escalation_day(CN, dt.date(2026, 2, 13), 2) == dt.date(2026, 2, 24)


def test_a_risk_one_working_day_ahead_is_early_and_on_the_day_is_late():
    assert rules.is_early_warning(CN, dt.date(2026, 2, 13), dt.date(2026, 2, 14), 1)
    # 02-14 → 02-24 crosses the holiday: one working day, still early
    assert rules.is_early_warning(CN, dt.date(2026, 2, 14), dt.date(2026, 2, 24), 1)
    assert not rules.is_early_warning(CN, dt.date(2026, 2, 24), dt.date(2026, 2, 24), 1)
    assert not rules.is_early_warning(CN, dt.date(2026, 2, 24), None, 1)


def test_the_next_progress_update_is_due_the_next_working_day_or_five_later():
    assert rules.progress_due(CN, dt.date(2026, 2, 13), "daily") == dt.date(2026, 2, 14)
    assert rules.progress_due(CN, dt.date(2026, 2, 14), "daily") == dt.date(2026, 2, 24)
    assert rules.progress_due(CN, dt.date(2026, 2, 13), "weekly") == dt.date(2026, 2, 27)


def test_lateness_counts_working_days_and_early_is_on_time():
    assert rules.late_workdays(CN, dt.date(2026, 2, 13), dt.date(2026, 2, 24)) == 2
    assert rules.late_workdays(CN, dt.date(2026, 2, 13), dt.date(2026, 2, 12)) == 0
    assert rules.late_workdays(CN, None, dt.date(2026, 2, 12)) is None


def test_a_change_applies_only_when_every_department_agrees():
    assert rules.change_outcome({1: "agree"}, [1, 2]).state == "pending"
    assert rules.change_outcome({1: "agree", 2: "agree"}, [1, 2]).state == "accepted"
    assert rules.change_outcome({1: "agree", 2: "refuse"}, [1, 2]).state == "refused"


def test_goals_are_read_one_a_line_without_numbers():
    assert rules.goal_lines("1. 明确分工\n2、铺货节点\n\n- 培训资料", "") == ["明确分工", "铺货节点", "培训资料"]
    assert rules.goal_lines("", "提供卖点手册") == ["提供卖点手册"]


def test_completion_needs_every_item_done_or_cancelled():
    assert rules.open_items(["done", "cancelled"]) == 0
    assert rules.open_items(["done", "delayed", "in_progress"]) == 2
