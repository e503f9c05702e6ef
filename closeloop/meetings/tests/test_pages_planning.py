"""The planning pages: the meeting list, creating and editing a meeting (with the stale-save refusal)."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.audit.models import AuditEntry
from closeloop.conftest import at
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.models import Meeting
from closeloop.meetings.services.planning import meeting_create, meeting_update, participant_set
from closeloop.org.models import Project

pytestmark = pytest.mark.django_db


def _form_data(**overrides):
    data = {
        "type": "decision", "title": "渠道资源评审会", "objective": "确定Q3渠道预算", "scope": "",
        "start": "2026-07-01T10:00", "end": "2026-07-01T11:30", "place": "3楼会议室A", "online_link": "",
        "project": "", "series": "",
    }
    data.update(overrides)
    return data


def _make_meetings(people, count, start):
    for i in range(count):
        m = meeting_create(actor=people["host"], data={
            "type": "weekly_sync", "title": f"周会 {i}", "start": start + dt.timedelta(days=i),
            "end": start + dt.timedelta(days=i, hours=1)}, recorder=people["recorder"])
        participant_set(actor=people["host"], meeting=m, person=people["member"], roles=["executor"])


# The list -------------------------------------------------------------------------------------

def test_the_list_shows_upcoming_meetings_soonest_first_then_past_ones(client, people):
    past = meeting_create(actor=people["host"], data={"type": "decision", "title": "去年的会",
                                                      "start": at(2020, 1, 6, 10), "end": at(2020, 1, 6, 11)})
    later = meeting_create(actor=people["host"], data={"type": "decision", "title": "明年的会",
                                                       "start": at(2031, 3, 3, 10), "end": at(2031, 3, 3, 11)})
    soon = meeting_create(actor=people["host"], data={"type": "decision", "title": "下个月的会",
                                                      "start": at(2030, 3, 4, 10), "end": at(2030, 3, 4, 11)})
    client.force_login(people["host"])
    body = client.get(reverse("meetings:list")).content.decode()
    assert body.index(soon.title) < body.index(later.title) < body.index(past.title)
    assert "New meeting" in body or "新建会议" in body


def test_the_list_filters_by_state_type_project_and_my_own(client, people, meeting):
    project = Project.objects.create(organisation=meeting.organisation, name="Q3推广")
    other = meeting_create(actor=people["admin"], data={
        "type": "kickoff", "title": "启动会", "start": at(2026, 7, 1, 9), "end": at(2026, 7, 1, 10),
        "project": project})
    client.force_login(people["admin"])
    url = reverse("meetings:list")
    assert other.title in client.get(url, {"type": "kickoff"}).content.decode()
    assert meeting.title not in client.get(url, {"type": "kickoff"}).content.decode()
    assert meeting.title in client.get(url, {"state": MeetingState.DRAFT}).content.decode()
    assert meeting.title not in client.get(url, {"state": MeetingState.NOTICED}).content.decode()
    by_project = client.get(url, {"project": project.pk}).content.decode()
    assert other.title in by_project and meeting.title not in by_project
    mine = client.get(url, {"mine": "on"}).content.decode()  # the admin hosts `other`, is not in `meeting`
    assert other.title in mine and meeting.title not in mine


def test_the_list_shows_only_what_the_person_may_see(client, people, meeting):
    client.force_login(people["outsider"])
    assert meeting.title not in client.get(reverse("meetings:list")).content.decode()
    client.force_login(people["head"])  # head of the member's department sees it
    assert meeting.title in client.get(reverse("meetings:list")).content.decode()


def test_the_list_shows_my_roles_and_the_urgent_badge(client, people, meeting):
    meeting_update(actor=people["host"], meeting=meeting, data={"urgent": True})
    people["member"].language = "en"
    people["member"].save()
    client.force_login(people["member"])
    body = client.get(reverse("meetings:list")).content.decode()
    assert "Decision-maker" in body and "Executor" in body and "Urgent" in body


def test_the_list_needs_the_same_number_of_queries_for_2_or_12_meetings(client, people):
    client.force_login(people["member"])
    _make_meetings(people, 2, at(2026, 8, 3, 10))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("meetings:list")).status_code == 200
    _make_meetings(people, 10, at(2026, 9, 1, 10))
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("meetings:list")).content.decode()
    assert "周会 9" in body
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# Create ---------------------------------------------------------------------------------------

def test_creating_a_meeting_makes_the_chosen_host_and_recorder_participants(client, people):
    client.force_login(people["host"])
    response = client.post(reverse("meetings:create"), _form_data(
        host=people["host"].pk, recorder=people["recorder"].pk))
    meeting = Meeting.objects.get(title="渠道资源评审会")
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    roles = {p.person.username: p.role_list for p in meeting.participants.select_related("person")}
    assert roles == {"host": ["host"], "recorder": ["recorder"]}
    assert meeting.created_by == people["host"]


def test_typed_times_are_read_in_the_persons_time_zone(client, people):
    people["host"].time_zone = "Europe/Berlin"
    people["host"].save()
    client.force_login(people["host"])
    client.post(reverse("meetings:create"), _form_data(host=people["host"].pk, recorder=people["recorder"].pk))
    meeting = Meeting.objects.get(title="渠道资源评审会")
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert meeting.start == dt.datetime(2026, 7, 1, 10, 0, tzinfo=berlin)
    # Someone in Shanghai (the organisation's zone) sees it at 16:00 local time.
    client.force_login(people["recorder"])
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "2026-07-01 16:00" in body


def test_creating_refuses_an_end_before_the_start_and_names_the_field(client, people):
    client.force_login(people["member"])  # English
    response = client.post(reverse("meetings:create"), _form_data(
        end="2026-07-01T09:00", host=people["member"].pk))
    assert response.status_code == 200
    assert not Meeting.objects.filter(title="渠道资源评审会").exists()
    body = response.content.decode()
    assert "<strong>End</strong>: The end must be after the start." in body
    assert 'value="渠道资源评审会"' in body  # nothing typed is lost


def test_creating_refuses_a_missing_title_naming_it(client, people):
    client.force_login(people["member"])
    response = client.post(reverse("meetings:create"), _form_data(title="", host=people["member"].pk))
    assert "<strong>Title</strong>" in response.content.decode()


def test_the_form_speaks_the_persons_language(client, people):
    client.force_login(people["member"])  # language en
    assert '<html lang="en">' in client.get(reverse("meetings:create")).content.decode()
    client.force_login(people["host"])  # language zh-hans
    assert '<html lang="zh-hans">' in client.get(reverse("meetings:create")).content.decode()


def test_the_host_chooser_offers_only_people_of_my_organisation(client, people):
    from closeloop.conftest import make_person
    from closeloop.org.models import Organisation

    stranger = make_person(Organisation.objects.create(name="别家公司"), "stranger", name="外人")
    client.force_login(people["host"])
    body = client.get(reverse("meetings:create")).content.decode()
    assert "张主持" in body and "外人" not in body
    response = client.post(reverse("meetings:create"), _form_data(host=stranger.pk))
    assert response.status_code == 200 and not Meeting.objects.filter(title="渠道资源评审会").exists()


# Edit -----------------------------------------------------------------------------------------

def test_editing_saves_the_change_and_records_it(client, people, meeting):
    client.force_login(people["recorder"])
    form = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    assert f'name="version" value="{meeting.version}"' in form
    assert 'value="2026-06-15T14:00"' in form  # shown in Shanghai time, as typed
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), _form_data(
        title="Q3推广协作会（改）", start="2026-06-15T14:00", end="2026-06-15T15:30", version=meeting.version))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Q3推广协作会（改）"
    assert AuditEntry.objects.filter(action="meeting.update", object_id=str(meeting.pk)).exists()


def test_a_stale_edit_is_refused_keeping_the_typed_values_and_showing_what_changed(client, people, meeting):
    loaded = meeting.version
    # The host saves a new place while the recorder still has the old form open.
    meeting_update(actor=people["host"], meeting=meeting, data={"place": "5楼大会议室"}, version=loaded)
    people["recorder"].language = "en"
    people["recorder"].save()
    client.force_login(people["recorder"])
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), _form_data(
        title="我输入的新标题", start="2026-06-15T14:00", end="2026-06-15T15:30", place="3楼会议室A",
        version=loaded))
    assert response.status_code == 409
    body = response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "项目Q3推广跨部门协作会"  # nothing saved
    assert "Someone else changed this meeting" in body
    assert 'value="我输入的新标题"' in body  # the typed title is still in the form
    assert "5楼大会议室" in body and "张主持" in body  # their change and who made it
    assert f'name="version" value="{meeting.version}"' in body
    # Saving again from the refreshed form applies the typed values knowingly.
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), _form_data(
        title="我输入的新标题", start="2026-06-15T14:00", end="2026-06-15T15:30", version=meeting.version))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "我输入的新标题"


def test_a_participant_who_is_not_host_or_recorder_may_not_edit(client, people, meeting):
    client.force_login(people["member"])
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 403
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), _form_data(version=meeting.version))
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "项目Q3推广跨部门协作会"


def test_an_outsider_gets_404_from_the_detail_and_edit_pages(client, people, meeting):
    client.force_login(people["outsider"])
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), _form_data()).status_code == 404


def test_pages_ask_anonymous_visitors_to_log_in(client, meeting):
    for url in (reverse("meetings:list"), reverse("meetings:create"), reverse("meetings:detail", args=[meeting.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_cancelled_meeting_cannot_be_edited_and_the_page_says_why(client, people, meeting):
    from closeloop.meetings.services.notice import meeting_cancel

    meeting_cancel(actor=people["host"], meeting=meeting, reason="改期")
    meeting.refresh_from_db()
    people["host"].language = "en"
    people["host"].save()
    client.force_login(people["host"])
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:edit", args=[meeting.pk]) not in detail and 'id="topic-add-form"' not in detail
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), _form_data(
        title="改个标题", start="2026-06-15T14:00", end="2026-06-15T15:30", version=meeting.version))
    assert response.status_code == 200
    assert "State: This meeting is cancelled" in response.content.decode()
