"""Handing over a leaver's open action item: their department's head (or an administrator) names a new owner.

The item keeps its history; an event says who handed it from whom to whom, and the new owner is told by mail.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from closeloop.actions.choices import EventKind
from closeloop.actions.notifications import notify_hand_over
from closeloop.actions.services.items import _check_people, _event, _lock, _require_open, _snapshot
from closeloop.audit.services import audit_record


def person_may_hand_over(person, item):
    """An administrator, or the head of the item's department or of the leaver's, once the owner has left."""
    if not person.is_authenticated or item.owner is None or item.owner.is_active:
        return False
    heads = {item.department.head_id if item.department_id else None,
             item.owner.department.head_id if item.owner.department_id else None}
    return person.is_org_admin or person.pk in heads


@transaction.atomic
def action_item_hand_over(*, actor, item, new_owner, version=None):
    """Give a leaver's open item to `new_owner`, who has not confirmed it yet and is told by mail."""
    item = _lock(item, version)
    if item.owner is not None and item.owner.is_active:
        raise ValidationError({"new_owner": _("The owner is still here: change the owner on the item instead.")})
    if not person_may_hand_over(actor, item):
        raise PermissionDenied(_("Only the department's head or an administrator can hand this item over."))
    _require_open(item)
    if new_owner is None:
        raise ValidationError({"new_owner": _("Choose who takes the item over.")})
    try:
        _check_people(item.organisation, {"owner": new_owner})
    except ValidationError:
        raise ValidationError({"new_owner": _("Choose an active person of your organisation.")}) from None
    before, previous = _snapshot(item), item.owner
    item.owner, item.department = new_owner, new_owner.department
    item.owner_confirmed, item.confirmed_at = False, None
    item.version += 1
    item.save()
    _event(item, actor, EventKind.EDITED, note=_("Handed over from %(old)s to %(new)s") % {
        "old": previous, "new": new_owner})
    audit_record(actor=actor, action="action_item.hand_over", obj=item, before=before, after=_snapshot(item))
    notify_hand_over(item, previous=previous, new_owner=new_owner)
    return item
