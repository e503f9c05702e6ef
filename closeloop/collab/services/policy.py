"""The organisation's collaboration rules (materials lead time, escalation, approval amounts, who approves)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.lib.errors import Conflict

from ..models import CollabPolicy
from ..selectors import collab_policy_for

FIELDS = ["materials_lead_workdays", "materials_mode", "escalate_after_workdays", "finance_threshold",
          "management_threshold", "finance_department"]


@transaction.atomic
def collab_policy_update(*, actor, organisation, data, version):
    """Administrators change the rules; a save from a stale copy is refused (409), every value is checked."""
    if not actor.is_org_admin or actor.organisation_id != organisation.pk:
        raise PermissionDenied(_("Only administrators can change the policy."))
    collab_policy_for(organisation)
    policy = CollabPolicy.objects.select_for_update().get(organisation=organisation)
    if version is None or int(version) != policy.version:
        raise Conflict(_("Someone else changed the policy while you were editing it. Your changes were not saved; "
                         "reload to see theirs, then apply yours again."), current_version=policy.version)
    before = {**snapshot(policy), "management": [p.pk for p in policy.management.all()]}
    for field in FIELDS:
        if field in data:
            setattr(policy, field, data[field])
    department = policy.finance_department
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError({"finance_department": _("Choose departments of your organisation.")})
    if policy.management_threshold < policy.finance_threshold:
        raise ValidationError({"management_threshold": _(
            "The management amount cannot be below the finance amount.")})
    policy.full_clean(exclude=["organisation"])
    policy.version += 1
    policy.save()
    if "management" in data:
        people = list(data["management"])
        if any(p.organisation_id != organisation.pk for p in people):
            raise ValidationError({"management": _("Choose someone of your organisation.")})
        policy.management.set(people)
    audit_record(actor=actor, action="collab_policy.update", obj=policy, before=before,
                 after={**snapshot(policy), "management": [p.pk for p in policy.management.all()]})
    return policy
