"""Working-day arithmetic on plain data: China's 2026 holidays, an unknown year, overrides, imported years."""

import datetime as dt

from closeloop.workcal.rules import WorkdayResult, WorkingCalendar

D = dt.date


def test_spring_festival_2026_has_a_working_saturday_and_nine_days_off():
    cal = WorkingCalendar("CN")
    assert cal.is_working_day(D(2026, 2, 14))  # Saturday, adjusted
    assert cal.day(D(2026, 2, 14)).adjusted
    assert cal.day(D(2026, 2, 14)).source == "chinese-calendar"
    for day in range(15, 24):
        assert not cal.is_working_day(D(2026, 2, day)), day
    assert cal.is_working_day(D(2026, 2, 24))


def test_it_counts_over_the_spring_festival():
    cal = WorkingCalendar("CN")
    # Fri 13 → Sat 14 (adjusted) is one; Feb 15–23 are off; Tue 24 is two.
    assert cal.add_working_days(D(2026, 2, 13), 2).date == D(2026, 2, 24)
    assert cal.add_working_days(D(2026, 2, 24), -2).date == D(2026, 2, 13)
    assert cal.working_days_between(D(2026, 2, 13), D(2026, 2, 24)).count == 2


def test_it_counts_over_national_day_to_the_working_saturday():
    cal = WorkingCalendar("CN")
    # Oct 1–7 are off; Thu 8 and Fri 9 work; Sat 10 is an adjusted working day.
    result = cal.add_working_days(D(2026, 9, 30), 3)
    assert result.date == D(2026, 10, 10)
    assert result.assumed is False
    assert cal.day(D(2026, 10, 10)).adjusted
    assert not cal.is_working_day(D(2026, 10, 11))
    assert cal.add_working_days(D(2026, 10, 12), -1).date == D(2026, 10, 10)


def test_an_unknown_year_falls_back_to_monday_to_friday_and_says_so():
    cal = WorkingCalendar("CN")
    assert not cal.knows_year(2027)
    assert cal.year_source(2027) is None
    info = cal.day(D(2027, 1, 1))  # a Friday: really New Year's Day, but no source knows 2027
    assert info.working and not info.known and info.source == "weekday"
    result = cal.add_working_days(D(2026, 12, 30), 3)
    assert result == WorkdayResult(D(2027, 1, 4), True)
    count = cal.working_days_between(D(2027, 3, 1), D(2027, 3, 8))
    assert (count.count, count.assumed) == (5, True)
    assert cal.unknown_years(D(2025, 6, 1), D(2028, 1, 1)) == [2027, 2028]


def test_a_count_inside_a_known_year_is_not_assumed_even_next_to_an_unknown_one():
    cal = WorkingCalendar("CN")
    assert cal.add_working_days(D(2026, 12, 1), 5).assumed is False
    assert cal.add_working_days(D(2027, 1, 4), 0).assumed is False


def test_an_override_beats_the_package():
    cal = WorkingCalendar("CN", overrides={
        D(2026, 10, 10): (False, "公司调整"),  # the package says working Saturday
        D(2026, 10, 5): (True, "值班", "imported"),  # the package says National Day
    })
    assert not cal.is_working_day(D(2026, 10, 10))
    assert cal.day(D(2026, 10, 10)).source == "override"
    assert cal.day(D(2026, 10, 5)).working and cal.day(D(2026, 10, 5)).source == "imported"
    assert cal.add_working_days(D(2026, 9, 30), 3).date == D(2026, 10, 9)


def test_an_override_in_an_unknown_year_does_not_make_the_year_known():
    cal = WorkingCalendar("CN", overrides={D(2027, 6, 1): (False, "厂休"), D(2027, 6, 5): (True, "补班")})
    assert cal.day(D(2027, 6, 1)).known
    assert not cal.knows_year(2027)
    assert cal.add_working_days(D(2027, 5, 31), 1) == WorkdayResult(D(2027, 6, 2), True)
    # Only the overridden Saturday was counted: nothing was guessed.
    assert cal.add_working_days(D(2027, 6, 4), 1) == WorkdayResult(D(2027, 6, 5), False)


def test_an_imported_year_is_known_and_its_unlisted_days_follow_monday_to_friday():
    cal = WorkingCalendar("CN", overrides={D(2027, 1, 1): (False, "元旦", "imported")}, known_years={2027})
    assert cal.knows_year(2027) and cal.year_source(2027) == "imported"
    assert cal.day(D(2027, 1, 4)).known and cal.day(D(2027, 1, 4)).source == "imported"
    result = cal.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4) and result.assumed is False


def test_an_imported_year_replaces_the_package_for_that_year():
    cal = WorkingCalendar("CN", known_years={2026})
    assert cal.is_working_day(D(2026, 10, 1))  # no entry: Monday–Friday, the package is not asked
    assert not cal.is_working_day(D(2026, 10, 10))


def test_other_countries_use_the_holidays_package():
    cal = WorkingCalendar("DE")
    assert not cal.is_working_day(D(2030, 12, 25))
    assert cal.day(D(2030, 12, 25)).source == "holidays" and cal.knows_year(2030)
    assert cal.add_working_days(D(2030, 12, 24), 1).date == D(2030, 12, 27)


def test_a_country_no_source_knows_falls_back_to_monday_to_friday():
    cal = WorkingCalendar("ZZ")
    assert not cal.knows_year(2026)
    assert cal.add_working_days(D(2026, 10, 1), 1).assumed is True


def test_month_lists_every_day_once():
    days = WorkingCalendar("CN").month(2026, 2)
    assert [d.date.day for d in days] == list(range(1, 29))
