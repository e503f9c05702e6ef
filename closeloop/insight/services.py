"""Insight's own writes: the hourly cost of a title or grade (meeting cost = person-hours × this rate).

Administrators only; each change is audited. Insight never writes the other apps' tables.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.insight.models import HourlyCost

TITLE_MAX = HourlyCost._meta.get_field("title").max_length
_COST_FIELD = HourlyCost._meta.get_field("hourly_cost")
COST_MAX = Decimal(10) ** (_COST_FIELD.max_digits - _COST_FIELD.decimal_places) - Decimal("0.01")


def _require_admin(actor):
    if not actor.is_org_admin or actor.organisation_id is None:
        raise PermissionDenied(_("Only administrators set hourly costs."))


def _clean(title, cost):
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("At most %(n)s characters.") % {"n": TITLE_MAX}})
    try:
        cost = Decimal(str(cost))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hourly_cost": _("Give a number.")}) from None
    if not cost.is_finite() or cost < 0:
        raise ValidationError({"hourly_cost": _("Give a number of at least %(n)s.") % {"n": 0}})
    if cost > COST_MAX:
        raise ValidationError({"hourly_cost": _("Give a number of at most %(n)s.") % {"n": COST_MAX}})
    if cost != cost.quantize(Decimal("0.01")):
        raise ValidationError({"hourly_cost": _("At most %(n)s decimal places.") % {"n": 2}})
    return title, cost


@transaction.atomic
def hourly_cost_set(*, actor, title, hourly_cost):
    """Set (or change) the rate of one title; an empty title is the rate of people without one."""
    _require_admin(actor)
    title, hourly_cost = _clean(title, hourly_cost)
    found = (HourlyCost.objects.select_for_update()
             .filter(organisation_id=actor.organisation_id, title=title).first())
    before = snapshot(found) if found is not None else None
    if found is None:
        found = HourlyCost.objects.create(organisation_id=actor.organisation_id, title=title, hourly_cost=hourly_cost)
    else:
        found.hourly_cost = hourly_cost
        found.save(update_fields=["hourly_cost"])
    audit_record(actor=actor, action="insight.hourly_cost_set", obj=found, before=before, after=snapshot(found))
    return found


@transaction.atomic
def hourly_cost_delete(*, actor, pk):
    """Remove a rate: meetings of that title count person-hours only again."""
    _require_admin(actor)
    found = HourlyCost.objects.select_for_update().filter(organisation_id=actor.organisation_id, pk=pk).first()
    if found is None:
        raise Http404
    before = snapshot(found)
    audit_record(actor=actor, action="insight.hourly_cost_delete", obj=found, before=before)
    found.delete()
