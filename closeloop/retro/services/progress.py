"""Writes for the progress sync of a running request (seed 002 stage 4): executors post progress updates; the
initiator asks to change the request itself, which applies once every receiving department agrees."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.collab.choices import RequestState
from closeloop.collab.models import Request
from closeloop.collab.selectors import can_answer, can_manage
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for

from .. import rules
from ..choices import ChangeAnswer, ChangeKind, ChangeState
from ..models import ProgressUpdate, RequestChange, RequestChangeAnswer, Retrospective
from ..notifications import notify_people, notify_person, progress_link
from ..selectors import executor_department, is_executor, today_in


def _require_running(request):
    if request.state == RequestState.WITHDRAWN:
        raise ValidationError({"request": _("This request was withdrawn.")})
    if Retrospective.objects.filter(request=request).exists():
        raise ValidationError({"request": _("This request is complete.")})


@transaction.atomic
def progress_post(*, actor, request, data, now=None):
    """An executor posts % done, what was done, next steps and risks. A risk is an early warning when raised at
    least `policy.risk_warning_workdays` working days before the due date it affects, else a late one."""
    now = now or timezone.now()
    request = Request.objects.select_for_update().select_related("organisation", "initiator").get(pk=request.pk)
    if not is_executor(actor, request):
        raise PermissionDenied(_("Only the people doing the work (receiving departments, item owners) post progress."))
    _require_running(request)
    try:
        percent = rules.clean_percent(data.get("percent"))
    except rules.RuleError:
        raise ValidationError({"percent": _("Give the share done as a whole number from 0 to 100.")}) from None
    done = (data.get("done") or "").strip()
    if not done:
        raise ValidationError({"done": _("Say what was done since the last update.")})
    risks = (data.get("risks") or "").strip()
    affected_due = data.get("affected_due")
    if affected_due is not None and not risks:
        raise ValidationError({"risks": _("Describe the risk to the date it affects.")})
    organisation = request.organisation
    today = today_in(organisation, now)
    early = None
    if risks:
        affected_due = affected_due or request.due
        early = rules.is_early_warning(calendar_for(organisation), today, affected_due,
                                       policy_for(organisation).risk_warning_workdays)
    update = ProgressUpdate.objects.create(
        request=request, author=actor, department=executor_department(actor, request), percent=percent, done=done,
        next_steps=(data.get("next_steps") or "").strip(), risks=risks,
        affected_due=affected_due if risks else None, early_warning=early, day=today)
    audit_record(actor=actor, action="request.progress", obj=request, after=snapshot(update))
    if risks:
        notify_person(person=request.initiator, event="risk", key=update.pk, organisation=organisation,
                      context={"request": request, "update": update, "note": risks}, link=progress_link(request),
                      now=now)
    return update


def _receiving_heads(request):
    people = []
    for receipt in request.receipts.select_related("department__head", "delegate"):
        people += [receipt.department.head, receipt.delegate]
    return people


@transaction.atomic
def request_change_ask(*, actor, request, data, now=None):
    """The initiator asks to change the wanted date and/or the scope; nothing changes until every receiving
    department agrees."""
    request = Request.objects.select_for_update().select_related("organisation").get(pk=request.pk)
    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can change this request."))
    _require_running(request)
    if RequestChange.objects.filter(request=request, state=ChangeState.PENDING).exists():
        raise ValidationError({"request": _("A change is already waiting for the receiving side's answer.")})
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request must change.")})
    new_due = data.get("new_due")
    new_what = (data.get("new_what") or "").strip()
    new_standard = (data.get("new_standard") or "").strip()
    changes_date = new_due is not None and new_due != request.due
    changes_scope = bool(new_what and new_what != request.what) or bool(
        new_standard and new_standard != request.acceptance_standard)
    if not (changes_date or changes_scope):
        raise ValidationError({"new_due": _("Give a new wanted date or a new scope.")})
    if changes_date and new_due < today_in(request.organisation, now):
        raise ValidationError({"new_due": _("The wanted date is in the past.")})
    kind = ChangeKind.BOTH if changes_date and changes_scope else ChangeKind.DATE if changes_date else ChangeKind.SCOPE
    change = RequestChange.objects.create(
        request=request, kind=kind, asked_by=actor, reason=reason, old_due=request.due,
        new_due=new_due if changes_date else None, old_what=request.what, new_what=new_what if changes_scope else "",
        old_standard=request.acceptance_standard, new_standard=new_standard if changes_scope else "")
    audit_record(actor=actor, action="request.change_ask", obj=request, after=snapshot(change))
    notify_people(_receiving_heads(request), event="change_asked", key=change.pk, organisation=request.organisation,
                  context={"request": request, "change": change, "note": reason}, link=progress_link(request),
                  now=now)
    return change


def _apply(change, request):
    before = snapshot(request, fields=["due", "what", "acceptance_standard"])
    fields = {}
    if change.new_due is not None:
        fields["due"] = change.new_due
    if change.new_what:
        fields["what"] = change.new_what
    if change.new_standard:
        fields["acceptance_standard"] = change.new_standard
    Request.objects.filter(pk=request.pk).update(version=F("version") + 1, **fields)
    request.refresh_from_db()
    audit_record(actor=None, action="request.change_applied", obj=request, before=before,
                 after=snapshot(request, fields=["due", "what", "acceptance_standard"]))


@transaction.atomic
def request_change_answer(*, actor, change, department, answer, comment="", now=None):
    """A receiving department's head (or delegate) agrees or refuses; a refusal needs a reason. Every department
    agreeing applies the change to the request; one refusal refuses it."""
    change = RequestChange.objects.select_for_update().select_related("request__organisation").get(pk=change.pk)
    request = change.request
    receipt = request.receipts.select_related("department__head").filter(
        department_id=getattr(department, "pk", department)).first()
    if receipt is None:
        raise ValidationError({"department": _("This department is not asked in this request.")})
    if not can_answer(actor, receipt):
        raise PermissionDenied(_("Only the head of %(d)s or their delegate can answer for it.") % {
            "d": receipt.department})
    if change.state != ChangeState.PENDING:
        raise ValidationError({"answer": _("This change was already decided.")})
    if answer not in ChangeAnswer.values:
        raise ValidationError({"answer": _("Agree or refuse.")})
    comment = (comment or "").strip()
    if answer == ChangeAnswer.REFUSE and not comment:
        raise ValidationError({"comment": _("Say why the department refuses the change.")})
    RequestChangeAnswer.objects.update_or_create(change=change, department=receipt.department,
                                                 defaults={"answer": answer, "comment": comment, "by": actor})
    answers = dict(change.answers.values_list("department_id", "answer"))
    outcome = rules.change_outcome(answers, list(request.receipts.values_list("department_id", flat=True)))
    audit_record(actor=actor, action=f"request.change_{answer}", obj=change,
                 after={"department": receipt.department_id})
    if outcome.state != ChangeState.PENDING:
        change.state, change.decided_at = outcome.state, now or timezone.now()
        change.save(update_fields=["state", "decided_at"])
        if outcome.state == ChangeState.ACCEPTED:
            _apply(change, request)
        notify_people([request.initiator] + _receiving_heads(request), event="change_decided", key=change.pk,
                      organisation=request.organisation, context={"request": request, "change": change},
                      link=progress_link(request), now=now)
    return change


@transaction.atomic
def request_change_withdraw(*, actor, change):
    change = RequestChange.objects.select_for_update().select_related("request").get(pk=change.pk)
    if not can_manage(actor, change.request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can change this request."))
    if change.state != ChangeState.PENDING:
        raise ValidationError({"state": _("This change was already decided.")})
    change.state, change.decided_at = ChangeState.WITHDRAWN, timezone.now()
    change.save(update_fields=["state", "decided_at"])
    audit_record(actor=actor, action="request.change_withdraw", obj=change)
    return change
