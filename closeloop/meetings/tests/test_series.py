"""Series: recurrence on working days, default participants and topics, and their pages (issue 12, point 8)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from closeloop.conftest import make_person
from closeloop.meetings.models import Meeting, Series
from closeloop.meetings.recurrence import bad_topic_lines, next_meeting_day, parse_topics
from closeloop.meetings.services.series import series_create, series_next_meeting
from closeloop.org.models import Organisation


def weekdays_only(day):
    return day.weekday() < 5


def test_the_next_day_follows_the_last_meeting_by_the_interval():
    monday = dt.date(2026, 6, 1)
    assert next_meeting_day(last_day=monday, today=monday, weekday=0, interval_weeks=1,
                            is_working_day=weekdays_only) == dt.date(2026, 6, 8)
    assert next_meeting_day(last_day=monday, today=monday, weekday=2, interval_weeks=2,
                            is_working_day=weekdays_only) == dt.date(2026, 6, 17)


def test_without_a_last_meeting_the_first_is_the_coming_weekday_never_today():
    wednesday = dt.date(2026, 6, 3)
    assert next_meeting_day(last_day=None, today=wednesday, weekday=2, interval_weeks=1,
                            is_working_day=weekdays_only) == dt.date(2026, 6, 10)


def test_a_day_off_moves_the_meeting_to_the_next_working_day():
    holiday = {dt.date(2026, 6, 8)}
    assert next_meeting_day(last_day=dt.date(2026, 6, 1), today=dt.date(2026, 6, 2), weekday=0, interval_weeks=1,
                            is_working_day=lambda d: weekdays_only(d) and d not in holiday) == dt.date(2026, 6, 9)


def test_default_topics_are_read_one_a_line_with_optional_minutes():
    assert parse_topics("未完成事项回顾 | 10\n\n本周进展\n风险|x") == [("未完成事项回顾", 10), ("本周进展", 10),
                                                                  ("风险", 10)]
    assert bad_topic_lines("a | 10\nb | x\nc") == [2]


@pytest.fixture
def series(db, people, meeting):
    return series_create(actor=people["host"], name="Q3推广周例会", data={
        "weekday": 0, "interval_weeks": 1, "start_time": dt.time(9, 30), "duration_minutes": 30,
        "recorder": people["recorder"], "members": [people["member"], people["head"]],
        "member_roles": "executor", "default_topics": "本周进展 | 10\n风险与求助 | 5", "place": "3楼会议室A"})


@pytest.mark.django_db
def test_the_next_meeting_lands_on_the_working_day_after_the_spring_festival(people, series):
    """2026-02-16 (Monday) falls in the Spring Festival holiday (02-15 … 02-23): the meeting moves to 02-24."""
    first = series_next_meeting(actor=people["host"], series=series, today=dt.date(2026, 2, 3))
    assert first.start.astimezone(first.start.tzinfo).date() == dt.date(2026, 2, 9)
    second = series_next_meeting(actor=people["host"], series=series, today=dt.date(2026, 2, 10))
    local = second.start.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert local.date() == dt.date(2026, 2, 24) and local.time() == dt.time(9, 30)
    assert (second.end - second.start) == dt.timedelta(minutes=30) and second.series == series
    roles = {p.person.username: p.role_list for p in second.participants.all()}
    assert roles == {"host": ["host"], "recorder": ["recorder"], "member": ["executor"], "head": ["executor"]}
    assert [t.title for t in second.topics.all()][-2:] == ["本周进展", "风险与求助"]


@pytest.mark.django_db
def test_only_the_host_recorder_or_an_admin_plans_the_next_meeting(people, series):
    with pytest.raises(PermissionDenied):
        series_next_meeting(actor=people["member"], series=series)
    assert not Meeting.objects.filter(series=series).exists()


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.django_db
def test_the_pages_create_edit_and_plan_a_series(people):
    client = signed_in(people["host"])
    answer = client.post("/meetings/series/new/", {
        "name": "销售周会", "meeting_type": "weekly_sync", "weekday": "3", "interval_weeks": "2",
        "start_time": "14:00", "duration_minutes": "20", "host": people["host"].pk,
        "members": [people["member"].pk], "member_roles": ["executor", "informed"], "default_topics": "进展 | 10"})
    assert answer.status_code == 302
    series = Series.objects.get(name="销售周会")
    assert series.weekday == 3 and series.interval_weeks == 2 and series.member_roles == "executor,informed"
    answer = client.post(f"/meetings/series/{series.pk}/edit/", {
        "name": "销售双周会", "meeting_type": "weekly_sync", "weekday": "4", "interval_weeks": "2",
        "start_time": "14:00", "duration_minutes": "20", "host": people["host"].pk,
        "members": [people["member"].pk], "member_roles": ["executor"], "default_topics": "进展 | 10"})
    series.refresh_from_db()
    assert answer.status_code == 302 and series.name == "销售双周会" and series.weekday == 4
    answer = client.post(f"/meetings/series/{series.pk}/next/")
    meeting = Meeting.objects.get(series=series)
    assert answer.status_code == 302 and answer["Location"] == f"/meetings/{meeting.pk}/"
    page = client.get(f"/meetings/series/{series.pk}/").content.decode()
    assert f"/meetings/{meeting.pk}/" in page and "每 2 周的星期五 14:00" in page


@pytest.mark.django_db
@pytest.mark.parametrize("language,text", [("zh-hans", "竖线后的分钟数必须是整数"), ("en", "must be a whole number")])
def test_bad_default_topics_are_named_in_the_users_language(people, language, text):
    host = people["host"]
    host.language = language
    host.save()
    answer = signed_in(host).post("/meetings/series/new/", {
        "name": "周会", "meeting_type": "weekly_sync", "weekday": "0", "interval_weeks": "1",
        "start_time": "10:00", "duration_minutes": "30", "default_topics": "进展 | 十分钟"})
    assert answer.status_code == 422 and text in answer.content.decode()
    assert "default_topics" in answer.context["form"].errors


@pytest.mark.django_db
def test_permissions_on_the_series_pages(people, series):
    member = signed_in(people["member"])
    assert member.get(f"/meetings/series/{series.pk}/").status_code == 200
    assert member.get(f"/meetings/series/{series.pk}/edit/").status_code == 403
    assert member.post(f"/meetings/series/{series.pk}/next/").status_code == 403
    stranger = signed_in(make_person(Organisation.objects.create(name="别家"), "stranger", name="外人"))
    for url in (f"/meetings/series/{series.pk}/", f"/meetings/series/{series.pk}/edit/"):
        assert stranger.get(url).status_code == 404, url
    assert stranger.post(f"/meetings/series/{series.pk}/next/").status_code == 404
    assert "Q3推广周例会" not in stranger.get("/meetings/series/").content.decode()
    assert not Meeting.objects.filter(series=series).exists()
