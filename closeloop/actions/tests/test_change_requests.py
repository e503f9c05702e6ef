"""Changes of date or scope: only the owner asks, only the initiator decides, the history keeps every date
and reason, and both sides are told through the outbox."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from closeloop.actions.choices import ChangeState, EventKind, ItemStatus
from closeloop.actions.models import ActionItem, ChangeRequest
from closeloop.actions.services.changes import (
    change_request_accept,
    change_request_ask,
    change_request_refuse,
    change_request_withdraw,
    initiators_of,
)
from closeloop.actions.services.items import action_item_confirm, action_item_create, action_item_set_status
from closeloop.actions.tests.conftest import item_data, later
from closeloop.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(people, item):
    return action_item_confirm(actor=people["member"], item=item)


def ask_date(people, item, today, days=10, reason="供应商报价延迟两周"):
    return change_request_ask(actor=people["member"], item=item, reason=reason, new_due=later(today, days))


def kinds(item):
    return list(item.events.values_list("kind", flat=True))


# --- Asking --------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["host", "recorder", "admin", "head"])
def test_only_the_owner_asks(people, confirmed, today, who):
    with pytest.raises(PermissionDenied):
        change_request_ask(actor=people[who], item=confirmed, reason="想改", new_due=later(today, 10))
    assert not ChangeRequest.objects.exists()


def test_asking_needs_a_reason_and_a_real_change_naming_the_fields(people, confirmed, today):
    with pytest.raises(ValidationError) as exc:
        change_request_ask(actor=people["member"], item=confirmed, reason=" ", new_due=later(today, 10))
    assert set(exc.value.error_dict) == {"reason"}
    with pytest.raises(ValidationError) as exc:
        change_request_ask(actor=people["member"], item=confirmed, reason="原因", new_due=confirmed.due,
                           new_task=confirmed.task)
    assert set(exc.value.error_dict) == {"new_due"}
    with translation.override("en"), pytest.raises(ValidationError) as exc:  # as the English-speaking owner reads it
        change_request_ask(actor=people["member"], item=confirmed, reason="原因", new_due=later(today, -2))
    assert "in the past" in exc.value.error_dict["new_due"][0].messages[0]


def test_one_question_waits_at_a_time(people, confirmed, today):
    ask_date(people, confirmed, today)
    with pytest.raises(ValidationError) as exc:
        change_request_ask(actor=people["member"], item=confirmed, reason="再改", new_task="改成别的任务")
    assert "item" in exc.value.error_dict
    assert ChangeRequest.objects.count() == 1


def test_asking_keeps_what_the_item_said_and_tells_the_host(people, confirmed, today):
    change = change_request_ask(actor=people["member"], item=confirmed, reason="范围扩大", new_due=later(today, 12),
                                new_deliverable="预算明细表及敏感性分析")
    assert (change.kind, change.old_due, change.old_deliverable, change.state) == (
        "both", confirmed.due, "预算明细表经财务部签字确认", ChangeState.PENDING)
    event = confirmed.events.get(kind=EventKind.CHANGE_ASKED)
    assert (event.reason, event.new_due, event.actor) == ("范围扩大", later(today, 12), people["member"])
    mail = OutboxMessage.objects.get(channel="email")
    # The host also finds the request in the inbox, with the link to decide.
    assert OutboxMessage.objects.get(channel="inbox").link == mail.link
    assert mail.recipient == people["host"] and mail.idempotency_key == f"actions.change:{change.pk}:asked:" \
        f"{people['host'].pk}"
    assert "范围扩大" in mail.body_text and f"/actions/{confirmed.pk}/" in mail.body_text
    assert ActionItem.objects.get(pk=confirmed.pk).due == confirmed.due  # nothing changes before the answer


def test_a_closed_item_takes_no_change(people, confirmed, today):
    action_item_set_status(actor=people["member"], item=confirmed, status="done", note="已交")
    with pytest.raises(ValidationError) as exc:
        ask_date(people, confirmed, today)
    assert "status" in exc.value.error_dict


# --- Deciding ------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["member", "recorder", "admin", "head", "outsider"])
def test_only_the_initiator_decides(people, confirmed, today, who):
    change = ask_date(people, confirmed, today)
    with pytest.raises(PermissionDenied):
        change_request_accept(actor=people[who], change=change)
    with pytest.raises(PermissionDenied):
        change_request_refuse(actor=people[who], change=change, comment="不同意")
    assert ChangeRequest.objects.get(pk=change.pk).state == ChangeState.PENDING


def test_accepting_a_date_records_it_like_a_delay_and_keeps_the_original(people, confirmed, today):
    first_due = confirmed.due
    change = ask_date(people, confirmed, today)
    change_request_accept(actor=people["host"], change=change, comment="同意, 请同步财务部")
    item = ActionItem.objects.get(pk=confirmed.pk)
    assert (item.due, item.original_due, item.status) == (later(today, 10), first_due, ItemStatus.DELAYED)
    delay = item.events.get(kind=EventKind.DELAY)
    assert (delay.old_due, delay.new_due, delay.reason, delay.actor) == (
        first_due, later(today, 10), "供应商报价延迟两周", people["host"])
    assert kinds(item)[-3:] == [EventKind.CHANGE_ASKED, EventKind.DELAY, EventKind.CHANGE_ACCEPTED]
    change.refresh_from_db()
    assert (change.state, change.decided_by, change.comment) == (ChangeState.ACCEPTED, people["host"],
                                                                 "同意, 请同步财务部")


def test_a_second_revision_keeps_both_in_the_history(people, confirmed, today):
    first_due = confirmed.due
    change_request_accept(actor=people["host"], change=ask_date(people, confirmed, today, 10, "第一次"))
    change_request_accept(actor=people["host"], change=ask_date(people, confirmed, today, 20, "第二次"))
    delays = list(ActionItem.objects.get(pk=confirmed.pk).events.filter(kind=EventKind.DELAY)
                  .values_list("old_due", "new_due", "reason"))
    assert delays == [(first_due, later(today, 10), "第一次"), (later(today, 10), later(today, 20), "第二次")]


def test_accepting_a_scope_rewrites_task_and_deliverable(people, confirmed, today):
    change = change_request_ask(actor=people["member"], item=confirmed, reason="口径调整",
                                new_task="提交Q3推广预算明细表(含线上渠道)", new_deliverable="明细表经财务与市场双签")
    change_request_accept(actor=people["host"], change=change)
    item = ActionItem.objects.get(pk=confirmed.pk)
    assert (item.task, item.deliverable, item.status, item.due) == (
        "提交Q3推广预算明细表(含线上渠道)", "明细表经财务与市场双签", ItemStatus.NOT_STARTED, confirmed.due)
    assert item.events.filter(kind=EventKind.EDITED, note="task, deliverable").exists()


def test_refusing_needs_a_comment_and_leaves_the_item_as_it_was(people, confirmed, today):
    change = ask_date(people, confirmed, today)
    with pytest.raises(ValidationError) as exc:
        change_request_refuse(actor=people["host"], change=change, comment="  ")
    assert set(exc.value.error_dict) == {"comment"}
    change_request_refuse(actor=people["host"], change=change, comment="本周必须完成, 财务部可协助")
    item = ActionItem.objects.get(pk=confirmed.pk)
    assert (item.due, item.status) == (confirmed.due, ItemStatus.NOT_STARTED)
    assert item.events.get(kind=EventKind.CHANGE_REFUSED).note == "本周必须完成, 财务部可协助"
    with pytest.raises(ValidationError):  # answered once, for good
        change_request_accept(actor=people["host"], change=change)


@pytest.mark.parametrize("decide", ["accept", "refuse"])
def test_both_sides_hear_of_the_decision_each_in_their_language(people, confirmed, today, decide):
    change = ask_date(people, confirmed, today)
    if decide == "accept":
        change_request_accept(actor=people["host"], change=change)
    else:
        change_request_refuse(actor=people["host"], change=change, comment="不行")
    state = "accepted" if decide == "accept" else "refused"
    mails = {m.recipient.username: m for m in OutboxMessage.objects.filter(
        kind=f"action_item.change_{state}", channel="email")}
    assert set(mails) == {"member", "host"}
    assert mails["member"].idempotency_key == f"actions.change:{change.pk}:{state}:{people['member'].pk}"
    assert f"Change {state}" in mails["member"].subject  # the owner reads English
    assert mails["member"].headers["Content-Language"] == "en"


def test_without_a_meeting_the_items_creator_decides(people, org, today):
    item = action_item_create(actor=people["host"], organisation=org, data=item_data(people, due=later(today, 3)))
    assert initiators_of(item) == [people["host"]]
    change = ask_date(people, item, today)
    with pytest.raises(PermissionDenied):
        change_request_accept(actor=people["admin"], change=change)
    change_request_accept(actor=people["host"], change=change)
    assert ActionItem.objects.get(pk=item.pk).due == later(today, 10)


def test_the_owner_withdraws_a_question_not_yet_answered(people, confirmed, today):
    change = ask_date(people, confirmed, today)
    with pytest.raises(PermissionDenied):
        change_request_withdraw(actor=people["host"], change=change)
    change_request_withdraw(actor=people["member"], change=change)
    assert ChangeRequest.objects.get(pk=change.pk).state == ChangeState.WITHDRAWN
    ask_date(people, confirmed, today, 12, "再问一次")  # a new question may follow
