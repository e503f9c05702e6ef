"""Meetings through the API: list with filters and pages, create, read, change with optimistic locking."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.conftest import at
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.models import Meeting, Series
from closeloop.meetings.services.planning import meeting_create, meeting_update, participant_set
from closeloop.org.models import Organisation, Project

pytestmark = pytest.mark.django_db


def plan(people, title, start, **extra):
    m = meeting_create(actor=people["host"], data={
        "type": extra.pop("type", "decision"), "title": title, "start": start,
        "end": start + dt.timedelta(hours=1), **extra,
    })
    participant_set(actor=people["host"], meeting=m, person=people["member"], roles=[ParticipantRole.EXECUTOR])
    return m


def new_meeting(**overrides):
    return {"type": "kickoff", "title": "Q3 启动会", "start": "2026-07-01T10:00:00+08:00",
            "end": "2026-07-01T11:00:00+08:00", **overrides}


def test_the_list_shows_only_meetings_visible_to_me(client, people, meeting):
    hidden = meeting_create(actor=people["outsider"], data={
        "type": "kickoff", "title": "财务内部会", "start": at(2026, 6, 1), "end": at(2026, 6, 1, 15)})
    client.force_login(people["member"])
    titles = [m["title"] for m in client.get("/api/v1/meetings").json()["items"]]
    assert titles == [meeting.title]
    client.force_login(people["outsider"])
    titles = [m["title"] for m in client.get("/api/v1/meetings").json()["items"]]
    assert titles == [hidden.title]


def test_a_list_row_carries_host_counts_version_and_local_times(client, people, meeting):
    client.force_login(people["member"])
    row = client.get("/api/v1/meetings").json()["items"][0]
    assert row["host"]["username"] == "host"
    assert row["topic_count"] == 3 and row["participant_count"] == 3
    assert row["start"] == "2026-06-15T14:00:00+08:00" and row["end"] == "2026-06-15T15:30:00+08:00"
    assert row["version"] == meeting.version and row["state"] == "draft" and row["notice_sequence"] == 0


def test_the_list_filters_by_state_type_project_series_dates_and_title(client, people, org):
    project = Project.objects.create(organisation=org, name="Q3推广")
    series = Series.objects.create(organisation=org, name="周例会")
    a = plan(people, "推广周会 1", at(2026, 6, 1), type="weekly_sync", series=series, project=project)
    b = plan(people, "推广周会 2", at(2026, 6, 8), type="weekly_sync", series=series)
    c = plan(people, "资源评审", at(2026, 6, 20), type="resource_review", project=project)
    Meeting.objects.filter(pk=c.pk).update(state="cancelled")
    client.force_login(people["member"])

    def ids(**params):
        return {m["id"] for m in client.get("/api/v1/meetings", params).json()["items"]}

    assert ids() == {a.pk, b.pk, c.pk}
    assert ids(state="cancelled") == {c.pk}
    assert ids(type="weekly_sync") == {a.pk, b.pk}
    assert ids(project=project.pk) == {a.pk, c.pk}
    assert ids(series=series.pk) == {a.pk, b.pk}
    assert ids(q="周会") == {a.pk, b.pk}
    assert ids(**{"from": "2026-06-08"}) == {b.pk, c.pk}
    assert ids(to="2026-06-08") == {a.pk, b.pk}  # a date includes that whole day
    assert ids(**{"from": "2026-06-02", "to": "2026-06-19"}) == {b.pk}
    assert ids(to="2026-06-08T14:00:00+08:00") == {a.pk}  # a moment is exclusive
    bad = client.get("/api/v1/meetings", {"state": "finished"})
    assert bad.status_code == 422 and "state" in bad.json()["errors"]


def test_the_list_is_paginated(client, people):
    for day in range(1, 26):
        plan(people, f"会议 {day}", at(2026, 5, day))
    client.force_login(people["member"])
    first = client.get("/api/v1/meetings").json()
    assert first["count"] == 25 and len(first["items"]) == 25  # the API's one default page size is 50
    assert first["items"][0]["title"] == "会议 25"  # newest first
    first = client.get("/api/v1/meetings", {"page_size": 20}).json()
    assert len(first["items"]) == 20
    second = client.get("/api/v1/meetings", {"page": 2, "page_size": 20}).json()
    assert [m["title"] for m in second["items"]] == [f"会议 {d}" for d in range(5, 0, -1)]
    small = client.get("/api/v1/meetings", {"page_size": 7, "page": 4}).json()
    assert len(small["items"]) == 4


def test_the_list_costs_the_same_queries_for_one_meeting_or_ten(client, people, django_assert_max_num_queries):
    client.force_login(people["member"])
    plan(people, "会议 0", at(2026, 5, 1))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/meetings").status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for day in range(2, 11):
        plan(people, f"会议 {day}", at(2026, 5, day))
    with django_assert_max_num_queries(one):
        assert len(client.get("/api/v1/meetings").json()["items"]) == 10
    assert queries() == one


def test_creating_a_meeting_makes_me_host_and_takes_a_recorder(client, people):
    client.force_login(people["host"])
    response = client.post("/api/v1/meetings", new_meeting(recorder_id=people["recorder"].pk),
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    roles = {p["person"]["username"]: p["roles"] for p in body["participants"]}
    assert roles == {"host": ["host"], "recorder": ["recorder"]}
    assert body["state"] == "draft" and body["version"] == 1 and body["can_edit"] is True
    assert Meeting.objects.get(pk=body["id"]).start == dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)


def test_a_naive_time_is_read_in_the_organisations_time_zone_and_an_offset_is_kept(client, people, org):
    client.force_login(people["host"])
    naive = client.post("/api/v1/meetings", new_meeting(start="2026-07-01T10:00", end="2026-07-01T11:00"),
                        content_type="application/json").json()
    assert Meeting.objects.get(pk=naive["id"]).start == dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)
    assert naive["start"] == "2026-07-01T10:00:00+08:00"
    berlin = client.post("/api/v1/meetings", new_meeting(start="2026-07-01T10:00+02:00", end="2026-07-01T11:00Z"),
                         content_type="application/json").json()
    assert Meeting.objects.get(pk=berlin["id"]).start == dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
    assert berlin["start"] == "2026-07-01T16:00:00+08:00"
    org.time_zone = "Europe/London"
    org.save()
    london = client.post("/api/v1/meetings", new_meeting(start="2026-07-01T10:00", end="2026-07-01T11:00"),
                         content_type="application/json").json()
    assert Meeting.objects.get(pk=london["id"]).start == dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("overrides, field", [
    ({"end": "2026-07-01T09:00:00+08:00"}, "end"),
    ({"end": "2026-07-01T10:00:00+08:00"}, "end"),
    ({"title": None}, "title"),
    ({"title": "  "}, "title"),
    ({"type": "party"}, "type"),
    ({"start": "next tuesday"}, "start"),
    ({"online_link": "not a link"}, "online_link"),
    ({"project_id": 999999}, "project_id"),
    ({"host_id": 999999}, "host_id"),
])
def test_a_bad_meeting_is_refused_naming_the_field(client, people, overrides, field):
    client.force_login(people["host"])
    payload = {k: v for k, v in new_meeting(**overrides).items() if v is not None}
    response = client.post("/api/v1/meetings", payload, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert not Meeting.objects.exists()


def test_another_organisations_project_and_people_cannot_be_used(client, people):
    other = Organisation.objects.create(name="别家")
    foreign = Project.objects.create(organisation=other, name="外部项目")
    client.force_login(people["host"])
    response = client.post("/api/v1/meetings", new_meeting(project_id=foreign.pk), content_type="application/json")
    assert response.status_code == 422 and "project_id" in response.json()["errors"]


def test_the_detail_has_topics_participants_materials_and_state(client, people, meeting):
    client.force_login(people["member"])
    body = client.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert [t["title"] for t in body["topics"]] == ["Q2推广活动复盘", "Q3推广目标及策略", "部门分工与资源协调"]
    assert body["topics"][2]["kind"] == "decide" and body["topics"][2]["presenter"]["username"] == "host"
    member = next(p for p in body["participants"] if p["person"]["username"] == "member")
    assert member["roles"] == ["decision_maker", "executor"] and member["response"] == "pending"
    assert member["department"]["name"] == "销售部" and "token" not in member
    assert body["materials"] == [] and body["notice_sequence"] == 0 and body["can_edit"] is False
    assert body["version"] == meeting.version and body["objective"] == "确定Q3推广分工"


def test_the_detail_costs_a_fixed_number_of_queries(client, people, meeting, django_assert_max_num_queries):
    client.force_login(people["admin"])
    with django_assert_max_num_queries(14):
        client.get(f"/api/v1/meetings/{meeting.pk}")


def test_a_change_with_the_current_version_is_saved_and_a_stale_one_refused(client, people, meeting):
    client.force_login(people["host"])
    url = f"/api/v1/meetings/{meeting.pk}"
    response = client.patch(url, {"version": meeting.version, "place": "5楼大会议室"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["place"] == "5楼大会议室" and response.json()["version"] == meeting.version + 1
    stale = client.patch(url, {"version": meeting.version, "place": "线上"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == meeting.version + 1 and stale.json()["detail"]
    meeting.refresh_from_db()
    assert meeting.place == "5楼大会议室"


def test_a_change_is_validated_naming_the_field(client, people, meeting):
    client.force_login(people["recorder"])
    url = f"/api/v1/meetings/{meeting.pk}"
    for payload, field in [({"end": "2026-06-15T13:00:00+08:00"}, "end"), ({"title": None}, "title"),
                           ({"series_id": 999999}, "series_id"), ({"version": "old"}, "version")]:
        response = client.patch(url, payload, content_type="application/json")
        assert response.status_code == 422 and field in response.json()["errors"], (payload, response.json())
    meeting.refresh_from_db()
    assert meeting.end == at(2026, 6, 15, 15, 30)


def test_a_change_can_clear_the_project(client, people, meeting, org):
    project = Project.objects.create(organisation=org, name="Q3推广")
    meeting_update(actor=people["host"], meeting=meeting, data={"project": project})
    client.force_login(people["host"])
    response = client.patch(f"/api/v1/meetings/{meeting.pk}", {"project_id": None}, content_type="application/json")
    assert response.status_code == 200 and response.json()["project"] is None
