"""Importing a year from CSV or .ics: every row checked first, errors by line and column, all or nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from closeloop.audit.models import AuditEntry
from closeloop.workcal.imports import CalendarFileError, parse_csv, parse_file, parse_ics
from closeloop.workcal.models import CalendarDay, CalendarYear
from closeloop.workcal.selectors import calendar_for
from closeloop.workcal.services import (
    calendar_day_clear,
    calendar_day_set,
    calendar_day_toggle,
    calendar_file_import,
)

D = dt.date
CSV_2027 = "\ufeffdate,kind,name\n2027-01-01,休,元旦\n2027-02-06,班,春节调休\n2027-02-08,holiday,春节\n"
ICS_FEED = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//example//holidays//CN",
    "BEGIN:VEVENT", "UID:a", "DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270103", "SUMMARY:元旦", "END:VEVENT",
    "BEGIN:VEVENT", "UID:b", "DTSTART;VALUE=DATE:20270206", "SUMMARY:春节 补班", "END:VEVENT",
    "BEGIN:VEVENT", "UID:c", "DTSTART;VALUE=DATE:20270207", "DTEND;VALUE=DATE:20270214", "SUMMARY:春节",
    "END:VEVENT",
    "BEGIN:VEVENT", "UID:d", "DTSTART;VALUE=DATE:20270220", "SUMMARY:Working day (Spring Festival)", "END:VEVENT",
    "END:VCALENDAR", "",
])


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English, whatever catalogue is compiled for the default language.
    with translation.override("en"):
        yield


def errors_of(call):
    with pytest.raises(CalendarFileError) as info:
        call()
    return info.value.errors


def test_it_reads_csv_with_a_bom_a_header_and_chinese_kinds():
    parsed = parse_csv(CSV_2027.encode("utf-8"))
    assert parsed.year == 2027
    assert [(d.date, d.kind, d.name) for d in parsed.days] == [
        (D(2027, 1, 1), "holiday", "元旦"), (D(2027, 2, 6), "workday", "春节调休"), (D(2027, 2, 8), "holiday", "春节")]
    assert (parsed.holidays, parsed.workdays) == (2, 1)


def test_it_reads_csv_without_a_header_or_names_and_with_slashed_dates():
    parsed = parse_csv(b"2027/1/1,holiday\n\n2027-02-06,WORKDAY\n")
    assert [(d.date, d.kind, d.name, d.line) for d in parsed.days] == [
        (D(2027, 1, 1), "holiday", "", 1), (D(2027, 2, 6), "workday", "", 3)]


def test_it_reads_csv_saved_by_excel_in_gb18030():
    parsed = parse_csv("2027-10-01,休,国庆节\n".encode("gb18030"))
    assert parsed.days[0].name == "国庆节"


def test_bad_csv_rows_are_all_reported_by_line_and_column():
    errors = errors_of(lambda: parse_csv(
        "date,kind,name\n2027-01-01,休,元旦\n2027-13-01,休\n2027-02-06,假日\n2027-03-01\n2026-05-01,班\n".encode(),
        year=2027))
    assert [(e.line, e.column) for e in errors] == [(3, "1 (date)"), (4, "2 (kind)"), (5, "2 (kind)"), (6, "1 (date)")]
    assert "2027-13-01" in errors[0].message and "假日" in errors[1].message
    assert "not in 2027" in errors[3].message
    assert str(errors[0]).startswith("line 3, column 1 (date):")


def test_a_date_given_twice_as_different_kinds_is_refused():
    errors = errors_of(lambda: parse_csv(b"2027-01-01,holiday\n2027-01-01,workday\n"))
    assert (errors[0].line, errors[0].column) == (2, "1 (date)") and "line 1" in errors[0].message


def test_csv_spanning_two_years_needs_the_year_chosen():
    errors = errors_of(lambda: parse_csv(b"2026-12-31,holiday\n2027-01-01,holiday\n"))
    assert "2026, 2027" in errors[0].message


def test_an_empty_file_is_refused():
    assert "no days" in errors_of(lambda: parse_csv(b"date,kind,name\n"))[0].message


def test_ics_spans_are_holidays_and_ban_events_are_working_days():
    parsed = parse_ics(ICS_FEED.encode(), year=2027)
    kinds = {d.date: d.kind for d in parsed.days}
    assert D(2026, 12, 31) not in kinds  # other years of a feed are left out
    assert kinds[D(2027, 1, 1)] == kinds[D(2027, 1, 2)] == "holiday" and D(2027, 1, 3) not in kinds
    assert kinds[D(2027, 2, 6)] == "workday" and kinds[D(2027, 2, 20)] == "workday"
    assert [d for d in kinds if kinds[d] == "holiday" and d.month == 2] == [D(2027, 2, i) for i in range(7, 14)]


def test_an_ics_event_without_a_start_is_named_by_line_and_property():
    bad = ICS_FEED.replace("DTSTART;VALUE=DATE:20270206\r\n", "")
    errors = errors_of(lambda: parse_ics(bad.encode(), year=2027))
    assert (errors[0].line, errors[0].column) == (10, "DTSTART")


def test_a_file_that_is_not_a_calendar_is_refused():
    assert "iCalendar" in errors_of(lambda: parse_file("x.ics", b"hello"))[0].message


def test_parse_file_recognises_ics_by_its_content():
    assert parse_file("holidays.txt", ICS_FEED.encode(), year=2027).workdays == 2


@pytest.mark.django_db
def test_an_import_with_a_bad_row_imports_nothing(org, people):
    data = "2027-01-01,休,元旦\n2027-02-06,班\n2027-02-30,休\n".encode()
    with pytest.raises(ValidationError) as info:
        calendar_file_import(actor=people["admin"], organisation=org, filename="2027.csv", data=data)
    assert info.value.message_dict["file"] == ["line 3, column 1 (date): “2027-02-30” is not a date; "
                                               "write it as YYYY-MM-DD."]
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()
    assert not calendar_for(org).knows_year(2027)


@pytest.mark.django_db
def test_an_imported_year_becomes_known_and_is_audited(org, people):
    before = calendar_for(org).add_working_days(D(2027, 2, 5), 1)
    assert before == type(before)(D(2027, 2, 8), True)

    outcome = calendar_file_import(actor=people["admin"], organisation=org, filename="2027.csv",
                                   data=CSV_2027.encode())
    assert (outcome.year, outcome.holidays, outcome.workdays) == (2027, 2, 1)
    cal = calendar_for(org)
    assert cal.knows_year(2027)
    assert cal.day(D(2027, 2, 6)).working and cal.day(D(2027, 2, 6)).source == "imported"
    assert cal.add_working_days(D(2027, 2, 5), 1) == type(before)(D(2027, 2, 6), False)
    assert cal.add_working_days(D(2027, 2, 5), 2) == type(before)(D(2027, 2, 9), False)
    entry = AuditEntry.objects.get(action="calendar.import")
    assert entry.actor == people["admin"] and entry.after["holidays"] == 2
    assert CalendarYear.objects.get(organisation=org, year=2027).source == "2027.csv"


@pytest.mark.django_db
def test_import_keeps_other_days_unless_told_to_replace(org, people):
    admin = people["admin"]
    calendar_day_set(actor=admin, organisation=org, date=D(2027, 3, 1), kind="holiday", name="厂庆")
    calendar_file_import(actor=admin, organisation=org, filename="a.csv", data=CSV_2027.encode())
    assert CalendarDay.objects.filter(organisation=org, date__year=2027).count() == 4
    outcome = calendar_file_import(actor=admin, organisation=org, filename="b.csv",
                                   data=b"2027-10-01,holiday,National Day\n", replace=True)
    assert outcome.removed == 4
    assert list(CalendarDay.objects.filter(organisation=org).values_list("date", flat=True)) == [D(2027, 10, 1)]


@pytest.mark.django_db
def test_a_year_outside_the_range_is_named(org, people):
    with pytest.raises(ValidationError) as info:
        calendar_file_import(actor=people["admin"], organisation=org, filename="a.csv",
                             data=CSV_2027.encode(), year="20x7")
    assert "year" in info.value.message_dict


@pytest.mark.django_db
def test_only_administrators_change_the_calendar(org, people):
    for name in ("member", "head", "host"):
        with pytest.raises(PermissionDenied):
            calendar_file_import(actor=people[name], organisation=org, filename="a.csv", data=CSV_2027.encode())
        with pytest.raises(PermissionDenied):
            calendar_day_set(actor=people[name], organisation=org, date=D(2027, 1, 1), kind="holiday")
        with pytest.raises(PermissionDenied):
            calendar_day_toggle(actor=people[name], organisation=org, date=D(2027, 1, 1))
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
def test_a_day_set_and_cleared_is_audited(org, people):
    admin = people["admin"]
    calendar_day_set(actor=admin, organisation=org, date=D(2026, 10, 10), kind="holiday", name="公司休息")
    assert not calendar_for(org).is_working_day(D(2026, 10, 10))
    assert calendar_day_clear(actor=admin, organisation=org, date=D(2026, 10, 10)) is True
    assert calendar_day_clear(actor=admin, organisation=org, date=D(2026, 10, 10)) is False
    assert calendar_for(org).is_working_day(D(2026, 10, 10))
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "calendar.day_set", "calendar.day_clear"]


@pytest.mark.django_db
def test_a_bad_kind_or_long_name_is_named(org, people):
    with pytest.raises(ValidationError) as info:
        calendar_day_set(actor=people["admin"], organisation=org, date=D(2026, 1, 5), kind="party")
    assert "kind" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        calendar_day_set(actor=people["admin"], organisation=org, date=D(2026, 1, 5), kind="holiday", name="x" * 101)
    assert "name" in info.value.message_dict


@pytest.mark.django_db
def test_toggling_twice_leaves_no_entry_behind(org, people):
    admin = people["admin"]
    day = calendar_day_toggle(actor=admin, organisation=org, date=D(2026, 10, 10))  # adjusted Saturday → off
    assert not day.working and day.source == "override"
    day = calendar_day_toggle(actor=admin, organisation=org, date=D(2026, 10, 10))
    assert day.working and day.source == "chinese-calendar"
    assert not CalendarDay.objects.exists()
    day = calendar_day_toggle(actor=admin, organisation=org, date=D(2026, 10, 5))  # National Day → working
    assert day.working and CalendarDay.objects.get().kind == "workday"
