"""The owner raises a risk: the meeting's host and the initiator are told at once, in the same transaction."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import ngettext

from closeloop.actions.choices import ItemStatus
from closeloop.actions.models import ActionItemEvent
from closeloop.audit.models import AuditEntry
from closeloop.followup.services import action_item_raise_risk, is_risk_event, risk_note
from closeloop.followup.tests.conftest import at, recipients
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.services.planning import participant_set
from closeloop.notify.models import OutboxMessage
from closeloop.org.models import Project
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def project(org, people):
    return Project.objects.create(organisation=org, name="Q3推广", lead=people["admin"])


@pytest.fixture
def item(new_item, meeting, people, project):
    # The meeting was created by the host; a second host helps run it.
    participant_set(actor=people["host"], meeting=meeting, person=people["outsider"], roles=[ParticipantRole.HOST])
    return new_item(D(2026, 12, 30), meeting=meeting, created_by=people["recorder"])


def test_the_hosts_the_initiator_and_the_project_lead_hear_but_not_the_owner(item, people, project):
    item.project = project
    item.save()
    event = action_item_raise_risk(actor=people["member"], item=item, note="财务数据延迟，预算表可能晚两天")
    assert recipients("risk") == ["admin", "host", "outsider"]
    assert {p.username for p in event.recipients} == {"admin", "host", "outsider"}
    message = OutboxMessage.objects.get(channel="email", recipient=people["host"])
    assert "财务数据延迟" in message.body_text and "王销售" in message.subject
    assert message.idempotency_key == f"risk:{event.pk}:{people['host'].pk}:email"
    assert is_risk_event(event) and risk_note(event) == "财务数据延迟，预算表可能晚两天"
    assert AuditEntry.objects.filter(action="action_item.risk", object_id=str(item.pk)).exists()


def test_a_risk_on_an_item_without_a_meeting_goes_to_its_creator(new_item, people):
    item = new_item(D(2026, 12, 30), created_by=people["recorder"])
    action_item_raise_risk(actor=people["member"], item=item, note="供应商延期")
    assert recipients("risk") == ["recorder"]


def test_only_the_owner_raises_a_risk(item, people):
    for who in ("host", "admin", "head", "recorder"):
        with pytest.raises(PermissionDenied):
            action_item_raise_risk(actor=people[who], item=item, note="x")
    assert not OutboxMessage.objects.exists()


def test_a_risk_needs_a_note_and_an_open_item(item, people):
    with pytest.raises(ValidationError) as error:
        action_item_raise_risk(actor=people["member"], item=item, note="   ")
    assert "note" in error.value.error_dict
    item.status = ItemStatus.DONE
    item.save()
    with pytest.raises(ValidationError) as error:
        action_item_raise_risk(actor=people["member"], item=item, note="太晚了")
    assert "status" in error.value.error_dict
    assert not ActionItemEvent.objects.exists() and not OutboxMessage.objects.exists()


def test_the_event_and_the_notifications_are_one_transaction(item, people):
    with pytest.raises(RuntimeError), transaction.atomic():
        action_item_raise_risk(actor=people["member"], item=item, note="风险")
        assert OutboxMessage.objects.exists()
        raise RuntimeError("the request failed after the service")
    assert not ActionItemEvent.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_risk_raised_later_than_the_policy_asks_says_so(new_item, people, meeting):
    item = new_item(D(2026, 10, 9), meeting=meeting)
    early = action_item_raise_risk(actor=people["member"], item=item, note="可能延迟", now=at(2026, 9, 30, 10))
    assert not early.late and early.workdays_left == 2  # 10-08 and 10-09
    event = action_item_raise_risk(actor=people["member"], item=item, note="来不及了", now=at(2026, 10, 9, 10))
    assert event.late and event.workdays_left == 0
    to_host = OutboxMessage.objects.filter(channel="email", recipient=people["host"])
    late = to_host.get(idempotency_key__startswith=f"risk:{event.pk}:")
    n = policy_for(item.organisation).risk_warning_workdays
    with translation.override("zh-hans"):  # the host reads Chinese
        says_late = ngettext(
            "This warning comes later than your policy asks (at least %(n)s working day before the due date).",
            "This warning comes later than your policy asks (at least %(n)s working days before the due date).",
            n) % {"n": n}
    assert says_late in late.body_text
    on_time = to_host.get(idempotency_key__startswith=f"risk:{early.pk}:")
    assert says_late not in on_time.body_text


def test_each_risk_raised_is_a_message_of_its_own(item, people):
    action_item_raise_risk(actor=people["member"], item=item, note="第一次预警")
    action_item_raise_risk(actor=people["member"], item=item, note="第二次预警")
    assert OutboxMessage.objects.filter(channel="email", recipient=people["host"]).count() == 2
