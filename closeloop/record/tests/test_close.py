"""Closing the meeting: the loop check from the database, warn or block per policy, audit, and the minutes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from closeloop.audit.models import AuditEntry
from closeloop.minutes.services import minutes_create_draft
from closeloop.org.selectors import policy_for
from closeloop.record.models import TopicRecord
from closeloop.record.selectors import loop_check_for
from closeloop.record.services import record as services
from closeloop.record.services.items import record_item_add, record_item_confirm
from closeloop.record.tests.conftest import item_data

pytestmark = pytest.mark.django_db


def rules(meeting):
    return [p.rule for p in loop_check_for(meeting)]


def set_mode(meeting, mode):
    policy = policy_for(meeting.organisation)
    policy.close_loop_mode = mode
    policy.save()


def test_each_open_point_appears_and_disappears_with_the_record(people, meeting, topics, record):
    recorder = people["recorder"]
    decide = topics[2]
    assert rules(meeting) == ["decide_topic_without_decision"]

    decision = services.decision_save(actor=recorder, meeting=meeting, topic=decide, data={"text": "市场部牵头"})
    assert rules(meeting) == ["decision_without_action"]

    item = record_item_add(actor=recorder, meeting=meeting, topic=decide, decision=decision, data=item_data(people))
    assert rules(meeting) == ["item_not_confirmed"]
    record_item_confirm(actor=recorder, meeting=meeting, item=item)
    assert rules(meeting) == []

    dis = services.disagreement_save(actor=recorder, meeting=meeting, topic=topics[1], data={"subject": "比例"})
    assert rules(meeting) == ["disagreement_without_path"]
    services.disagreement_save(actor=recorder, meeting=meeting, topic=topics[1], disagreement=dis, data={
        "subject": "比例", "path": "escalate", "escalate_to": people["head"]})
    assert rules(meeting) == ["disagreement_due_missing"]
    services.disagreement_save(actor=recorder, meeting=meeting, topic=topics[1], disagreement=dis, data={
        "subject": "比例", "path": "escalate", "escalate_to": people["head"], "due": dt.date(2026, 6, 17)})
    assert rules(meeting) == []


def test_a_reason_stands_in_for_a_decision(people, meeting, topics, record):
    services.topic_no_decision_reason(actor=people["recorder"], topic=topics[2], reason="等待财务测算")
    assert rules(meeting) == []
    services.topic_no_decision_reason(actor=people["recorder"], topic=topics[2], reason="  ")
    assert rules(meeting) == ["decide_topic_without_decision"]


def test_no_action_needed_closes_a_decision(people, meeting, topics, record):
    decision = services.decision_save(actor=people["recorder"], meeting=meeting, topic=topics[2],
                                      data={"text": "维持现有分工"})
    services.decision_save(actor=people["recorder"], meeting=meeting, topic=topics[2], decision=decision,
                           data={"no_action_needed": True})
    assert rules(meeting) == []


def test_warn_mode_lists_the_open_points_and_closes_only_when_confirmed(people, meeting, topics, record):
    set_mode(meeting, "warn")
    with pytest.raises(services.LoopOpen) as exc:
        services.record_close(actor=people["host"], meeting=meeting)
    assert exc.value.can_force and exc.value.mode == "warn"
    assert [p.rule for p in exc.value.points] == ["decide_topic_without_decision"]
    assert "loop" in exc.value.message_dict
    record.refresh_from_db()
    assert record.state == "open"

    closed = services.record_close(actor=people["host"], meeting=meeting, force=True)
    assert (closed.state, closed.closed_by) == ("closed", people["host"])
    entry = AuditEntry.objects.get(action="record.close")
    assert entry.after["forced"] is True
    assert entry.after["open_points"][0]["rule"] == "decide_topic_without_decision"


def test_block_mode_refuses_even_when_forced(people, meeting, topics, record):
    set_mode(meeting, "block")
    with pytest.raises(services.LoopOpen) as exc:
        services.record_close(actor=people["host"], meeting=meeting, force=True)
    assert not exc.value.can_force
    record.refresh_from_db()
    assert record.state == "open" and not AuditEntry.objects.filter(action="record.close").exists()
    services.topic_no_decision_reason(actor=people["host"], topic=topics[2], reason="延期到下周")
    assert services.record_close(actor=people["host"], meeting=meeting).state == "closed"


def test_only_host_recorder_and_admins_close(people, meeting, record):
    with pytest.raises(PermissionDenied):
        services.record_close(actor=people["member"], meeting=meeting, force=True)


def test_closing_stops_the_running_timer(people, meeting, topics, record):
    services.topic_timer(actor=people["recorder"], topic=topics[0], action="start")
    services.record_close(actor=people["recorder"], meeting=meeting, force=True)
    state = TopicRecord.objects.get(topic=topics[0])
    assert state.started_at is None


def test_the_minutes_are_drafted_from_the_closed_record(people, meeting, topics, record):
    services.attendance_set(actor=people["recorder"], meeting=meeting, person=people["member"], presence="absent",
                            reason="出差")
    decision = services.decision_save(actor=people["recorder"], meeting=meeting, topic=topics[2],
                                      data={"text": "市场部牵头推广", "no_objection": True})
    item = record_item_add(actor=people["recorder"], meeting=meeting, topic=topics[2], decision=decision,
                           data=item_data(people, owner_confirmed=True))
    assert item.owner_confirmed
    services.record_close(actor=people["host"], meeting=meeting)
    minutes = minutes_create_draft(actor=people["recorder"], meeting=meeting, language="zh-hans")
    assert "市场部牵头推广" in minutes.content["decisions"]
    assert "提交Q3推广预算明细表" in minutes.content["action_plan"]
    assert "出差" in minutes.content["absences"]
