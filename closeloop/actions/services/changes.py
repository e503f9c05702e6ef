"""Changes of date or scope asked by the owner and decided by the initiator (seed 002, stage 4).

The owner asks with a reason; the initiator (the meeting's host, or the item's creator when there is
no meeting) accepts or refuses with a comment. Accepting applies the change: a new date goes into the
history like a delay (old date, new date, the owner's reason), a new scope rewrites the task and the
deliverable. Both sides hear of it through the outbox, in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.actions.choices import ChangeKind, ChangeState, EventKind, ItemStatus
from closeloop.actions.models import ChangeRequest
from closeloop.actions.notifications import notify_change
from closeloop.actions.rules import blocking_errors, can_transition
from closeloop.actions.selectors.items import local_today, smart_findings_for
from closeloop.actions.services.items import _event, _lock, _require_open, _snapshot
from closeloop.audit.services import audit_record, snapshot
from closeloop.meetings.choices import ParticipantRole
from closeloop.org.models import Person

CHANGE_FIELDS = ["kind", "state", "reason", "old_due", "new_due", "new_task", "new_deliverable", "comment",
                 "requested_by", "decided_by"]


def initiators_of(item):
    """Who decides a change: the meeting's host(s); without a meeting (or host) the item's creator;
    failing both, the organisation's administrators."""
    if item.meeting_id is not None:
        hosts = list(Person.objects.filter(
            is_active=True, participations__meeting_id=item.meeting_id,
            participations__roles__regex=rf"(^|,){ParticipantRole.HOST}(,|$)",
        ).order_by("pk"))
        if hosts:
            return hosts
    if item.created_by_id is not None and item.created_by.is_active:
        return [item.created_by]
    return list(Person.objects.filter(organisation_id=item.organisation_id, role="admin", is_active=True)
                .order_by("pk"))


def person_may_decide(person, item):
    return person.is_authenticated and any(p.pk == person.pk for p in initiators_of(item))


def _clean_ask(item, new_due, new_task, new_deliverable, reason):
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the change is needed.")
    date_changes = new_due is not None and new_due != item.due
    task_changes = bool(new_task) and new_task != item.task
    deliverable_changes = bool(new_deliverable) and new_deliverable != item.deliverable
    if new_due is not None and not date_changes:
        errors["new_due"] = _("This is already the due date.")
    elif date_changes and new_due < local_today(item.organisation):
        errors["new_due"] = _("The new due date is in the past.")
    elif date_changes:
        draft = {"task": item.task, "owner": item.owner_id, "due": new_due, "deliverable": item.deliverable}
        findings = smart_findings_for(data=draft, meeting=item.meeting, organisation=item.organisation)
        blocking = blocking_errors(findings, {"due"})
        if blocking:
            errors["new_due"] = [m for msgs in blocking.values() for m in msgs]
    if not (date_changes or task_changes or deliverable_changes) and not errors:
        errors["new_due"] = _("Give a new due date, or a new task or deliverable.")
    if errors:
        raise ValidationError(errors)
    if date_changes and (task_changes or deliverable_changes):
        return ChangeKind.BOTH
    return ChangeKind.DATE if date_changes else ChangeKind.SCOPE


@transaction.atomic
def change_request_ask(*, actor, item, reason, new_due=None, new_task="", new_deliverable=""):
    """The owner asks to change the due date and/or the scope; one question waits at a time."""
    item = _lock(item, None)
    if item.owner_id is None or item.owner_id != actor.pk:
        raise PermissionDenied(_("Only the item's owner can ask for a change."))
    _require_open(item)
    reason, new_task = (reason or "").strip(), (new_task or "").strip()
    new_deliverable = (new_deliverable or "").strip()
    kind = _clean_ask(item, new_due, new_task, new_deliverable, reason)
    if ChangeRequest.objects.filter(item=item, state=ChangeState.PENDING).exists():
        raise ValidationError({"item": _("A change is already waiting for the initiator's answer.")})
    change = ChangeRequest(
        item=item, kind=kind, requested_by=actor, reason=reason,
        old_due=item.due, old_task=item.task, old_deliverable=item.deliverable,
        new_due=new_due if kind != ChangeKind.SCOPE else None,
        new_task=new_task if new_task != item.task else "",
        new_deliverable=new_deliverable if new_deliverable != item.deliverable else "",
    )
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:  # a second ask raced past the check above
        raise ValidationError({"item": _("A change is already waiting for the initiator's answer.")}) from None
    _event(item, actor, EventKind.CHANGE_ASKED, reason=reason, old_due=item.due if change.changes_date else None,
           new_due=change.new_due, note=_scope_note(change))
    audit_record(actor=actor, action="action_item.change_ask", obj=change, after=snapshot(change, CHANGE_FIELDS))
    notify_change(change, "asked", initiators_of(item))
    return change


def _scope_note(change):
    parts = []
    if change.new_task:
        parts.append(_("Task: %(text)s") % {"text": change.new_task})
    if change.new_deliverable:
        parts.append(_("Deliverable: %(text)s") % {"text": change.new_deliverable})
    return "\n".join(parts)


def _pending(change, actor, *, owner=False):
    """The change re-read under a lock, still pending, with its item locked; and the right to decide it."""
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    item = _lock(change.item, None)
    if change.state != ChangeState.PENDING:
        raise ValidationError({"state": _("This change was already answered (%(state)s).")
                               % {"state": ChangeState(change.state).label}})
    if owner:
        if item.owner_id != actor.pk:
            raise PermissionDenied(_("Only the item's owner can withdraw the change."))
    elif not person_may_decide(actor, item):
        raise PermissionDenied(_("Only the initiator (the meeting's host, or whoever created the item) "
                                 "decides a change."))
    return change, item


def _apply(change, item, actor, comment):
    if change.changes_date:
        old_status, old_due = item.status, item.due
        later = old_due is None or change.new_due > old_due
        if later and can_transition(item.status, ItemStatus.DELAYED):
            item.status = ItemStatus.DELAYED
        item.due = change.new_due
        # In the history like a delay: both dates and the owner's reason; the note says who agreed.
        _event(item, actor, EventKind.DELAY if later else EventKind.EDITED, from_status=old_status,
               to_status=item.status, old_due=old_due, new_due=item.due, reason=change.reason,
               note=_("Agreed by %(name)s.") % {"name": actor} + (f" {comment}" if comment else ""))
    if change.changes_scope:
        fields = []
        if change.new_task:
            item.task, fields = change.new_task, fields + ["task"]
        if change.new_deliverable:
            item.deliverable, fields = change.new_deliverable, fields + ["deliverable"]
        _event(item, actor, EventKind.EDITED, note=", ".join(fields), reason=change.reason)


@transaction.atomic
def change_request_accept(*, actor, change, comment=""):
    """The initiator agrees: the date and/or scope change is applied to the item."""
    change, item = _pending(change, actor)
    _require_open(item)
    comment = (comment or "").strip()
    before = _snapshot(item)
    _apply(change, item, actor, comment)
    item.full_clean(exclude=["organisation", "created_by"])
    item.version += 1
    item.save()
    _decide(change, actor, ChangeState.ACCEPTED, comment)
    _event(item, actor, EventKind.CHANGE_ACCEPTED, note=comment)
    audit_record(actor=actor, action="action_item.change_accept", obj=item, before=before, after=_snapshot(item))
    notify_change(change, "accepted", [item.owner, *initiators_of(item)])
    return change


@transaction.atomic
def change_request_refuse(*, actor, change, comment):
    """The initiator refuses, saying why; the item stays as it was."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why you refuse the change.")})
    change, item = _pending(change, actor)
    _decide(change, actor, ChangeState.REFUSED, comment)
    _event(item, actor, EventKind.CHANGE_REFUSED, note=comment, reason=change.reason)
    audit_record(actor=actor, action="action_item.change_refuse", obj=change, after=snapshot(change, CHANGE_FIELDS))
    notify_change(change, "refused", [item.owner, *initiators_of(item)])
    return change


@transaction.atomic
def change_request_withdraw(*, actor, change):
    """The owner takes the question back before it is answered."""
    change, item = _pending(change, actor, owner=True)
    _decide(change, actor, ChangeState.WITHDRAWN, "")
    _event(item, actor, EventKind.CHANGE_WITHDRAWN)
    audit_record(actor=actor, action="action_item.change_withdraw", obj=change,
                 after=snapshot(change, CHANGE_FIELDS))
    return change


def _decide(change, actor, state, comment):
    change.state, change.decided_by, change.decided_at, change.comment = state, actor, timezone.now(), comment
    change.save(update_fields=["state", "decided_by", "decided_at", "comment"])
