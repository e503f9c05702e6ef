"""The agenda check read from the database: notice lead in working days, policy modes, query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from closeloop.conftest import at
from closeloop.meetings.agenda import agenda_blocking_findings, agenda_check_for
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.models import Meeting, Participant
from closeloop.meetings.services.planning import meeting_create, participant_set, topic_add
from closeloop.org.selectors import policy_for
from closeloop.workcal.models import CalendarYear

EARLY = at(2026, 6, 1, 9)  # two weeks before the fixture meeting (Monday 2026-06-15)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_fixture_meeting_planned_early_has_no_findings_and_a_sound_order(meeting):
    check = agenda_check_for(meeting, now=EARLY)
    assert check.findings == ()
    ids = list(meeting.topics.order_by("order").values_list("pk", flat=True))
    assert list(check.current_order) == ids
    # Information, discussion, decision: already the order a PMO would suggest.
    assert list(check.suggested_order) == ids and not check.order_changed


def test_the_notice_lead_counts_working_days_to_the_meeting(meeting):
    # Thursday 11 June -> Monday 15 June: Friday and Monday, 2 working days.
    [f] = agenda_check_for(meeting, now=at(2026, 6, 11, 9)).findings
    assert f.rule == "notice_lead" and f.numbers["workdays"] == 2 and not f.numbers["assumed"]
    # Wednesday 10 June: Thursday, Friday, Monday.
    assert agenda_check_for(meeting, now=at(2026, 6, 10, 9)).findings == ()


def test_the_notice_date_is_taken_in_the_organisations_time_zone(meeting):
    # 17:00 UTC on 10 June is already 01:00 on 11 June in Shanghai: only 2 working days remain.
    import datetime as dt

    late_utc = dt.datetime(2026, 6, 10, 17, 0, tzinfo=dt.UTC)
    assert [f.rule for f in agenda_check_for(meeting, now=late_utc).findings] == ["notice_lead"]


def test_a_sent_notice_is_counted_from_when_it_was_sent(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(notice_sent_at=at(2026, 6, 12, 10))
    meeting.refresh_from_db()
    [f] = agenda_check_for(meeting, now=EARLY).findings
    assert f.numbers["workdays"] == 1


def test_holidays_do_not_count_as_notice_days(people):
    # Dragon Boat Festival 2026 is Friday 19 June: Wednesday 17 -> Monday 22 is 2 working days, not 3.
    m = meeting_create(actor=people["host"], data={
        "type": "decision", "title": "端午后例会", "start": at(2026, 6, 22, 10), "end": at(2026, 6, 22, 11)})
    [f] = [f for f in agenda_check_for(m, now=at(2026, 6, 17, 9)).findings if f.rule == "notice_lead"]
    assert f.numbers["workdays"] == 2


def test_a_year_the_calendar_does_not_know_is_named_in_the_finding(people):
    m = meeting_create(actor=people["host"], data={
        "type": "decision", "title": "2027 kickoff", "start": at(2027, 3, 10, 10), "end": at(2027, 3, 10, 11)})
    [f] = [f for f in agenda_check_for(m, now=at(2027, 3, 8, 9)).findings if f.rule == "notice_lead"]
    assert f.numbers["assumed"] is True
    assert "2027" in f.message and "Monday to Friday" in f.message
    CalendarYear.objects.create(organisation=m.organisation, year=2027, source="test")
    [f] = [f for f in agenda_check_for(m, now=at(2027, 3, 8, 9)).findings if f.rule == "notice_lead"]
    assert f.numbers["assumed"] is False and "Monday to Friday" not in f.message


def test_the_policy_mode_decides_warn_or_block(meeting):
    late = at(2026, 6, 11, 9)
    assert agenda_blocking_findings(meeting, now=late) == []
    policy = policy_for(meeting.organisation)
    policy.notice_lead_mode = "block"
    policy.save()
    [f] = agenda_blocking_findings(meeting, now=late)
    assert f.rule == "notice_lead"


def test_removing_the_recorder_blocks_the_notice(meeting, people):
    Participant.objects.filter(meeting=meeting, person=people["recorder"]).delete()
    assert [f.rule for f in agenda_blocking_findings(meeting, now=EARLY)] == ["recorder"]


def test_a_presenter_who_is_not_invited_is_found(meeting, people):
    topic = meeting.topics.order_by("order").first()
    topic.presenter = people["outsider"]
    topic.save()
    [f] = [f for f in agenda_check_for(meeting, now=EARLY).findings if f.rule == "presenter_not_participant"]
    assert f.topic_id == topic.pk and "钱财务" in f.message


def _grow(meeting, people, n):
    for i in range(n):
        topic_add(actor=people["host"], meeting=meeting, data={
            "title": f"附加议题{i}", "minutes": 5, "kind": "inform", "presenter": people["member"]})
        extra = people.setdefault("extra", [])
        from closeloop.conftest import make_person

        person = make_person(meeting.organisation, f"extra{len(extra)}")
        extra.append(person)
        participant_set(actor=people["host"], meeting=meeting, person=person, roles=[ParticipantRole.INFORMED])


def test_the_check_takes_a_fixed_number_of_queries(meeting, people, django_assert_max_num_queries):
    policy_for(meeting.organisation)  # the policy row exists once an organisation is set up
    meeting = Meeting.objects.get(pk=meeting.pk)  # nothing cached
    with CaptureQueriesContext(connection) as small:
        agenda_check_for(meeting, now=EARLY)
    _grow(meeting, people, 6)
    meeting = Meeting.objects.get(pk=meeting.pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        check = agenda_check_for(meeting, now=EARLY)
    assert len(check.current_order) == 9
    # organisation, policy, calendar days and years, topics, participants, materials
    assert len(small.captured_queries) <= 7


def test_rows_the_detail_page_already_loaded_are_reused(meeting, django_assert_max_num_queries):
    from closeloop.meetings.selectors import meeting_detail

    policy_for(meeting.organisation)
    loaded = meeting_detail(meeting)
    with django_assert_max_num_queries(3):  # policy, calendar days, calendar years
        check = agenda_check_for(loaded, now=EARLY)
    assert check.findings == () and len(check.current_order) == 3
