"""An item's state machine: allowed and refused transitions, delays with reasons, progress, who may."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closeloop.actions.choices import EventKind, ItemStatus
from closeloop.actions.models import ActionItem
from closeloop.actions.rules import FINAL_STATUSES, TRANSITIONS
from closeloop.actions.services.items import action_item_create, action_item_progress, action_item_set_status
from closeloop.actions.tests.conftest import item_data, later
from closeloop.lib.errors import Conflict
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db


def status(people, item, target, actor="member", **kwargs):
    return action_item_set_status(actor=people[actor], item=item, status=target, **kwargs)


# Enough to pass each target's own requirements.
def needs(target, item, today):
    if target == ItemStatus.DELAYED:
        return {"reason": "供应商报价延迟", "new_due": max(today, item.due) + dt.timedelta(days=3)}
    if target == ItemStatus.DONE:
        return {"note": "明细表已提交财务部"}
    if target == ItemStatus.CANCELLED:
        return {"reason": "活动取消"}
    return {}


@pytest.mark.parametrize("target", ["in_progress", "done", "delayed", "cancelled"])
def test_a_new_item_may_go_anywhere_but_back(people, item, today, target):
    item = status(people, item, target, **needs(target, item, today))
    assert item.status == target and item.version == 2


@pytest.mark.parametrize("start, target", [
    (s, t) for s in ("not_started", "in_progress", "delayed", "done", "cancelled")
    for t in ItemStatus.values if t not in TRANSITIONS[s]
])
def test_it_refuses_a_transition_the_state_machine_does_not_list(people, item, today, start, target):
    ActionItem.objects.filter(pk=item.pk).update(status=start)
    with pytest.raises(ValidationError) as exc:
        status(people, item, target, **needs(target, item, today))
    assert set(exc.value.message_dict) == {"status"}
    assert ActionItem.objects.get(pk=item.pk).status == start


def test_an_unknown_status_is_refused_naming_the_field(people, item):
    with pytest.raises(ValidationError) as exc:
        status(people, item, "paused")
    assert set(exc.value.message_dict) == {"status"}


def test_a_delay_needs_a_reason_and_a_new_date(people, item):
    with pytest.raises(ValidationError) as exc:
        status(people, item, ItemStatus.DELAYED, reason="  ")
    assert set(exc.value.message_dict) == {"reason", "new_due"}


def test_a_delay_to_a_past_date_is_refused(people, item, today):
    with pytest.raises(ValidationError) as exc:
        status(people, item, ItemStatus.DELAYED, reason="x", new_due=today - dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"new_due"}


def test_a_delay_must_move_the_date_later(people, item, today):
    item = status(people, item, ItemStatus.DELAYED, reason="等待数据", new_due=later(today, 10))
    with pytest.raises(ValidationError) as exc:
        status(people, item, ItemStatus.DELAYED, reason="再延", new_due=later(today, 10))
    assert "new_due" in exc.value.message_dict


def test_a_delay_keeps_reason_and_both_dates_in_history_and_the_original_due(people, item, today):
    new_due = later(today, 7)
    item = status(people, item, ItemStatus.DELAYED, reason="供应商报价延迟", new_due=new_due)
    assert item.due == new_due and item.original_due == dt.date(2026, 6, 18)
    event = item.events.last()
    assert (event.kind, event.reason, event.old_due, event.new_due) == (
        EventKind.DELAY, "供应商报价延迟", dt.date(2026, 6, 18), new_due)
    item = status(people, item, ItemStatus.DELAYED, reason="再次延期", new_due=later(today, 14))
    delays = list(item.events.filter(kind=EventKind.DELAY).values_list("old_due", "new_due"))
    assert delays == [(dt.date(2026, 6, 18), new_due), (new_due, later(today, 14))]


def test_a_delay_onto_a_holiday_is_refused_when_the_policy_blocks_due_dates(people, item):
    policy = policy_for(item.organisation)
    policy.smart_due_mode = "block"
    policy.save()
    with pytest.raises(ValidationError) as exc:
        status(people, item, ItemStatus.DELAYED, reason="x", new_due=dt.date(2027, 1, 2))  # a Saturday
    assert set(exc.value.message_dict) == {"new_due"}


def test_a_new_date_without_a_delay_is_refused(people, item, today):
    with pytest.raises(ValidationError) as exc:
        status(people, item, ItemStatus.IN_PROGRESS, new_due=later(today, 3))
    assert set(exc.value.message_dict) == {"new_due"}


def test_done_needs_a_note_of_what_was_delivered(people, item):
    with pytest.raises(ValidationError) as exc:
        status(people, item, ItemStatus.DONE)
    assert set(exc.value.message_dict) == {"note"}
    item = status(people, item, ItemStatus.DONE, note="已提交, 见共享盘/预算/Q3.xlsx")
    assert item.progress == 100 and item.closed_at is not None


def test_cancelling_needs_a_reason(people, item):
    with pytest.raises(ValidationError) as exc:
        status(people, item, ItemStatus.CANCELLED)
    assert set(exc.value.message_dict) == {"reason"}


@pytest.mark.parametrize("final", ["done", "cancelled"])
def test_a_closed_item_refuses_every_change_naming_status(people, item, today, final):
    item = status(people, item, final, **needs(final, item, today))
    for target in ItemStatus.values:
        with pytest.raises(ValidationError) as exc:
            status(people, item, target, **needs(target, item, today))
        assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        action_item_progress(actor=people["member"], item=item, percent=10)
    assert "status" in exc.value.message_dict


@pytest.mark.parametrize("actor", ["member", "host", "recorder", "admin"])
def test_the_owner_host_recorder_and_admin_may_change_the_status(people, item, actor):
    assert status(people, item, ItemStatus.IN_PROGRESS, actor=actor).status == ItemStatus.IN_PROGRESS


@pytest.mark.parametrize("actor", ["head", "outsider"])
def test_others_may_not_change_the_status(people, item, actor):
    with pytest.raises(PermissionDenied):
        status(people, item, ItemStatus.IN_PROGRESS, actor=actor)


def test_without_a_meeting_the_creator_may_change_it(people, org):
    item = action_item_create(actor=people["outsider"], organisation=org, data=item_data(people))
    assert status(people, item, ItemStatus.IN_PROGRESS, actor="outsider").status == ItemStatus.IN_PROGRESS
    with pytest.raises(PermissionDenied):
        status(people, item, ItemStatus.CANCELLED, actor="host", reason="x")


def test_a_status_change_from_a_stale_copy_is_a_conflict(people, item):
    status(people, item, ItemStatus.IN_PROGRESS, version=1)
    with pytest.raises(Conflict):
        status(people, item, ItemStatus.CANCELLED, reason="x", version=1)


# --- Progress -----------------------------------------------------------------------------

def test_progress_on_a_new_item_starts_it(people, item):
    item = action_item_progress(actor=people["member"], item=item, percent=30, note="初稿完成")
    assert (item.status, item.progress) == (ItemStatus.IN_PROGRESS, 30)
    assert [e.kind for e in item.events.all()] == [EventKind.CREATED, EventKind.STATUS, EventKind.PROGRESS]
    assert item.events.last().note == "初稿完成"


def test_progress_keeps_a_delayed_item_delayed(people, item, today):
    item = status(people, item, ItemStatus.DELAYED, reason="x", new_due=later(today, 5))
    assert action_item_progress(actor=people["member"], item=item, percent=50).status == ItemStatus.DELAYED


@pytest.mark.parametrize("percent", [-1, 101, "abc", None])
def test_progress_outside_0_to_100_is_refused_naming_percent(people, item, percent):
    with pytest.raises(ValidationError) as exc:
        action_item_progress(actor=people["member"], item=item, percent=percent)
    assert set(exc.value.message_dict) == {"percent"}


def test_others_may_not_report_progress(people, item):
    with pytest.raises(PermissionDenied):
        action_item_progress(actor=people["head"], item=item, percent=10)


# --- Random sequences ---------------------------------------------------------------------

STEPS = st.lists(
    st.tuples(st.sampled_from(ItemStatus.values + ["progress"]), st.sampled_from(["member", "host"]),
              st.booleans(), st.integers(min_value=-3, max_value=20)),
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_random_sequences_keep_the_invariants(people, meeting, today, steps):
    item = action_item_create(actor=people["recorder"], organisation=meeting.organisation,
                              data=item_data(people), meeting=meeting)
    original_due = item.original_due
    for target, actor, complete, days in steps:
        before = ActionItem.objects.get(pk=item.pk)
        try:
            if target == "progress":
                action_item_progress(actor=people[actor], item=item, percent=days * 6)
            else:
                kwargs = needs(target, before, today) if complete else {}
                if target == ItemStatus.DELAYED and complete:
                    kwargs["new_due"] = max(today, before.due) + dt.timedelta(days=days)
                status(people, item, target, actor=actor, **kwargs)
        except ValidationError:
            after = ActionItem.objects.get(pk=item.pk)
            assert (after.status, after.version, after.due) == (before.status, before.version, before.due)
            continue
        after = ActionItem.objects.get(pk=item.pk)
        assert before.status not in FINAL_STATUSES, "a final status changed"
        assert after.version == before.version + 1
        if target != "progress":
            assert after.status in TRANSITIONS[before.status]
    final = ActionItem.objects.get(pk=item.pk)
    assert final.original_due == original_due
    for event in final.events.filter(kind=EventKind.DELAY):
        assert event.reason and event.new_due and event.old_due and event.new_due > event.old_due
    delays = list(final.events.filter(kind=EventKind.DELAY).order_by("id"))
    if delays:
        assert final.due == delays[-1].new_due
    else:
        assert final.due == original_due
    statuses = [e.to_status for e in final.events.exclude(to_status="").order_by("id")]
    assert statuses[-1] == final.status
    assert all(s not in FINAL_STATUSES for s in statuses[:-1])
