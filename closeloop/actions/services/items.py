"""Writes for action items. Each is one transaction, checks permission, writes the audit row and a history event.

Pages, the API, the live record and commands all call these; none of them writes to the models directly.
A save from a stale copy (older `version`) is refused with Conflict.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.actions.choices import EventKind, ItemStatus
from closeloop.actions.models import ActionItem, ActionItemEvent
from closeloop.actions.rules import FINAL_STATUSES, blocking_errors, can_transition
from closeloop.actions.selectors.items import (
    local_today,
    person_can_change,
    person_may_record_confirmation,
    smart_findings_for,
)
from closeloop.audit.services import audit_record, snapshot
from closeloop.lib.errors import Conflict
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.selectors import person_can_edit

ITEM_FIELDS = ["task", "owner", "department", "deliverable", "due", "support_needed", "project"]
AUDIT_FIELDS = ITEM_FIELDS + ["status", "progress", "owner_confirmed", "original_due", "version"]


def _snapshot(item):
    return snapshot(item, fields=AUDIT_FIELDS)


def _new_event(item, actor, kind, **fields):
    return ActionItemEvent(
        item=item, actor=actor if getattr(actor, "is_authenticated", False) else None, kind=kind, **fields)


def _event(item, actor, kind, **fields):
    event = _new_event(item, actor, kind, **fields)
    event.save()
    return event


def _lock(item, version):
    """The item re-read under a row lock; a stale version is a Conflict (nothing is saved)."""
    item = ActionItem.objects.select_for_update().select_related("organisation").get(pk=item.pk)
    if version is not None and int(version) != item.version:
        raise Conflict(
            _("Someone else changed this action item while you were editing it. "
              "Your changes were not saved; reload to see theirs, then apply yours again."),
            current_version=item.version,
        )
    return item


def _require_change(actor, item):
    if not person_can_change(actor, item):
        raise PermissionDenied(_("Only the owner, the meeting's host or recorder and administrators "
                                 "can change this action item."))


def _require_open(item):
    if item.status in FINAL_STATUSES:
        raise ValidationError({"status": _("This item is %(status)s; it can no longer be changed.")
                               % {"status": ItemStatus(item.status).label}})


def _check_people(organisation, data):
    owner = data.get("owner")
    if owner is not None and (owner.organisation_id != organisation.pk or not owner.is_active):
        raise ValidationError({"owner": _("Choose an active person of your organisation.")})
    for person in data.get("collaborators") or ():
        if person.organisation_id != organisation.pk or not person.is_active:
            raise ValidationError({"collaborators": _("Choose active people of your organisation.")})
    for name in ("department", "project"):
        obj = data.get(name)
        if obj is not None and obj.organisation_id != organisation.pk:
            raise ValidationError({name: _("Choose one of your organisation's entries.")})


def _check_findings(data, meeting, organisation, fields=None):
    """Refuse when a blocking SMART finding concerns one of `fields` (all fields when None)."""
    findings = smart_findings_for(data=data, meeting=meeting, organisation=organisation)
    errors = blocking_errors(findings, fields)
    if errors:
        raise ValidationError(errors)
    return [f for f in findings if not f.blocking]


def _check_meeting_parts(organisation, meeting, topic, decision):
    if meeting is None:
        if topic is not None or decision is not None:
            raise ValidationError({"meeting": _("A topic or a decision belongs to a meeting: give the meeting.")})
        return
    if meeting.organisation_id != organisation.pk:
        raise ValidationError({"meeting": _("Choose one of your organisation's entries.")})
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"meeting": _("This meeting is cancelled.")})
    if topic is not None and topic.meeting_id != meeting.pk:
        raise ValidationError({"topic": _("This topic belongs to another meeting.")})
    if decision is not None and decision.topic.meeting_id != meeting.pk:
        raise ValidationError({"decision": _("This decision belongs to another meeting.")})


def action_item_create_within(*, actor, organisation, data, meeting=None, topic=None, decision=None):
    """action_item_create for a caller that holds its own transaction and lets every error end it (the live
    record): the same work without a savepoint of its own, two statements fewer per item."""
    if actor.organisation_id != organisation.pk:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if meeting is not None and not person_can_edit(actor, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators add action items to a meeting."))
    _check_meeting_parts(organisation, meeting, topic, decision)
    data = dict(data)
    data["task"] = (data.get("task") or "").strip()
    data["deliverable"] = (data.get("deliverable") or "").strip()
    _check_people(organisation, data)
    if not data["task"]:
        raise ValidationError({"task": _("Say what has to be done.")})
    findings = _check_findings(data, meeting, organisation)
    owner = data.get("owner")
    item = ActionItem(
        organisation=organisation, meeting=meeting, topic=topic, decision=decision, created_by=actor,
        project=data.get("project") or (meeting.project if meeting is not None else None),
        task=data["task"], owner=owner, deliverable=data["deliverable"],
        department=data.get("department") or (owner.department if owner is not None else None),
        due=data.get("due"), original_due=data.get("due"), support_needed=(data.get("support_needed") or "").strip(),
    )
    if data.get("owner_confirmed"):
        if owner is None:
            raise ValidationError({"owner_confirmed": _("Name the owner before recording their confirmation.")})
        if not person_may_record_confirmation(actor, item):
            raise ValidationError({"owner_confirmed": _("Only the owner or the meeting's recorder can record "
                                                         "the owner's confirmation.")})
        item.owner_confirmed, item.confirmed_at = True, timezone.now()
    # The related rows were checked above (same organisation, same meeting): no query per key to find them again.
    item.full_clean(exclude=["organisation", "created_by", "meeting", "topic", "decision", "owner", "department",
                             "project"])
    item.save()
    if data.get("collaborators"):
        item.collaborators.set(data["collaborators"])
    events = [_new_event(item, actor, EventKind.CREATED, to_status=item.status, new_due=item.due)]
    if item.owner_confirmed:
        # The event's actor says who confirmed: the owner, or the recorder who recorded it live.
        events.append(_new_event(item, actor, EventKind.CONFIRMED))
    ActionItemEvent.objects.bulk_create(events)
    audit_record(actor=actor, action="action_item.create", obj=item, after=_snapshot(item))
    item.findings = findings
    return item


@transaction.atomic
def action_item_create(*, actor, organisation, data, meeting=None, topic=None, decision=None):
    """Create an item (in a meeting: host, recorder or admin). Blocking SMART findings refuse it;
    the others are returned on `item.findings` so the page can show them."""
    return action_item_create_within(actor=actor, organisation=organisation, data=data, meeting=meeting,
                                     topic=topic, decision=decision)


def _confirm(item, actor):
    item.owner_confirmed = True
    item.confirmed_at = timezone.now()
    item.save(update_fields=["owner_confirmed", "confirmed_at", "updated_at"])
    # The event's actor says who confirmed: the owner, or the recorder who recorded it live.
    _event(item, actor, EventKind.CONFIRMED)


def _is_draft(item):
    """Still being drafted: not confirmed by the owner and never moved. Its due date may still change freely."""
    return not item.owner_confirmed and item.status == ItemStatus.NOT_STARTED


@transaction.atomic
def action_item_update(*, actor, item, data, version=None):
    """Change an item's fields. Once the owner confirmed it, the due date moves only by a delay with a reason."""
    item = _lock(item, version)
    _require_change(actor, item)
    _require_open(item)
    _check_people(item.organisation, data)
    before, old_due = _snapshot(item), item.due
    changed = set()
    for field in ITEM_FIELDS:
        if field not in data:
            continue
        value = data[field].strip() if isinstance(data[field], str) else data[field]
        if getattr(item, field) != value:
            setattr(item, field, value)
            changed.add(field)
    new_collaborators = None
    if "collaborators" in data and {p.pk for p in data["collaborators"]} != set(
            item.collaborators.values_list("pk", flat=True)):
        new_collaborators = list(data["collaborators"])
        changed.add("collaborators")
    if not changed:
        return item
    if "task" in changed and not item.task:
        raise ValidationError({"task": _("Say what has to be done.")})
    if "due" in changed:
        if not _is_draft(item):
            raise ValidationError({"due": _("The owner has committed to this date: record a delay with a "
                                            "reason and the new date instead.")})
        item.original_due = item.due
    if "owner" in changed:
        # A new owner has not agreed to anything yet.
        item.owner_confirmed, item.confirmed_at = False, None
        if "department" not in data:
            item.department = item.owner.department if item.owner is not None else None
    current = {"task": item.task, "owner": item.owner, "due": item.due, "deliverable": item.deliverable}
    item.findings = _check_findings(current, item.meeting, item.organisation, fields=changed)
    item.full_clean(exclude=["organisation", "created_by"])
    item.version += 1
    item.save()
    if new_collaborators is not None:
        item.collaborators.set(new_collaborators)
    _event(item, actor, EventKind.EDITED, note=", ".join(sorted(changed)),
           old_due=old_due if "due" in changed else None, new_due=item.due if "due" in changed else None)
    audit_record(actor=actor, action="action_item.update", obj=item, before=before, after=_snapshot(item))
    return item


@transaction.atomic
def action_item_confirm(*, actor, item, version=None):
    """The owner confirms the item (or the recorder records their confirmation in the meeting)."""
    item = _lock(item, version)
    if not person_may_record_confirmation(actor, item):
        raise PermissionDenied(_("Only the owner, or the meeting's recorder on their behalf, can confirm "
                                 "this action item."))
    _require_open(item)
    if item.owner_id is None:
        raise ValidationError({"owner": _("Name the owner before recording their confirmation.")})
    if item.owner_confirmed:
        return item
    before = _snapshot(item)
    item.version += 1
    item.save(update_fields=["version", "updated_at"])
    _confirm(item, actor)
    audit_record(actor=actor, action="action_item.confirm", obj=item, before=before,
                 after={**_snapshot(item), "confirmed_by_owner_in_person": actor.pk == item.owner_id})
    return item


def _status_errors(item, status, reason, new_due, note):
    errors = {}
    if status == ItemStatus.DELAYED:
        if not reason:
            errors["reason"] = _("Say why the item is delayed.")
        if new_due is None:
            errors["new_due"] = _("Give the new due date.")
        elif new_due < local_today(item.organisation):
            errors["new_due"] = _("The new due date is in the past.")
        elif item.due is not None and new_due <= item.due:
            errors["new_due"] = _("The new due date must be after the current one (%(due)s).") % {
                "due": item.due.isoformat()}
    elif new_due is not None:
        errors["new_due"] = _("A new due date is only given with a delay.")
    if status == ItemStatus.DONE and not note:
        errors["note"] = _("Say what was delivered (the deliverable or where to find it).")
    if status == ItemStatus.CANCELLED and not reason:
        errors["reason"] = _("Say why the item is cancelled.")
    return errors


@transaction.atomic
def action_item_set_status(*, actor, item, status, reason="", new_due=None, note="", version=None):
    """Move the item along its state machine; a delay keeps its reason and both dates in the history."""
    item = _lock(item, version)
    _require_change(actor, item)
    if status not in ItemStatus.values:
        raise ValidationError({"status": _("Unknown status: %(status)s.") % {"status": status}})
    _require_open(item)
    if not can_transition(item.status, status):
        raise ValidationError({"status": _("An item that is %(current)s cannot become %(target)s.") % {
            "current": ItemStatus(item.status).label, "target": ItemStatus(status).label}})
    reason, note = (reason or "").strip(), (note or "").strip()
    errors = _status_errors(item, status, reason, new_due, note)
    if not errors and status == ItemStatus.DELAYED:
        draft = {"task": item.task, "owner": item.owner_id, "due": new_due, "deliverable": item.deliverable}
        errors = {("new_due" if f == "due" else f): msgs for f, msgs in blocking_errors(
            smart_findings_for(data=draft, meeting=item.meeting, organisation=item.organisation), {"due"}).items()}
    if errors:
        raise ValidationError(errors)
    before = _snapshot(item)
    old_status, old_due = item.status, item.due
    item.status = status
    if status == ItemStatus.DELAYED:
        item.due = new_due
    if status == ItemStatus.DONE:
        item.progress = 100
    if status in FINAL_STATUSES:
        item.closed_at = timezone.now()
    item.version += 1
    item.save()
    _event(item, actor, EventKind.DELAY if status == ItemStatus.DELAYED else EventKind.STATUS,
           from_status=old_status, to_status=status, reason=reason, note=note,
           old_due=old_due if status == ItemStatus.DELAYED else None,
           new_due=new_due if status == ItemStatus.DELAYED else None)
    audit_record(actor=actor, action="action_item.status", obj=item, before=before, after=_snapshot(item))
    return item


@transaction.atomic
def action_item_progress(*, actor, item, percent, note="", version=None):
    """Report progress (0–100 %); the first progress on an item not started moves it to in progress."""
    item = _lock(item, version)
    _require_change(actor, item)
    _require_open(item)
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Enter a whole number from 0 to 100.")})
    before = _snapshot(item)
    if item.status == ItemStatus.NOT_STARTED and percent > 0:
        _event(item, actor, EventKind.STATUS, from_status=item.status, to_status=ItemStatus.IN_PROGRESS)
        item.status = ItemStatus.IN_PROGRESS
    item.progress = percent
    item.version += 1
    item.save()
    _event(item, actor, EventKind.PROGRESS, progress=percent, note=(note or "").strip())
    audit_record(actor=actor, action="action_item.progress", obj=item, before=before, after=_snapshot(item))
    return item


@transaction.atomic
def action_item_discard(*, actor, item):
    """Remove an item recorded by mistake. Only one nobody has worked on yet (not started, no progress, no
    history beyond its creation and confirmation); anything later is cancelled with a reason instead."""
    item = _lock(item, None)
    _require_change(actor, item)
    worked_on = item.events.exclude(kind__in=[EventKind.CREATED, EventKind.CONFIRMED, EventKind.EDITED]).exists()
    if item.status != ItemStatus.NOT_STARTED or item.progress or worked_on:
        raise ValidationError({"status": _("Work on this item has started: cancel it with a reason instead of "
                                           "deleting it.")})
    before = _snapshot(item)
    pk = item.pk
    item.delete()
    audit_record(actor=actor, action="action_item.delete", object_type="actions.actionitem", object_id=pk,
                 before=before)
