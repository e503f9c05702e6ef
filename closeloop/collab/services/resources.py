"""Writes for 资源申请表 / 预算审批单: a party department asks for people, equipment and budget for a request;
the policy's chain approves step by step (department head → finance head above an amount → management
above a second), each step approving or returning with a reason; a returned request is changed and sent again.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.lib.errors import Conflict
from closeloop.org.choices import Role
from closeloop.org.models import Person

from .. import rules
from ..choices import ApprovalRole, ResourceState
from ..models import ResourceApproval, ResourceRequest
from ..notifications import notify_people, notify_person, resource_step_link
from ..selectors import collab_policy_for, memo_parties, request_decisions

FIELDS = ["title", "reason", "people", "equipment", "budget_amount", "budget_category", "period_start",
          "period_end", "decision"]


def approvers_for(resource_request, role):
    """Who decides the step `role`: the department's head, the finance department's head, management."""
    organisation = resource_request.request.organisation
    if role == ApprovalRole.HEAD:
        head = resource_request.department.head
        return [head] if head is not None else []
    policy = collab_policy_for(organisation)
    if role == ApprovalRole.FINANCE:
        department = policy.finance_department
        return [department.head] if department is not None and department.head_id else []
    people = list(policy.management.filter(is_active=True))
    return people or list(Person.objects.filter(organisation=organisation, role=Role.ADMIN, is_active=True))


def _clean(data):
    people = []
    for row in data.get("people") or []:
        role = str(row.get("role", "")).strip()
        if not role:
            continue
        try:
            count = int(row.get("count") or 0)
        except (TypeError, ValueError):
            count = 0
        if count < 1:
            raise ValidationError({"people": _("Give how many people for %(role)s (at least 1).") % {"role": role}})
        people.append({"role": role, "count": count, "period": str(row.get("period", "")).strip()})
    data["people"] = people
    amount = Decimal(str(data.get("budget_amount") or 0))
    if amount < 0:
        raise ValidationError({"budget_amount": _("The budget cannot be negative.")})
    data["budget_amount"] = amount
    if amount > 0 and not data.get("budget_category"):
        raise ValidationError({"budget_category": _("Choose the budget's category.")})
    if not people and not (data.get("equipment") or "").strip() and amount == 0:
        raise ValidationError({"people": _("Ask for people, equipment or a budget.")})
    start, end = data.get("period_start"), data.get("period_end")
    if start and end and end < start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    return data


def _check_decision(request, decision):
    """A resource request is tied to the request, and optionally to one decision of the request's meetings."""
    if decision is None:
        return
    decision_id = getattr(decision, "pk", decision)
    if not request_decisions(request).filter(pk=decision_id).exists():
        raise ValidationError({"decision": _("Choose a decision taken in one of this request's meetings.")})


def _chain(resource_request, actor):
    policy = collab_policy_for(resource_request.request.organisation)
    chain = rules.approval_chain(resource_request.budget_amount, policy.finance_threshold,
                                 policy.management_threshold,
                                 requester_is_head=resource_request.department.head_id == actor.pk)
    for role in chain:
        if not approvers_for(resource_request, role):
            raise ValidationError({"budget_amount": _("Nobody can approve the step “%(role)s”; ask an administrator "
                                                      "to set up the policy.") % {"role": ApprovalRole(role).label}})
    return chain


def _announce(resource_request, now=None):
    """Tell the current step's approvers (they may then open the request), or the requester when it is decided."""
    request = resource_request.request
    context = {"request": request, "resource": resource_request}
    if resource_request.state == ResourceState.IN_APPROVAL:
        people = approvers_for(resource_request, resource_request.current_role)
        request.viewers.add(*people)
        for person in {p.pk: p for p in people}.values():  # each with their own link to decide from the message
            notify_person(person=person, event="resource_step", key=f"{resource_request.pk}:{resource_request.round}:"
                          f"{resource_request.step}", context=context, organisation=request.organisation, now=now,
                          link=resource_step_link(resource_request, person))
    else:
        notify_people([resource_request.requested_by, request.initiator], event=f"resource_{resource_request.state}",
                      key=f"{resource_request.pk}:{resource_request.round}:{resource_request.step}",
                      context=context, organisation=request.organisation, now=now)


@transaction.atomic
def resource_request_create(*, actor, request, data):
    """A party department (initiating or receiving) asks for resources; the chain starts at once."""
    parties = memo_parties(request)
    if actor.department_id not in {d.pk for d in parties}:
        raise PermissionDenied(_("Only the departments of this request can ask for resources for it."))
    data = _clean(dict(data))
    _check_decision(request, data.get("decision"))
    resource = ResourceRequest(request=request, department=actor.department, requested_by=actor)
    for field in FIELDS:
        if field in data:
            setattr(resource, field, data[field])
    resource.full_clean(exclude=["request", "department", "requested_by", "chain", "decision"])
    resource.chain = _chain(resource, actor)
    resource.state, resource.step = rules.resource_transition("returned", 0, resource.chain, "resubmit")
    if resource.state == ResourceState.APPROVED:
        resource.decided_at = timezone.now()
    resource.save()
    audit_record(actor=actor, action="resource.create", obj=resource, after=snapshot(resource))
    _announce(resource)
    return resource


def _locked(resource_request, version):
    current = (ResourceRequest.objects.select_for_update().select_related("request__organisation", "department")
               .get(pk=resource_request.pk))
    if version is not None and int(version) != current.version:
        raise Conflict(_("Someone else acted on this resource request a moment ago; reload it."),
                       current_version=current.version)
    return current


def _decide(actor, resource_request, decision, reason, version):
    current = _locked(resource_request, version)
    role = current.current_role
    if not role:
        raise ValidationError({"state": _("This request is not waiting for an approval.")})
    if actor not in approvers_for(current, role):
        raise PermissionDenied(_("This step is for %(role)s.") % {"role": ApprovalRole(role).label})
    try:
        state, step = rules.resource_transition(current.state, current.step, current.chain, decision)
    except rules.RuleError as error:
        raise ValidationError({error.field: error.message}) from None
    ResourceApproval.objects.create(resource_request=current, round=current.round, step=current.step, role=role,
                                    decision=decision, reason=reason or "", approver=actor)
    before = {"state": current.state, "step": current.step}
    current.state, current.step = state, step
    current.version += 1
    if state != ResourceState.IN_APPROVAL:
        current.decided_at = timezone.now()
    current.save()
    audit_record(actor=actor, action=f"resource.{decision}", obj=current, before=before,
                 after={"state": state, "step": step, "role": role, "reason": reason})
    _announce(current)
    return current


@transaction.atomic
def resource_approve(*, actor, resource_request, reason="", version=None):
    """The current step's approver approves; the next step's approvers are told, or the requester."""
    return _decide(actor, resource_request, "approve", reason, version)


@transaction.atomic
def resource_return(*, actor, resource_request, reason, version=None):
    """The current step's approver returns it with a reason; the requester changes it and sends it again."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why it is returned.")})
    return _decide(actor, resource_request, "return", reason, version)


@transaction.atomic
def resource_resubmit(*, actor, resource_request, data, version):
    """The requester changes a returned request and sends it again: a new round from the first step."""
    current = _locked(resource_request, version)
    if actor.pk != current.requested_by_id and not actor.is_org_admin:
        raise PermissionDenied(_("Only the person who asked can change and resend it."))
    if current.state != ResourceState.RETURNED:
        raise ValidationError({"state": _("Only a returned request can be submitted again.")})
    before = snapshot(current)
    data = _clean({**{f: getattr(current, f) for f in FIELDS}, **data})
    _check_decision(current.request, data.get("decision"))
    for field in FIELDS:
        setattr(current, field, data[field])
    current.full_clean(exclude=["request", "department", "requested_by", "chain", "decision"])
    current.chain = _chain(current, current.requested_by)
    current.state, current.step = rules.resource_transition(current.state, current.step, current.chain, "resubmit")
    current.round += 1
    current.version += 1
    current.decided_at = timezone.now() if current.state == ResourceState.APPROVED else None
    current.save()
    audit_record(actor=actor, action="resource.resubmit", obj=current, before=before, after=snapshot(current))
    _announce(current)
    return current
