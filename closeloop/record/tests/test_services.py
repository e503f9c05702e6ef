"""Writing the live record through the services: each bumps the revision (and its section), is audited,
and refuses people who may not record, a closed record and bad input naming the field."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.actions.models import ActionItem
from closeloop.audit.models import AuditEntry
from closeloop.meetings.services.planning import participant_respond, participant_set
from closeloop.org.selectors import policy_for
from closeloop.record.models import Attendance, MeetingRecord, TopicRecord
from closeloop.record.services import record as services
from closeloop.record.services.items import record_item_add, record_item_confirm
from closeloop.record.tests.conftest import item_data

pytestmark = pytest.mark.django_db


def revision(meeting):
    return MeetingRecord.objects.get(meeting=meeting).revision


def sections(meeting):
    return MeetingRecord.objects.get(meeting=meeting).section_revisions


def test_opening_is_idempotent_and_audited_once(people, meeting):
    first = services.record_open(actor=people["recorder"], meeting=meeting)
    again = services.record_open(actor=people["host"], meeting=meeting)
    assert first.pk == again.pk and first.state == "open"
    assert AuditEntry.objects.filter(action="record.open").count() == 1


@pytest.mark.parametrize("who", ["member", "head", "outsider"])
def test_only_host_recorder_and_admins_record(people, meeting, topics, who):
    with pytest.raises(PermissionDenied):
        services.note_add(actor=people[who], meeting=meeting, topic=topics[0], text="观点")
    assert not MeetingRecord.objects.filter(meeting=meeting).exists()
    services.note_add(actor=people["admin"], meeting=meeting, topic=topics[0], text="观点")


def test_a_cancelled_meeting_has_no_record(people, meeting):
    meeting.state = "cancelled"
    meeting.save()
    with pytest.raises(ValidationError) as exc:
        services.record_open(actor=people["host"], meeting=meeting)
    assert "meeting" in exc.value.message_dict


def test_sign_in_bumps_the_attendance_section(people, meeting, record):
    before = revision(meeting)
    services.attendance_set(actor=people["recorder"], meeting=meeting, person=people["member"], presence="present")
    assert revision(meeting) == before + 1
    assert sections(meeting)["attendance"] == before + 1


def test_an_absence_needs_a_reason_and_a_substitute_someone(people, meeting, record):
    member = people["member"]
    with pytest.raises(ValidationError) as exc:
        services.attendance_set(actor=people["recorder"], meeting=meeting, person=member, presence="absent")
    assert list(exc.value.message_dict) == ["reason"]
    with pytest.raises(ValidationError) as exc:
        services.attendance_set(actor=people["recorder"], meeting=meeting, person=member, presence="substitute")
    assert list(exc.value.message_dict) == ["substitute"]
    a = services.attendance_set(actor=people["recorder"], meeting=meeting, person=member, presence="substitute",
                                reason="出差", substitute=people["head"])
    assert (a.presence, a.substitute, a.reason) == ("substitute", people["head"], "出差")
    # Back to present: the substitute and reason go.
    a = services.attendance_set(actor=people["recorder"], meeting=meeting, person=member, presence="present",
                                reason="x", substitute=people["head"])
    assert (a.presence, a.substitute, a.reason) == ("present", None, "")
    assert Attendance.objects.filter(record=record).count() == 1


def test_only_participants_sign_in(people, meeting, record):
    with pytest.raises(ValidationError) as exc:
        services.attendance_set(actor=people["recorder"], meeting=meeting, person=people["outsider"],
                                presence="present")
    assert "person" in exc.value.message_dict


def test_signing_in_as_answered_follows_the_notice(people, meeting, record):
    participant_respond(participant=meeting.participants.get(person=people["member"]), response="substitute",
                        reason="出差", substitute=people["head"])
    count = services.attendance_confirm_suggested(actor=people["recorder"], meeting=meeting)
    rows = {a.person_id: a for a in Attendance.objects.filter(record=record)}
    assert count == 3  # host, recorder, member
    assert rows[people["member"].pk].presence == "substitute"
    assert rows[people["member"].pk].substitute == people["head"]
    assert rows[people["host"].pk].presence == "present"
    assert services.attendance_confirm_suggested(actor=people["recorder"], meeting=meeting) == 0


def test_a_declined_participant_is_signed_in_absent_with_their_reason(people, meeting, record):
    participant_respond(participant=meeting.participants.get(person=people["member"]), response="declined",
                        reason="客户拜访")
    services.attendance_confirm_suggested(actor=people["recorder"], meeting=meeting,
                                          person_ids=[people["member"].pk])
    a = Attendance.objects.get(record=record)
    assert (a.presence, a.reason) == ("absent", "客户拜访")


def test_cc_people_do_not_sign_in(people, meeting, record):
    participant_set(actor=people["host"], meeting=meeting, person=people["outsider"], roles=["cc"])
    services.attendance_confirm_suggested(actor=people["recorder"], meeting=meeting)
    assert not Attendance.objects.filter(person=people["outsider"]).exists()


def test_a_note_defaults_to_the_authors_department_and_bumps_its_topic(people, meeting, topics, record):
    note = services.note_add(actor=people["recorder"], meeting=meeting, topic=topics[1], text="  建议加大线上投放  ")
    assert note.department == people["departments"]["market"] and note.text == "建议加大线上投放"
    assert sections(meeting)[f"topic-{topics[1].pk}"] == revision(meeting)
    other = services.note_add(actor=people["recorder"], meeting=meeting, topic=topics[1], text="线下活动为主",
                              department=people["departments"]["sales"])
    assert other.department == people["departments"]["sales"]
    with pytest.raises(ValidationError) as exc:
        services.note_add(actor=people["recorder"], meeting=meeting, topic=topics[1], text="   ")
    assert "text" in exc.value.message_dict


def test_a_data_disagreement_becomes_an_action_item_due_after_the_follow_up_hours(people, meeting, topics, record):
    dis = services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topics[1], data={
        "subject": "线上线下预算比例", "parties": "市场部 vs 销售部", "positions": "市场部:7:3;销售部:5:5",
        "path": "data", "owner": people["member"], "data_needed": "Q2各渠道ROI对比表"})
    # The meeting ends Monday 2026-06-15 15:30; 24 h later is Tuesday the 16th, a working day.
    assert dis.due == dt.date(2026, 6, 16)
    item = ActionItem.objects.get(pk=dis.action_item_id)
    assert (item.owner, item.due, item.deliverable, item.topic) == (
        people["member"], dt.date(2026, 6, 16), "Q2各渠道ROI对比表", topics[1])
    assert "线上线下预算比例" in item.task


@pytest.mark.parametrize(("hours", "due"), [
    (48, dt.date(2026, 6, 17)),
    (96, dt.date(2026, 6, 22)),  # Friday the 19th is the Dragon Boat Festival: the next working day
])
def test_the_follow_up_hours_come_from_the_policy_and_the_calendar(people, meeting, topics, record, hours, due):
    policy = policy_for(meeting.organisation)
    policy.disagreement_followup_hours = hours
    policy.save()
    dis = services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topics[1], data={
        "subject": "比例", "path": "data", "owner": people["member"], "data_needed": "ROI"})
    assert dis.due == due


def test_changing_a_data_disagreement_keeps_its_action_item_in_step(people, meeting, topics, record):
    data = {"subject": "比例", "path": "data", "owner": people["member"], "data_needed": "ROI"}
    dis = services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topics[1], data=data)
    dis = services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topics[1], disagreement=dis,
                                     data={**data, "data_needed": "ROI与获客成本", "due": dt.date(2026, 6, 17)})
    assert ActionItem.objects.count() == 1
    item = ActionItem.objects.get()
    assert (item.deliverable, item.due) == ("ROI与获客成本", dt.date(2026, 6, 17))


def test_a_disagreement_names_the_missing_parts_of_its_path(people, meeting, topics, record):
    with pytest.raises(ValidationError) as exc:
        services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topics[1],
                                   data={"subject": "比例", "path": "data"})
    assert set(exc.value.message_dict) == {"owner", "data_needed"}
    with pytest.raises(ValidationError) as exc:
        services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topics[1],
                                   data={"subject": "比例", "path": "escalate"})
    assert set(exc.value.message_dict) == {"escalate_to"}
    dis = services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topics[1], data={
        "subject": "比例", "path": "escalate", "escalate_to": people["head"], "due": dt.date(2026, 6, 17),
        "owner": people["member"], "data_needed": "ignored"})
    assert (dis.escalate_to, dis.data_needed) == (people["head"], "")
    # The escalation is an item for the decider, due when the path says.
    assert (dis.action_item.owner, dis.action_item.due) == (people["head"], dt.date(2026, 6, 17))


def test_a_blocking_smart_finding_on_the_data_item_names_the_disagreement_field(people, meeting, topics, record):
    policy = policy_for(meeting.organisation)
    policy.smart_vague_mode = "block"
    policy.save()
    with pytest.raises(ValidationError) as exc:
        services.disagreement_save(actor=people["recorder"], meeting=meeting, topic=topics[1], data={
            "subject": "比例", "path": "data", "owner": people["member"], "data_needed": "数据待定"})
    assert "data_needed" in exc.value.message_dict
    assert not ActionItem.objects.exists()


def test_a_decision_and_its_no_action_flag(people, meeting, topics, record):
    dec = services.decision_save(actor=people["recorder"], meeting=meeting, topic=topics[2], data={
        "text": "市场部牵头,销售部配合", "decided_by": people["member"], "no_objection": True})
    assert (dec.decided_by, dec.no_objection, dec.no_action_needed) == (people["member"], True, False)
    dec = services.decision_save(actor=people["recorder"], meeting=meeting, topic=topics[2], decision=dec,
                                 data={"no_action_needed": True})
    assert (dec.text, dec.no_objection, dec.no_action_needed) == ("市场部牵头,销售部配合", True, True)
    with pytest.raises(ValidationError) as exc:
        services.decision_save(actor=people["recorder"], meeting=meeting, topic=topics[2], data={"text": ""})
    assert "text" in exc.value.message_dict


def test_a_decision_belongs_to_its_meetings_topic(people, meeting, topics, record, org):
    from closeloop.meetings.services.planning import meeting_create, topic_add

    other = meeting_create(actor=people["host"], data={
        "type": "decision", "title": "另一会议", "start": meeting.start, "end": meeting.end})
    foreign = topic_add(actor=people["host"], meeting=other, data={"order": 1, "title": "x", "minutes": 10})
    with pytest.raises(ValidationError) as exc:
        services.decision_save(actor=people["host"], meeting=meeting, topic=foreign, data={"text": "决议"})
    assert "topic" in exc.value.message_dict


def test_the_timer_runs_one_topic_at_a_time_and_keeps_the_time(people, meeting, topics, record):
    first = services.topic_timer(actor=people["recorder"], topic=topics[0], action="start")
    assert first.started_at is not None
    TopicRecord.objects.filter(pk=first.pk).update(started_at=first.started_at - dt.timedelta(minutes=3))
    second = services.topic_timer(actor=people["recorder"], topic=topics[1], action="start")
    first.refresh_from_db()
    assert first.started_at is None and 180 <= first.elapsed_seconds < 190
    assert second.started_at is not None
    stopped = services.topic_timer(actor=people["recorder"], topic=topics[1], action="stop")
    assert stopped.started_at is None
    with pytest.raises(ValidationError) as exc:
        services.topic_timer(actor=people["recorder"], topic=topics[1], action="pause")
    assert "action" in exc.value.message_dict


def test_an_action_item_from_the_record_bumps_its_topic(people, meeting, topics, record):
    before = revision(meeting)
    item = record_item_add(actor=people["recorder"], meeting=meeting, topic=topics[2], data=item_data(people))
    assert item.meeting == meeting and item.topic == topics[2]
    assert sections(meeting)[f"topic-{topics[2].pk}"] == before + 1
    record_item_confirm(actor=people["recorder"], meeting=meeting, item=item)
    item.refresh_from_db()
    assert item.owner_confirmed


def test_a_blocking_smart_finding_refuses_the_item_naming_the_field(people, meeting, topics, record):
    before = revision(meeting)
    with pytest.raises(ValidationError) as exc:
        record_item_add(actor=people["recorder"], meeting=meeting, topic=topics[2],
                        data=item_data(people, owner=None))  # missing owner blocks by default
    assert "owner" in exc.value.message_dict
    assert revision(meeting) == before and not ActionItem.objects.exists()


def test_a_closed_record_refuses_every_write(people, meeting, topics, record):
    services.topic_no_decision_reason(actor=people["host"], topic=topics[2], reason="待财务数据")
    services.record_close(actor=people["host"], meeting=meeting)
    with pytest.raises(ValidationError) as exc:
        services.note_add(actor=people["recorder"], meeting=meeting, topic=topics[0], text="迟到的观点")
    assert "record" in exc.value.message_dict
    with pytest.raises(ValidationError):
        record_item_add(actor=people["recorder"], meeting=meeting, topic=topics[2], data=item_data(people))


def test_deleting_a_row_is_audited(people, meeting, topics, record):
    note = services.note_add(actor=people["recorder"], meeting=meeting, topic=topics[0], text="写错了")
    services.record_row_delete(actor=people["recorder"], meeting=meeting, row=note)
    entry = AuditEntry.objects.get(action="record.note_delete")
    assert entry.before["text"] == "写错了"


def test_who_records_is_who_edits_the_meeting(people, meeting):
    from closeloop.meetings.selectors import person_can_edit
    from closeloop.record.selectors import person_can_record

    participant_set(actor=people["host"], meeting=meeting, person=people["head"], roles=["decision_maker", "host"])
    for who in ("admin", "host", "recorder", "member", "head", "outsider"):
        assert person_can_record(people[who], meeting) == person_can_edit(people[who], meeting), who
    assert person_can_record(people["head"], meeting) and not person_can_record(people["member"], meeting)
