"""The calendar API: a year's days, one day's override, importing a year, counting working days; who may write."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext as _

from closeloop.audit.models import AuditEntry
from closeloop.org.models import ApiToken
from closeloop.workcal.models import CalendarDay, CalendarYear

API = "/api/v1/calendar"
CSV_2027 = "date,kind,name\n2027-01-01,休,元旦\n2027-02-06,班,春节调休\n2027-02-08,休,春节\n".encode()


def _token(person):
    secret = ApiToken.new_secret()
    ApiToken.objects.create(person=person, name="test", prefix=secret[:8], digest=ApiToken.hash(secret))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _put(client, date, body, auth):
    return client.put(f"{API}/days/{date}", data=body, content_type="application/json", **auth)


def _upload(client, auth, content=CSV_2027, name="2027.csv", **form):
    return client.post(f"{API}/import", data={"file": SimpleUploadedFile(name, content), **form}, **auth)


def test_a_year_lists_every_day_with_its_source(client, people):
    answer = client.get(f"{API}/2026", **_token(people["member"]))
    assert answer.status_code == 200
    body = answer.json()
    assert (body["year"], body["known"], body["source"], len(body["days"])) == (2026, True, "chinese-calendar", 365)
    days = {d["date"]: d for d in body["days"]}
    assert days["2026-02-14"] == {"date": "2026-02-14", "working": True, "name": "Spring Festival", "known": True,
                                  "source": "chinese-calendar", "adjusted": True}
    assert days["2026-10-05"]["working"] is False


def test_a_year_is_read_in_a_few_queries(client, people, org, django_assert_max_num_queries):
    for day in range(1, 29):
        CalendarDay.objects.create(organisation=org, date=dt.date(2026, 2, day), kind="holiday")
    auth = _token(people["member"])
    with django_assert_max_num_queries(7):  # token, its last use, days, years, the year's import record
        assert client.get(f"{API}/2026", **auth).status_code == 200


def test_an_unknown_year_says_so_for_the_year_and_each_day(client, people):
    body = client.get(f"{API}/2027", **_token(people["member"])).json()
    assert body["known"] is False and body["source"] is None
    assert all(d["known"] is False and d["source"] == "weekday" for d in body["days"])


def test_a_year_out_of_range_is_named(client, people):
    answer = client.get(f"{API}/1066", **_token(people["member"]))
    assert answer.status_code == 422 and "year" in answer.json()["errors"]


def test_workdays_counts_and_says_when_it_assumed(client, people):
    auth = _token(people["member"])
    assert client.get(f"{API}/workdays", {"date": "2026-09-30", "n": 3}, **auth).json() == {
        "date": "2026-10-10", "assumed": False, "start": "2026-09-30", "n": 3, "unknown_years": []}
    body = client.get(f"{API}/workdays", {"date": "2026-12-30", "n": "3"}, **auth).json()
    assert (body["date"], body["assumed"], body["unknown_years"]) == ("2027-01-04", True, [2027])
    body = client.get(f"{API}/workdays", {"date": "2026-10-12", "n": "-3"}, **auth).json()
    assert (body["date"], body["assumed"]) == ("2026-10-08", False)


@pytest.mark.parametrize(("query", "field"), [
    ({"date": "2026-02-30", "n": 1}, "date"), ({"date": "2026-09-30", "n": "x"}, "n"),
    ({"n": 1}, "date"), ({"date": "2026-09-30", "n": 999999}, "n"),
])
def test_workdays_names_the_bad_field(client, people, query, field):
    answer = client.get(f"{API}/workdays", query, **_token(people["member"]))
    assert answer.status_code == 422 and field in answer.json()["errors"]


def test_an_administrator_sets_and_clears_a_day(client, people, org):
    auth = _token(people["admin"])
    answer = _put(client, "2026-10-10", {"kind": "holiday", "name": "公司休息"}, auth)
    assert answer.status_code == 200
    assert answer.json() == {"date": "2026-10-10", "working": False, "name": "公司休息", "known": True,
                             "source": "override", "adjusted": False}
    counted = client.get(f"{API}/workdays", {"date": "2026-09-30", "n": 3}, **auth).json()
    assert counted["date"] == "2026-10-12"
    answer = client.delete(f"{API}/days/2026-10-10", **auth)
    assert answer.status_code == 200 and answer.json()["source"] == "chinese-calendar" and answer.json()["working"]
    assert not CalendarDay.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="calendar.day_").count() == 2


@pytest.mark.parametrize(("date", "body", "field"), [
    ("2026-10-10", {"kind": "party"}, "kind"), ("2026-10-10", {"kind": "holiday", "name": "x" * 101}, "name"),
    ("2026-13-10", {"kind": "holiday"}, "date"), ("2026-10-10", {}, "kind"),
])
def test_a_bad_day_is_refused_naming_the_field(client, people, date, body, field):
    answer = _put(client, date, body, _token(people["admin"]))
    assert answer.status_code == 422 and field in answer.json()["errors"]
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("who", ["member", "head", "host"])
def test_only_administrators_write_the_calendar(client, people, who):
    auth = _token(people[who])
    assert _put(client, "2026-10-10", {"kind": "holiday"}, auth).status_code == 403
    assert client.delete(f"{API}/days/2026-10-10", **auth).status_code == 403
    assert _upload(client, auth).status_code == 403
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_without_credentials_every_endpoint_answers_401(client, people):
    assert client.get(f"{API}/2026").status_code == 401
    assert client.get(f"{API}/workdays", {"date": "2026-09-30", "n": 3}).status_code == 401
    assert client.put(f"{API}/days/2026-10-10", data={"kind": "holiday"},
                      content_type="application/json").status_code == 401
    assert client.delete(f"{API}/days/2026-10-10").status_code == 401
    assert _upload(client, {}).status_code == 401
    assert client.get(f"{API}/2026", HTTP_AUTHORIZATION="Bearer cl_not-a-token").status_code == 401


def test_an_administrator_imports_a_year_that_becomes_known(client, people, org):
    auth = _token(people["admin"])
    answer = _upload(client, auth, year="2027")
    assert answer.status_code == 201
    assert answer.json() == {"year": 2027, "source": "2027.csv", "holidays": 2, "workdays": 1, "removed": 0}
    body = client.get(f"{API}/2027", **auth).json()
    assert body["known"] is True and body["source"] == "imported" and body["imported_from"] == "2027.csv"
    counted = client.get(f"{API}/workdays", {"date": "2027-02-05", "n": 1}, **auth).json()
    assert (counted["date"], counted["assumed"]) == ("2027-02-06", False)


def test_an_import_with_bad_rows_imports_nothing_and_lists_them_under_file(client, people):
    bad = "2027-01-01,休\n2027-02-06,上学\n2027-02-31,班\n".encode()
    answer = _upload(client, _token(people["admin"]), content=bad)
    assert answer.status_code == 422
    errors = answer.json()["errors"]["file"]
    with translation.override("zh-hans"):  # the administrator reads Chinese; each error names its line and column
        row = _("line %(line)s, column %(column)s: %(message)s")
        expected = [
            row % {"line": 2, "column": _("2 (kind)"),
                   "message": _("“%(value)s” is not a kind; use holiday, workday, 休 or 班.") % {"value": "上学"}},
            row % {"line": 3, "column": _("1 (date)"),
                   "message": _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": "2027-02-31"}},
        ]
    assert errors == expected
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_an_import_names_a_bad_year_or_a_missing_file(client, people):
    auth = _token(people["admin"])
    answer = _upload(client, auth, year="1066")
    assert answer.status_code == 422 and "year" in answer.json()["errors"]
    answer = client.post(f"{API}/import", data={"year": "2027"}, **auth)
    assert answer.status_code == 422 and "file" in answer.json()["errors"]


def test_a_session_works_for_reading(client, people):
    client.force_login(people["member"])
    assert client.get(f"{API}/2026").status_code == 200
    assert dt.date.fromisoformat(client.get(f"{API}/workdays", {"date": "2026-02-13", "n": 2}).json()["date"]) == \
        dt.date(2026, 2, 24)
