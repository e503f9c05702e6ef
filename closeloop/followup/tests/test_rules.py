"""Follow-up dates on China's working calendar (chinese-calendar 1.11.0 knows up to 2026)."""

import datetime as dt
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from closeloop.followup import rules
from closeloop.workcal.rules import WorkingCalendar

CN = WorkingCalendar("CN")
D = dt.date


def test_the_reminder_falls_on_the_working_day_before_a_friday_after_the_national_day_holiday():
    assert rules.reminder_date(CN, D(2026, 10, 9), 1).date == D(2026, 10, 8)


def test_the_reminder_before_the_first_day_after_the_spring_festival_is_the_adjusted_saturday():
    result = rules.reminder_date(CN, D(2026, 2, 24), 1)
    assert result.date == D(2026, 2, 14) and result.date.weekday() == 5 and not result.assumed


def test_two_working_days_before_the_national_day_counts_the_adjusted_sunday():
    # 2026-09-20 (Sunday) is a working day; 09-21 Monday too.
    assert rules.reminder_date(CN, D(2026, 9, 22), 2).date == D(2026, 9, 20)


def test_a_reminder_in_a_year_no_source_knows_says_it_was_assumed():
    result = rules.reminder_date(CN, D(2027, 3, 2), 1)
    assert result.date == D(2027, 3, 1) and result.assumed


def test_the_window_on_a_holiday_does_not_yet_cover_the_day_after_the_next_working_day():
    window = rules.reminder_window(CN, D(2026, 10, 7), 1)
    assert D(2026, 10, 8) in window
    assert D(2026, 10, 9) not in window


def test_the_window_on_the_adjusted_saturday_covers_the_whole_spring_festival():
    window = rules.reminder_window(CN, D(2026, 2, 14), 1)
    assert (window.first, window.last) == (D(2026, 2, 15), D(2026, 2, 24))


def test_the_window_the_day_before_does_not_cover_the_spring_festival_return():
    window = rules.reminder_window(CN, D(2026, 2, 13), 1)
    assert (window.first, window.last) == (D(2026, 2, 14), D(2026, 2, 14))


def test_a_reminder_on_the_due_date_itself_covers_only_today():
    window = rules.reminder_window(CN, D(2026, 6, 15), 0)
    assert (window.first, window.last) == (D(2026, 6, 15), D(2026, 6, 15))


def test_an_overdue_item_escalates_on_the_nth_working_day_after_due_counting_the_adjusted_saturday():
    assert rules.escalation_date(CN, D(2026, 10, 9), 1).date == D(2026, 10, 10)
    assert rules.escalation_date(CN, D(2026, 10, 9), 2).date == D(2026, 10, 12)
    assert rules.escalation_date(CN, D(2026, 9, 30), 1).date == D(2026, 10, 8)


def test_the_escalation_window_looks_back_and_stops_at_the_last_due_date_escalating_today():
    window = rules.escalation_window(CN, D(2026, 10, 8), 1, lookback_days=30)
    assert window.first == D(2026, 9, 8)
    assert window.last == D(2026, 10, 7)  # items due during the holiday escalate on its first working day
    assert D(2026, 9, 30) in window
    assert rules.escalation_window(CN, D(2026, 10, 8), 2, 30).last == D(2026, 9, 29)


def test_a_week_of_holidays_has_no_digest_and_an_ordinary_week_starts_on_monday():
    assert rules.first_working_day_of_week(CN, D(2026, 2, 18)) is None
    assert not rules.digest_due(CN, D(2026, 2, 18))
    assert rules.first_working_day_of_week(CN, D(2026, 6, 17)) == D(2026, 6, 15)
    assert rules.digest_due(CN, D(2026, 6, 15)) and rules.digest_due(CN, D(2026, 6, 21))
    # The National Day week: the first working day is Thursday 10-08; no digest before it.
    assert rules.first_working_day_of_week(CN, D(2026, 10, 5)) == D(2026, 10, 8)
    assert not rules.digest_due(CN, D(2026, 10, 7)) and rules.digest_due(CN, D(2026, 10, 8))
    assert rules.week_label(D(2026, 10, 8)) == "2026-W41"


def test_before_the_day_starts_the_follow_up_date_is_still_yesterday():
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert rules.effective_day(dt.datetime(2026, 10, 8, 7, 59, tzinfo=shanghai), shanghai, 8) == D(2026, 10, 7)
    assert rules.effective_day(dt.datetime(2026, 10, 8, 8, 0, tzinfo=shanghai), shanghai, 8) == D(2026, 10, 8)
    # 23:30 UTC on the 7th is already 07:30 on the 8th in Shanghai.
    assert rules.effective_day(dt.datetime(2026, 10, 7, 23, 30, tzinfo=dt.UTC), shanghai, 0) == D(2026, 10, 8)


@given(today=st.dates(D(2026, 1, 1), D(2026, 12, 20)), workdays=st.integers(0, 3))
def test_every_due_date_is_reminded_exactly_on_one_scan_day_before_it_is_due(today, workdays):
    """Run the window day after day: each due date lands in the window of the day its reminder falls
    on (or, for a due date whose reminder day came before the scans started, the first scan)."""
    window = rules.reminder_window(CN, today, workdays)
    for due in (window.first + dt.timedelta(days=i) for i in range((window.last - window.first).days + 1)):
        assert rules.reminder_date(CN, due, workdays).date <= today <= due
    after = window.last + dt.timedelta(days=1)
    assert rules.reminder_date(CN, after, workdays).date > today
