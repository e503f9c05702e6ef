"""The working-calendar page: everyone reads it; administrators toggle days and import a year."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from closeloop.workcal.models import CalendarDay, CalendarYear
from closeloop.workcal.rules import WorkdayCount, WorkdayResult, WorkingCalendar

PAGE = reverse("workcal:calendar")
DAY = reverse("workcal:calendar_day")
IMPORT = reverse("workcal:calendar_import")


@pytest.fixture(autouse=True)
def _english(people):
    # Every persona reads English here so that assertions on words hold whatever catalogue is compiled.
    for person in people.values():
        if hasattr(person, "language"):
            person.language = "en"
            person.save(update_fields=["language"])
    with translation.override("en"):
        yield


def cell(html, iso):
    match = re.search(rf'<div class="([^"]*)" id="day-{iso}"', html)
    assert match, iso
    return match.group(1)


def test_a_member_reads_the_year_month_by_month(client, people):
    client.force_login(people["member"])
    answer = client.get(PAGE, {"year": 2026})
    html = answer.content.decode()
    assert answer.status_code == 200
    assert html.count('class="card month"') == 12 and html.count('id="day-2026-') == 365
    assert cell(html, "2026-02-14") == "day work-weekend"
    assert cell(html, "2026-02-16") == "day off"
    assert cell(html, "2026-02-07") == "day weekend"
    assert cell(html, "2026-02-13") == "day"
    assert "Spring Festival" in html and "China&#x27;s statutory calendar" in html
    assert 'id="year-unknown"' not in html
    # Read only: no switch buttons, no import form.
    assert "hx-post" not in html and IMPORT not in html


def test_the_year_page_reads_the_calendar_in_a_few_queries(client, people, org, django_assert_max_num_queries):
    for day in range(1, 29):
        CalendarDay.objects.create(organisation=org, date=dt.date(2026, 2, day), kind="holiday", name="厂休")
    client.force_login(people["admin"])
    with django_assert_max_num_queries(8):  # session, person, days, years, the year's import record
        assert client.get(PAGE, {"year": 2026}).status_code == 200


def test_a_day_switched_without_javascript_redirects_back_to_its_year(client, people, org):
    client.force_login(people["admin"])
    answer = client.post(DAY, {"date": "2026-10-05"})
    assert answer.status_code == 302 and answer["Location"] == f"{PAGE}?year=2026"
    assert CalendarDay.objects.get(organisation=org).kind == "workday"


def test_an_unknown_year_shows_the_banner_and_marks_every_day(client, people):
    client.force_login(people["member"])
    html = client.get(PAGE, {"year": 2027}).content.decode()
    assert 'id="year-unknown"' in html
    assert ("2027 is not known to the calendar; deadlines in it are counted Monday–Friday until an "
            "administrator imports the year.") in html
    assert cell(html, "2027-01-01") == "day unknown" and cell(html, "2027-01-02") == "day unknown weekend"


def test_a_bad_year_is_named_and_the_current_year_shown(client, people):
    client.force_login(people["member"])
    answer = client.get(PAGE, {"year": "twenty"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "<strong>Year</strong>" in html and f"Working calendar {dt.date.today().year}" in html


def test_the_page_needs_a_sign_in(client):
    answer = client.get(PAGE)
    assert answer.status_code == 302 and reverse("login") in answer["Location"]
    assert client.post(DAY, {"date": "2026-10-10"}).status_code == 302
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("who", ["member", "head", "host"])
def test_a_non_administrator_cannot_toggle_or_import(client, people, who):
    client.force_login(people[who])
    assert client.post(DAY, {"date": "2026-10-10"}, HTTP_HX_REQUEST="true").status_code == 403
    assert client.post(DAY, {"date": "2026-10-10", "kind": "holiday"}).status_code == 403
    upload = SimpleUploadedFile("2027.csv", b"2027-01-01,holiday\n")
    assert client.post(IMPORT, {"file": upload}).status_code == 403
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_the_page_changes_nothing_on_get(client, people):
    client.force_login(people["admin"])
    assert client.get(DAY, {"date": "2026-10-10"}).status_code == 405
    assert client.get(IMPORT).status_code == 405


def test_an_administrator_toggles_a_day_and_gets_its_cell_back(client, people, org):
    client.force_login(people["admin"])
    html = client.get(PAGE, {"year": 2026}).content.decode()
    assert f'hx-post="{DAY}"' in html and 'name="date" value="2026-10-10"' in html

    answer = client.post(DAY, {"date": "2026-10-10"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    fragment = answer.content.decode()
    assert "<html" not in fragment and cell(fragment, "2026-10-10") == "day off"
    assert "set by an administrator" in fragment
    assert CalendarDay.objects.get(organisation=org).kind == "holiday"

    answer = client.post(DAY, {"date": "2026-10-10"}, HTTP_HX_REQUEST="true")
    assert cell(answer.content.decode(), "2026-10-10") == "day work-weekend"
    assert not CalendarDay.objects.exists()


def test_an_administrator_sets_a_named_day_without_javascript(client, people, org):
    client.force_login(people["admin"])
    answer = client.post(DAY, {"date": "2027-05-06", "kind": "holiday", "name": "厂庆"})
    assert answer.status_code == 302 and answer["Location"] == f"{PAGE}?year=2027"
    html = client.get(answer["Location"]).content.decode()
    assert cell(html, "2027-05-06") == "day off" and "厂庆" in html
    answer = client.post(DAY, {"date": "2027-05-06", "kind": "clear"})
    assert answer.status_code == 302 and not CalendarDay.objects.exists()


def test_a_bad_day_is_named(client, people):
    client.force_login(people["admin"])
    answer = client.post(DAY, {"date": "2026-02-30", "kind": "holiday"})
    assert answer.status_code == 422 and "Enter a date such as 2026-01-01" in answer.content.decode()
    answer = client.post(DAY, {"date": "2026-02-03", "kind": "party"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 422 and "<strong>Make it</strong>" in answer.content.decode()
    assert not CalendarDay.objects.exists()


def test_an_administrator_imports_a_year_from_the_page(client, people, org):
    client.force_login(people["admin"])
    upload = SimpleUploadedFile("2027.csv", "2027-01-01,休,元旦\n2027-02-06,班,春节调休\n".encode())
    answer = client.post(IMPORT, {"file": upload, "year": "2027"}, follow=True)
    html = answer.content.decode()
    assert answer.redirect_chain == [(f"{PAGE}?year=2027", 302)]
    assert 'id="year-unknown"' not in html and "2027 was imported from 2027.csv" in html
    assert cell(html, "2027-02-06") == "day work-weekend" and cell(html, "2027-01-01") == "day off"


def test_an_import_with_bad_rows_lists_them_and_imports_nothing(client, people):
    client.force_login(people["admin"])
    upload = SimpleUploadedFile("2027.csv", "2027-01-01,休\n2027-02-06,上学\n".encode())
    answer = client.post(IMPORT, {"file": upload, "year": "2027"})
    html = answer.content.decode()
    assert answer.status_code == 422
    assert "line 2, column 2 (kind)" in html and 'id="year-unknown"' in html
    assert not CalendarDay.objects.exists()


def test_the_assumed_badge_shows_only_for_guessed_results():
    template = Template("{% load workdays %}[{% assumed_badge r %}]")
    assert template.render(Context({"r": WorkdayResult(dt.date(2026, 10, 10), False)})) == "[]"
    badge = template.render(Context({"r": WorkdayResult(dt.date(2027, 1, 4), True)}))
    assert '<span class="badge assumed"' in badge and "counted Mon–Fri: year unknown" in badge
    assert "badge assumed" in template.render(Context({"r": WorkdayCount(3, True)}))
    assert "badge assumed" in template.render(Context({"r": WorkingCalendar().day(dt.date(2027, 1, 4))}))
    assert template.render(Context({"r": None})) == "[]"
