"""Follow-up writes: the owner raises a risk on an action item; the host and the initiator hear at once.

The history event, the audit row and every notification are written in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.actions.choices import OPEN_STATUSES, EventKind
from closeloop.actions.models import ActionItem, ActionItemEvent
from closeloop.actions.selectors.items import local_today
from closeloop.audit.services import audit_record
from closeloop.followup.notifications import item_link, notify_person
from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.choices import ParticipantRole
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for


def is_risk_event(event):
    return event.kind == EventKind.RISK


def risk_note(event):
    return event.note


def risk_recipients(item):
    """The meeting's hosts and its initiator (who created it), the project's lead; without a meeting or a
    project, the item's creator. Never the owner who raises it."""
    people = []
    meeting = item.meeting
    if meeting is not None:
        people += [p.person for p in meeting.participants.select_related("person")
                   if ParticipantRole.HOST in p.role_list]
        people.append(meeting.created_by)
    project = item.project or (meeting.project if meeting is not None else None)
    if project is not None:
        people.append(project.lead)
    if meeting is None and project is None:
        people.append(item.created_by)
    unique = {}
    for person in people:
        if person is not None and person.is_active and person.pk != item.owner_id:
            unique.setdefault(person.pk, person)
    return list(unique.values())


@transaction.atomic
def action_item_raise_risk(*, actor, item, note, now=None):
    """The owner warns that the item may not be delivered on time; returns the history event, with
    `recipients`, `workdays_left` and `late` (raised later than the policy's risk warning lead)."""
    item = (ActionItem.objects.select_for_update(of=("self",))
            .select_related("organisation", "meeting__project", "meeting__created_by", "project__lead", "created_by")
            .get(pk=item.pk))
    if actor is None or not actor.is_authenticated or actor.pk != item.owner_id:
        raise PermissionDenied(_("Only the item's owner can raise a risk on it."))
    if item.status not in OPEN_STATUSES:
        raise ValidationError({"status": _("This item is closed; there is no risk left to raise.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Describe the risk and the support you need.")})
    policy = policy_for(item.organisation)
    calendar = calendar_for(item.organisation)
    today = (timezone.localtime(now, organisation_tz(item.organisation)).date() if now is not None
             else local_today(item.organisation))
    left = calendar.working_days_between(today, item.due) if item.due else None
    late = left is not None and left.count < policy.risk_warning_workdays
    event = ActionItemEvent.objects.create(item=item, actor=actor, kind=EventKind.RISK, progress=item.progress,
                                           note=note)
    recipients = risk_recipients(item)
    audit_record(actor=actor, action="action_item.risk", obj=item, after={
        "note": note, "workdays_left": left.count if left else None, "late": late,
        "notified": [p.pk for p in recipients]})
    context = {"item": item, "owner": actor, "note": note, "due": item.due, "late": late,
               "workdays_left": left.count if left else None, "assumed": bool(left and left.assumed),
               "policy_workdays": policy.risk_warning_workdays}
    for person in recipients:
        notify_person(person=person, kind="risk", key=f"risk:{event.pk}:{person.pk}", template="risk",
                      context=context, link=item_link(item), organisation=item.organisation)
    event.recipients, event.workdays_left, event.late = recipients, (left.count if left else None), late
    return event
