"""Reads: who sees which item, the SMART context from the database, and the open items to review."""

import datetime as dt

import pytest
from django.http import Http404

from closeloop.actions.selectors.items import (
    item_for_user,
    items_visible_to,
    open_items_for_review,
    present_or_informed,
    smart_findings_for,
)
from closeloop.actions.services.items import action_item_create, action_item_set_status
from closeloop.actions.tests.conftest import item_data, later
from closeloop.conftest import at, make_person
from closeloop.meetings.choices import ParticipantRole, Response
from closeloop.meetings.models import Participant
from closeloop.meetings.services.planning import meeting_create, meeting_update, participant_set
from closeloop.meetings.services.series import series_create
from closeloop.org.models import Project
from closeloop.org.selectors import policy_for
from closeloop.record.models import Attendance, MeetingRecord
from closeloop.workcal.models import CalendarDay

pytestmark = pytest.mark.django_db


def visible(person):
    return set(items_visible_to(person).values_list("pk", flat=True))


def test_meeting_viewers_see_its_items_and_outsiders_do_not(people, item):
    for name in ("admin", "host", "recorder", "member", "head"):
        assert visible(people[name]) == {item.pk}, name
    assert visible(people["outsider"]) == set()
    with pytest.raises(Http404):
        item_for_user(people["outsider"], item.pk)


def test_a_confidential_meetings_item_stays_visible_to_the_owners_head(people, meeting, item):
    meeting_update(actor=people["host"], meeting=meeting, data={"confidential": True})
    assert visible(people["head"]) == {item.pk}


def test_owner_collaborators_and_creator_see_an_item_without_a_meeting(people, org):
    finance_head = make_person(org, "cfo", people["departments"]["finance"])
    people["departments"]["finance"].head = finance_head
    people["departments"]["finance"].save()
    item = action_item_create(actor=people["host"], organisation=org,
                              data=item_data(people, owner=people["outsider"], collaborators=[people["member"]]))
    for person in (people["host"], people["outsider"], people["member"], finance_head, people["admin"]):
        assert visible(person) == {item.pk}, person
    assert visible(people["recorder"]) == set() and visible(people["head"]) == set()


def test_a_collaborator_on_two_items_sees_each_once(people, meeting):
    for _ in range(2):
        action_item_create(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                           data=item_data(people, collaborators=[people["outsider"], people["head"]]))
    assert items_visible_to(people["outsider"]).count() == 2


def test_an_inactive_person_sees_nothing(people, item):
    people["member"].is_active = False
    people["member"].save()
    assert visible(people["member"]) == set()


def test_item_for_user_refuses_garbage_ids(people):
    with pytest.raises(Http404):
        item_for_user(people["admin"], "abc")


# --- Who knows about the item --------------------------------------------------------------

def test_before_sign_in_every_participant_who_did_not_decline_counts(people, meeting):
    assert present_or_informed(meeting) == {people["host"].pk, people["recorder"].pk, people["member"].pk}
    Participant.objects.filter(meeting=meeting, person=people["member"]).update(
        response=Response.SUBSTITUTE, substitute=people["head"])
    Participant.objects.filter(meeting=meeting, person=people["recorder"]).update(response=Response.DECLINED)
    assert present_or_informed(meeting) == {people["host"].pk, people["member"].pk, people["head"].pk}


def test_after_sign_in_the_present_the_substitutes_and_the_informed_count(people, meeting):
    participant_set(actor=people["host"], meeting=meeting, person=people["outsider"],
                    roles=[ParticipantRole.INFORMED])
    record = MeetingRecord.objects.create(meeting=meeting)
    Attendance.objects.create(record=record, person=people["host"], presence="present")
    Attendance.objects.create(record=record, person=people["recorder"], presence="absent", reason="出差")
    Attendance.objects.create(record=record, person=people["member"], presence="substitute",
                              substitute=people["head"])
    assert present_or_informed(meeting) == {people["host"].pk, people["head"].pk, people["outsider"].pk}


def test_smart_findings_from_the_database_use_policy_calendar_and_attendance(people, meeting):
    record = MeetingRecord.objects.create(meeting=meeting)
    Attendance.objects.create(record=record, person=people["member"], presence="absent", reason="休假")
    CalendarDay.objects.create(organisation=meeting.organisation, date=dt.date(2026, 6, 17), kind="holiday",
                               name="公司年会")
    policy = policy_for(meeting.organisation)
    policy.vague_words = "择机"
    policy.smart_owner_mode = "block"
    policy.save()
    findings = smart_findings_for(meeting=meeting, data={
        "task": "择机推进", "owner": people["member"], "due": dt.date(2026, 6, 17), "deliverable": "方案"})
    by_rule = {f.rule: f for f in findings}
    assert set(by_rule) == {"vague", "due_not_working_day", "owner_not_present"}
    assert by_rule["due_not_working_day"].params["suggested_due"] == "2026-06-18"
    assert by_rule["owner_not_present"].blocking and not by_rule["vague"].blocking


def test_smart_findings_take_the_meeting_day_in_the_organisations_time_zone(people):
    # 00:30 in Shanghai is the previous day in UTC: the meeting day is still the 16th.
    meeting = meeting_create(actor=people["host"], data={"type": "decision", "title": "早会",
                                                         "start": at(2026, 6, 16, 0, 30), "end": at(2026, 6, 16, 1)})
    findings = smart_findings_for(meeting=meeting, data={"task": "t", "owner_id": people["host"].pk,
                                                         "due": dt.date(2026, 6, 15), "deliverable": "d"})
    assert [f.params.get("meeting_date") for f in findings] == ["2026-06-16"]


def test_smart_findings_cost_a_few_queries(people, meeting, django_assert_max_num_queries):
    policy_for(meeting.organisation)  # created on first use
    # organisation, policy, calendar days and years, participants, attendance
    with django_assert_max_num_queries(6):
        smart_findings_for(meeting=meeting, data={"task": "尽快", "owner_id": people["member"].pk})


# --- The previous meeting's open items ------------------------------------------------------

def _meeting(people, title, day, **data):
    return meeting_create(actor=people["host"], data={"type": "weekly_sync", "title": title,
                                                      "start": at(2026, 6, day, 10), "end": at(2026, 6, day, 10, 30),
                                                      **data})


def _item(people, meeting, task, **overrides):
    return action_item_create(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                              data=item_data(people, task=task, due=dt.date(2026, 6, 26), **overrides))


def test_the_review_lists_open_items_of_earlier_meetings_in_the_series(people, today):
    series = series_create(actor=people["host"], name="Q3推广周会")
    first = _meeting(people, "周会1", 1, series=series)
    second = _meeting(people, "周会2", 8, series=series)
    third = _meeting(people, "周会3", 15, series=series)
    later_one = _meeting(people, "周会4", 22, series=series)
    elsewhere = _meeting(people, "其他会", 2)
    open_one = _item(people, first, "旧任务")
    delayed = _item(people, second, "延期任务")
    action_item_set_status(actor=people["host"], item=delayed, status="delayed", reason="x", new_due=later(today, 3))
    done = _item(people, second, "已完成")
    action_item_set_status(actor=people["host"], item=done, status="done", note="ok")
    _item(people, third, "本次会议的任务")
    _item(people, later_one, "以后的任务")
    _item(people, elsewhere, "别的会")
    assert [i.task for i in open_items_for_review(third)] == ["旧任务", "延期任务"]
    assert open_items_for_review(third)[0].pk == open_one.pk


def test_without_a_series_the_review_takes_the_same_projects_meetings(people, org):
    project = Project.objects.create(organisation=org, name="新品上市")
    before = _meeting(people, "项目会1", 1, project=project)
    now = _meeting(people, "项目会2", 8, project=project)
    _item(people, before, "项目任务")
    _item(people, _meeting(people, "无项目", 2), "无关")
    assert [i.task for i in open_items_for_review(now)] == ["项目任务"]


def test_a_meeting_without_series_or_project_reviews_nothing(people, meeting):
    assert list(open_items_for_review(meeting)) == []
