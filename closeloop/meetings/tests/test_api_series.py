"""A series through the API as on its pages: its recurrence, members and next meeting; planning the next one."""

import datetime as dt

import pytest

from closeloop.meetings.models import Meeting
from closeloop.meetings.services.series import series_create
from closeloop.org.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(people):
    return series_create(actor=people["host"], name="Q3推广周例会", data={
        "weekday": 2, "interval_weeks": 1, "start_time": dt.time(9, 30), "duration_minutes": 30,
        "recorder": people["recorder"], "members": [people["member"], people["head"]],
        "member_roles": "executor", "default_topics": "本周进展 | 10\n风险与求助 | 5", "place": "3楼会议室A"})


def test_a_series_reads_with_its_recurrence_members_and_no_next_meeting_yet(client, people, series):
    client.force_login(people["member"])
    body = client.get(f"/api/v1/series/{series.pk}").json()
    assert body["name"] == "Q3推广周例会" and body["weekday"] == 2 and body["start_time"] == "09:30:00"
    assert body["host"]["name"] == str(people["host"]) and body["recorder"]["id"] == people["recorder"].pk
    assert {m["id"] for m in body["members"]} == {people["member"].pk, people["head"].pk}
    assert body["next_meeting"] is None
    day = dt.date.fromisoformat(body["next_day"])
    assert day > dt.date.today() - dt.timedelta(days=1) and day.weekday() < 5


def test_the_host_plans_the_next_meeting_and_the_series_shows_it(client, people, series):
    client.force_login(people["member"])
    assert client.post(f"/api/v1/series/{series.pk}/next").status_code == 403
    assert not Meeting.objects.filter(series=series).exists()
    client.force_login(people["host"])
    planned = client.post(f"/api/v1/series/{series.pk}/next")
    assert planned.status_code == 201
    meeting = Meeting.objects.get(series=series)
    assert planned.json()["id"] == meeting.pk
    assert {"本周进展", "风险与求助"} <= set(meeting.topics.values_list("title", flat=True))
    body = client.get(f"/api/v1/series/{series.pk}").json()
    assert body["next_meeting"]["id"] == meeting.pk and body["next_meeting"]["title"] == meeting.title
    assert dt.date.fromisoformat(body["next_day"]) > meeting.start.date()  # the one after it


def test_another_organisations_series_is_404(client, people, series):
    other = make_outsider()
    client.force_login(other)
    assert client.get(f"/api/v1/series/{series.pk}").status_code == 404
    assert client.post(f"/api/v1/series/{series.pk}/next").status_code == 404


def make_outsider():
    from closeloop.conftest import make_person

    return make_person(Organisation.objects.create(name="别家", time_zone="Asia/Shanghai"), "stranger")
