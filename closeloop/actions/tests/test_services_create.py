"""Creating, editing and confirming action items through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.actions.choices import EventKind, ItemStatus
from closeloop.actions.models import ActionItem
from closeloop.actions.services.items import action_item_confirm, action_item_create, action_item_update
from closeloop.actions.tests.conftest import item_data
from closeloop.audit.models import AuditEntry
from closeloop.conftest import make_person
from closeloop.lib.errors import Conflict
from closeloop.org.models import Organisation, Project
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db


def create(people, meeting, actor="recorder", **overrides):
    return action_item_create(actor=people[actor], organisation=meeting.organisation,
                              data=item_data(people, **overrides), meeting=meeting)


def test_it_creates_an_item_with_its_history_and_audit_row(people, meeting):
    item = create(people, meeting)
    assert item.status == ItemStatus.NOT_STARTED and item.version == 1
    assert item.department == people["departments"]["sales"]  # the owner's department
    assert item.original_due == item.due == dt.date(2026, 6, 18)
    assert item.created_by == people["recorder"]
    assert [e.kind for e in item.events.all()] == [EventKind.CREATED]
    assert AuditEntry.objects.filter(action="action_item.create", object_id=str(item.pk)).count() == 1
    assert item.findings == []


def test_the_project_defaults_to_the_meetings(people, meeting):
    project = Project.objects.create(organisation=meeting.organisation, name="Q3推广")
    meeting.project = project
    meeting.save()
    assert create(people, meeting).project == project


def test_a_warning_does_not_stop_the_item_and_comes_back_with_it(people, meeting):
    item = create(people, meeting, task="市场部尽快出方案")
    assert [(f.rule, f.params["word"]) for f in item.findings] == [("vague", "尽快")]
    assert ActionItem.objects.filter(pk=item.pk).exists()


def test_a_blocking_finding_refuses_the_item_naming_the_field(people, meeting):
    with pytest.raises(ValidationError) as exc:
        create(people, meeting, deliverable="")  # missing parts block by default
    assert set(exc.value.message_dict) == {"deliverable"}
    assert not ActionItem.objects.exists()


def test_the_policy_can_make_vague_wording_block(people, meeting):
    policy = policy_for(meeting.organisation)
    policy.smart_vague_mode = "block"
    policy.vague_words = "择机"
    policy.save()
    with pytest.raises(ValidationError) as exc:
        create(people, meeting, task="择机推进渠道合作")
    assert "择机" in exc.value.message_dict["task"][0]
    assert create(people, meeting, task="尽快推进").findings == []  # no longer on the list


def test_the_policy_can_make_a_due_date_on_a_holiday_block(people, meeting):
    policy = policy_for(meeting.organisation)
    policy.smart_due_mode = "block"
    policy.save()
    with pytest.raises(ValidationError) as exc:
        create(people, meeting, due=dt.date(2026, 6, 20))
    assert "2026-06-22" in exc.value.message_dict["due"][0]


def test_an_owner_who_does_not_know_is_a_warning_by_default(people, meeting):
    item = create(people, meeting, owner=people["outsider"])
    assert [f.rule for f in item.findings] == ["owner_not_present"]


def test_an_empty_task_is_refused_even_when_missing_parts_only_warn(people, meeting):
    policy = policy_for(meeting.organisation)
    policy.smart_missing_mode = "warn"
    policy.save()
    with pytest.raises(ValidationError) as exc:
        create(people, meeting, task="   ")
    assert "task" in exc.value.message_dict
    item = create(people, meeting, owner=None, due=None, deliverable="")
    assert {f.rule for f in item.findings} == {"owner_missing", "due_missing", "deliverable_missing"}


@pytest.mark.parametrize("actor", ["member", "head", "outsider"])
def test_only_the_host_recorder_or_admin_add_items_to_a_meeting(people, meeting, actor):
    with pytest.raises(PermissionDenied):
        create(people, meeting, actor=actor)


@pytest.mark.parametrize("actor", ["host", "recorder", "admin"])
def test_the_host_recorder_and_admin_add_items_to_a_meeting(people, meeting, actor):
    assert create(people, meeting, actor=actor).pk


def test_anyone_may_create_an_item_without_a_meeting(people, org):
    item = action_item_create(actor=people["outsider"], organisation=org,
                              data=item_data(people, owner=people["outsider"]))
    assert item.meeting is None and item.department == people["departments"]["finance"]


def test_it_refuses_an_owner_from_another_organisation(people, meeting):
    other = Organisation.objects.create(name="别家公司")
    stranger = make_person(other, "stranger")
    with pytest.raises(ValidationError) as exc:
        create(people, meeting, owner=stranger)
    assert set(exc.value.message_dict) == {"owner"}


def test_it_refuses_a_topic_of_another_meeting(people, meeting):
    from closeloop.meetings.services.planning import meeting_create

    other = meeting_create(actor=people["host"], data={"type": "decision", "title": "另一个会",
                                                       "start": meeting.start, "end": meeting.end})
    topic = meeting.topics.first()
    with pytest.raises(ValidationError) as exc:
        action_item_create(actor=people["host"], organisation=meeting.organisation, data=item_data(people),
                           meeting=other, topic=topic)
    assert set(exc.value.message_dict) == {"topic"}


def test_the_recorder_may_record_the_owners_confirmation_live(people, meeting):
    item = create(people, meeting, owner_confirmed=True)
    assert item.owner_confirmed and item.confirmed_at
    confirmed = item.events.get(kind=EventKind.CONFIRMED)
    assert confirmed.actor == people["recorder"]


def test_the_host_cannot_tick_confirmed_for_the_owner(people, meeting):
    with pytest.raises(ValidationError) as exc:
        create(people, meeting, actor="host", owner_confirmed=True)
    assert set(exc.value.message_dict) == {"owner_confirmed"}
    assert not ActionItem.objects.exists()


# --- Editing ------------------------------------------------------------------------------

def test_an_edit_bumps_the_version_and_writes_history(people, item):
    item = action_item_update(actor=people["host"], item=item, data={"task": "提交Q3推广预算明细表(含渠道)"},
                              version=1)
    assert item.version == 2
    assert item.events.last().kind == EventKind.EDITED and item.events.last().note == "task"
    assert AuditEntry.objects.filter(action="action_item.update").count() == 1


def test_an_edit_from_a_stale_copy_is_refused_and_changes_nothing(people, item):
    action_item_update(actor=people["host"], item=item, data={"support_needed": "无"}, version=1)
    with pytest.raises(Conflict) as exc:
        action_item_update(actor=people["member"], item=item, data={"task": "别的"}, version=1)
    assert exc.value.current_version == 2
    assert ActionItem.objects.get(pk=item.pk).task == "提交Q3推广预算明细表"


def test_an_edit_without_changes_writes_nothing(people, item):
    action_item_update(actor=people["host"], item=item, data={"task": item.task})
    assert ActionItem.objects.get(pk=item.pk).version == 1


def test_a_draft_due_date_moves_with_its_original(people, item):
    item = action_item_update(actor=people["recorder"], item=item, data={"due": dt.date(2026, 6, 22)})
    assert item.due == item.original_due == dt.date(2026, 6, 22)


def test_once_confirmed_the_due_date_moves_only_by_a_delay(people, item):
    action_item_confirm(actor=people["member"], item=item)
    with pytest.raises(ValidationError) as exc:
        action_item_update(actor=people["host"], item=item, data={"due": dt.date(2026, 6, 22)})
    assert set(exc.value.message_dict) == {"due"}


def test_a_new_owner_must_confirm_again(people, item):
    action_item_confirm(actor=people["member"], item=item)
    item = action_item_update(actor=people["host"], item=item, data={"owner": people["host"]})
    assert not item.owner_confirmed and item.department == people["departments"]["market"]


def test_only_the_changed_fields_can_be_blocked(people, item):
    policy = policy_for(item.organisation)
    policy.smart_vague_mode = "block"
    policy.save()
    ActionItem.objects.filter(pk=item.pk).update(task="尽快提交")  # older than the stricter policy
    item = action_item_update(actor=people["host"], item=item, data={"support_needed": "无"})
    assert item.version == 2
    with pytest.raises(ValidationError) as exc:
        action_item_update(actor=people["host"], item=item, data={"task": "再看看"})
    assert set(exc.value.message_dict) == {"task"}


@pytest.mark.parametrize("actor", ["head", "outsider"])
def test_people_who_are_not_owner_host_recorder_or_admin_cannot_edit(people, item, actor):
    with pytest.raises(PermissionDenied):
        action_item_update(actor=people[actor], item=item, data={"task": "x"})


def test_the_owner_can_edit_their_item(people, item):
    assert action_item_update(actor=people["member"], item=item, data={"support_needed": "无"}).version == 2


def test_collaborators_are_replaced_and_recorded(people, item):
    item = action_item_update(actor=people["host"], item=item, data={"collaborators": [people["head"]]})
    assert list(item.collaborators.all()) == [people["head"]]
    assert item.events.last().note == "collaborators"


# --- Confirming ---------------------------------------------------------------------------

def test_the_owner_confirms_their_item(people, item):
    item = action_item_confirm(actor=people["member"], item=item, version=1)
    assert item.owner_confirmed and item.version == 2
    assert item.events.last().kind == EventKind.CONFIRMED and item.events.last().actor == people["member"]
    entry = AuditEntry.objects.get(action="action_item.confirm")
    assert entry.after["confirmed_by_owner_in_person"] is True


def test_the_recorder_confirms_on_the_owners_behalf_and_the_audit_says_so(people, item):
    action_item_confirm(actor=people["recorder"], item=item)
    entry = AuditEntry.objects.get(action="action_item.confirm")
    assert entry.actor == people["recorder"] and entry.after["confirmed_by_owner_in_person"] is False


@pytest.mark.parametrize("actor", ["host", "admin", "head", "outsider"])
def test_nobody_else_confirms_for_the_owner(people, item, actor):
    with pytest.raises(PermissionDenied):
        action_item_confirm(actor=people[actor], item=item)
    assert not ActionItem.objects.get(pk=item.pk).owner_confirmed


def test_confirming_twice_changes_nothing(people, item):
    action_item_confirm(actor=people["member"], item=item)
    item = action_item_confirm(actor=people["member"], item=item)
    assert item.version == 2 and item.events.filter(kind=EventKind.CONFIRMED).count() == 1
