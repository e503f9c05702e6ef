"""Writes for requests. Each is one transaction, checks permission, writes the audit row and the story
event, and queues the messages it causes. Pages, the API and the scan all call these.
"""

import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.errors import Conflict
from closeloop.lib.uploads import HEAD_BYTES, detect_type, size_text
from closeloop.org.choices import Role
from closeloop.org.models import Person
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for

from .. import rules
from ..agreement import refuse_unagreed_change
from ..choices import Answer, EventKind, Missing, ReceiptState, RequestState
from ..models import Receipt, Request, RequestEvent, RequestMaterial
from ..notifications import answer_link, notify_people, notify_person
from ..selectors import can_answer, can_manage, collab_policy_for, minutes_agreed

REQUEST_FIELDS = [
    "subject", "scenario", "background", "goal", "what", "why", "due", "acceptance_standard", "priority",
    "needs_leadership", "project", "wanted_start", "confidential",
]


def _today(organisation, now):
    return rules.local_day(now, organisation_tz(organisation))


def _raise(error):
    raise ValidationError({error.field: error.message})


def _event(request, kind, actor, *, receipt=None, answer="", note="", late=False):
    return RequestEvent.objects.create(request=request, receipt=receipt, kind=kind, actor=actor, answer=answer,
                                       note=note or "", late=late)


def _answerers(receipt):
    return [p for p in (receipt.department.head, receipt.delegate) if p is not None]


def request_refresh_state(request):
    """Store the state derived from the departments' answers (and the signed minutes); returns it."""
    states = list(request.receipts.values_list("state", flat=True))
    agreed = bool(states) and all(s == ReceiptState.ACCEPTED for s in states) and minutes_agreed(request)
    state = rules.derive_state(states, agreed=agreed, withdrawn=request.state == RequestState.WITHDRAWN)
    if state != request.state:
        before = request.state
        Request.objects.filter(pk=request.pk).update(state=state)
        request.state = state
        audit_record(actor=None, action="request.state", obj=request, before={"state": before},
                     after={"state": state})
    return state


def _check_departments(actor, departments):
    if not departments:
        raise ValidationError({"receiving_departments": _("Choose at least one receiving department.")})
    for department in departments:
        if department.organisation_id != actor.organisation_id:
            raise ValidationError({"receiving_departments": _("Choose departments of your organisation.")})
        if department.pk == actor.department_id:
            raise ValidationError({"receiving_departments": _(
                "%(d)s is your own department; a request goes to other departments.") % {"d": department}})
        if department.head_id is None:
            raise ValidationError({"receiving_departments": _(
                "%(d)s has no head to answer; ask an administrator to name one.") % {"d": department}})


def _validate_upload(upload):
    """The meeting materials' rules: extension, size, and a content that is what the extension says.
    Returns the MIME type read from the content (the client's Content-Type is not trusted)."""
    ext = os.path.splitext(upload.name)[1].lower()
    if ext not in settings.MATERIAL_EXTENSIONS:
        raise ValidationError({"materials": _("Files of type %(ext)s are not accepted; use one of %(allowed)s.") % {
            "ext": ext or "?", "allowed": " ".join(settings.MATERIAL_EXTENSIONS)}})
    if upload.size > settings.MATERIAL_MAX_BYTES:
        raise ValidationError({"materials": _("The file is %(size)s; the limit is %(limit)s.") % {
            "size": size_text(upload.size), "limit": size_text(settings.MATERIAL_MAX_BYTES)}})
    if upload.size == 0:
        raise ValidationError({"materials": _("The file is empty.")})
    upload.seek(0)
    detected = detect_type(upload.name, upload.read(HEAD_BYTES), upload)
    upload.seek(0)
    if detected is None:
        raise ValidationError({"materials": _("The content of this file is not %(ext)s, whatever its name says.") % {
            "ext": ext}})
    return detected


def _management(organisation):
    people = list(collab_policy_for(organisation).management.filter(is_active=True))
    if people:
        return people
    return list(Person.objects.filter(organisation=organisation, is_active=True, role=Role.ADMIN).order_by("pk"))


@transaction.atomic
def request_create(*, actor, data, receiving_departments, materials=(), viewers=(), now=None):
    """Send a request to one or more departments; returns (request, warnings).

    Each department's answer is due `policy.request_answer_workdays` working days after today; a
    materials lead time below the collaboration policy warns or blocks.
    """
    now = now or timezone.now()
    if actor.organisation_id is None:
        raise PermissionDenied(_("You are not part of an organisation."))
    organisation = actor.organisation
    request = Request(organisation=organisation, initiator=actor, initiating_department=actor.department,
                      sent_at=now)
    for field in REQUEST_FIELDS:
        if field in data and data[field] is not None:
            setattr(request, field, data[field])
    request.full_clean(exclude=["initiator", "sent_at"])
    today = _today(organisation, now)
    if request.due < today:
        raise ValidationError({"due": _("The wanted date is in the past.")})
    if request.project is not None and request.project.organisation_id != organisation.pk:
        raise ValidationError({"project": _("Choose one of your organisation's entries.")})
    departments = list(dict.fromkeys(receiving_departments))
    _check_departments(actor, departments)
    for upload in materials:
        _validate_upload(upload)
    calendar = calendar_for(organisation)
    cpolicy = collab_policy_for(organisation)
    warnings = []
    finding = rules.materials_check(calendar, today, request.wanted_start, cpolicy.materials_lead_workdays,
                                    cpolicy.materials_mode)
    if finding is not None:
        if finding.blocking:
            raise ValidationError({finding.field: finding.message})
        warnings.append(finding)
    request.save()
    due = rules.answer_due(calendar, today, policy_for(organisation).request_answer_workdays).date
    receipts = [Receipt.objects.create(request=request, department=d, answer_due=due) for d in departments]
    request.viewers.add(*[p for p in viewers if p.organisation_id == organisation.pk])
    if request.confidential:
        request.viewers.add(*[r.department.head for r in receipts])
    for upload in materials:
        _store_material(actor, request, upload)
    _event(request, EventKind.SENT, actor)
    audit_record(actor=actor, action="request.create", obj=request,
                 after={**snapshot(request), "receiving_departments": [d.pk for d in departments]})
    for receipt in receipts:
        notify_people(_answerers(receipt), event="sent", key=receipt.pk, link=answer_link(receipt),
                      context={"request": request, "receipt": receipt}, organisation=organisation, now=now)
    if request.needs_leadership:
        management = _management(organisation)
        if request.confidential:
            request.viewers.add(*management)
        notify_people(management, event="leadership", key=request.pk, context={"request": request},
                      organisation=organisation, now=now)
    return request, warnings


def _store_material(actor, request, upload):
    material = RequestMaterial(request=request, name=os.path.basename(upload.name)[:200], size=upload.size,
                               content_type=_validate_upload(upload), uploaded_by=actor)
    material.file.save(material.name, upload, save=False)
    material.save()
    audit_record(actor=actor, action="request.material_add", obj=material, after=snapshot(material))
    return material


@transaction.atomic
def request_material_add(*, actor, request, upload):
    """Attach a background material (same upload rules as meeting materials)."""
    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can change this request."))
    _validate_upload(upload)
    material = _store_material(actor, request, upload)
    Request.objects.filter(pk=request.pk).update(version=F("version") + 1)
    return material


@transaction.atomic
def request_update(*, actor, request, data, version, now=None):
    """Change what is asked; a save from a stale copy is refused (409), nothing is lost. The receiving
    departments' answerers are told what changed."""
    now = now or timezone.now()
    request = Request.objects.select_for_update().get(pk=request.pk)
    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can change this request."))
    if request.state == RequestState.WITHDRAWN:
        raise ValidationError({"state": _("This request was withdrawn.")})
    if version is None or int(version) != request.version:
        raise Conflict(_("Someone else changed this request while you were editing it. Your changes were not "
                         "saved; reload to see theirs, then apply yours again."), current_version=request.version)
    refuse_unagreed_change(request, data)
    before = snapshot(request)
    for field in REQUEST_FIELDS:
        if field in data and field != "confidential":
            setattr(request, field, data[field])
    request.full_clean(exclude=["initiator", "sent_at"])
    after = snapshot(request)
    changed = [field for field in REQUEST_FIELDS if before.get(field) != after.get(field)]
    if not changed:
        return request
    if "due" in changed and request.due < _today(request.organisation, now):
        raise ValidationError({"due": _("The wanted date is in the past.")})
    if request.project is not None and request.project.organisation_id != request.organisation_id:
        raise ValidationError({"project": _("Choose one of your organisation's entries.")})
    request.version += 1
    request.save()
    audit_record(actor=actor, action="request.update", obj=request, before=before, after=snapshot(request))
    labels = [Request._meta.get_field(field).verbose_name for field in changed]  # lazy: each reader's language
    for receipt in request.receipts.select_related("department__head", "delegate"):
        notify_people(_answerers(receipt), event="changed", key=f"{receipt.pk}:{request.version}",
                      link=answer_link(receipt) if receipt.state != ReceiptState.ACCEPTED else None,
                      context={"request": request, "receipt": receipt, "changed": changed, "labels": labels},
                      organisation=request.organisation, now=now)
    return request


def _receipt_for(request, department):
    department_id = getattr(department, "pk", department)
    receipt = (Receipt.objects.select_for_update(of=("self",)).select_related("department__head", "delegate")
               .filter(request=request, department_id=department_id).first())
    if receipt is None:
        raise ValidationError({"department": _("This department is not asked in this request.")})
    return receipt


@transaction.atomic
def request_answer(*, actor, request, department, answer, note="", missing=(), proposed_date=None,
                   resource_request="", now=None, token=None):
    """A receiving department's head (or delegate) answers: accept, clarify (a question) or difficulty.

    Signed in as the head or delegate, or with `token`, the secret of the link in their message (the answer
    is then the head's). Returns (receipt, warnings). A question stops the clock until the initiator replies.
    """
    now = now or timezone.now()
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.state == RequestState.WITHDRAWN:
        raise ValidationError({"answer": _("This request was withdrawn.")})
    receipt = _receipt_for(request, department)
    if token is not None:
        if not constant_time_compare(str(token), receipt.token) or receipt.department.head is None:
            raise PermissionDenied(_("This answer link is not valid."))
        actor = receipt.department.head
    elif not can_answer(actor, receipt):
        raise PermissionDenied(_("Only the head of %(d)s or their delegate can answer for it.") % {
            "d": receipt.department})
    try:
        new_state = rules.answer_transition(receipt.state, answer)
    except rules.RuleError as error:
        _raise(error)
    organisation = request.organisation
    today = _today(organisation, now)
    missing = [m for m in Missing.values if m in set(missing or ())]
    if answer == Answer.CLARIFY and not (note or "").strip():
        raise ValidationError({"note": _("Write the question for the initiator.")})
    if answer == Answer.DIFFICULTY:
        try:
            rules.difficulty_check(missing, proposed_date, resource_request, note, today)
        except rules.RuleError as error:
            _raise(error)
    warnings = []
    finding = rules.late_answer_check(receipt.answer_due, today, note, policy_for(organisation).request_mode)
    if finding is not None:
        if finding.blocking:
            raise ValidationError({finding.field: finding.message})
        warnings.append(finding)
    before = snapshot(receipt)
    late = finding is not None
    if answer == Answer.CLARIFY:
        receipt.paused_workdays = rules.workdays_left(calendar_for(organisation), today, receipt.answer_due)
        receipt.answer_due = None
    receipt.state = new_state
    receipt.note = note or ""
    receipt.missing = ",".join(missing) if answer == Answer.DIFFICULTY else ""
    receipt.proposed_date = proposed_date if answer == Answer.DIFFICULTY else None
    receipt.resource_request = (resource_request or "") if answer == Answer.DIFFICULTY else ""
    receipt.answered_at = now
    receipt.answered_by = actor
    receipt.save()
    _event(request, EventKind.ANSWER, actor, receipt=receipt, answer=answer, note=note, late=late)
    audit_record(actor=actor, action=f"request.answer.{answer}", obj=receipt, before=before,
                 after=snapshot(receipt))
    Request.objects.filter(pk=request.pk).update(version=F("version") + 1)
    request_refresh_state(request)
    notify_person(person=request.initiator, event="answered", key=f"{receipt.pk}:{now.timestamp():.0f}",
                  context={"request": request, "receipt": receipt, "note": note}, organisation=organisation, now=now)
    return receipt, warnings


@transaction.atomic
def request_reply(*, actor, request, department, note, now=None):
    """The initiator answers a department's question; the department's clock resumes with the days it had left."""
    now = now or timezone.now()
    request = Request.objects.select_for_update().get(pk=request.pk)
    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can reply."))
    receipt = _receipt_for(request, department)
    try:
        new_state = rules.reply_transition(receipt.state)
    except rules.RuleError as error:
        _raise(error)
    if not (note or "").strip():
        raise ValidationError({"note": _("Write your answer to the question.")})
    organisation = request.organisation
    before = snapshot(receipt)
    receipt.state = new_state
    receipt.answer_due = rules.resumed_due(calendar_for(organisation), _today(organisation, now),
                                           receipt.paused_workdays).date
    receipt.paused_workdays = None
    receipt.escalated_at = None
    receipt.save()
    _event(request, EventKind.REPLY, actor, receipt=receipt, note=note)
    audit_record(actor=actor, action="request.reply", obj=receipt, before=before, after=snapshot(receipt))
    Request.objects.filter(pk=request.pk).update(version=F("version") + 1)
    request_refresh_state(request)
    notify_people(_answerers(receipt), event="replied", key=f"{receipt.pk}:{now.timestamp():.0f}",
                  context={"request": request, "receipt": receipt, "note": note}, organisation=organisation, now=now)
    return receipt


def escalation_targets(receipt):
    """The head of the department above the receiving one, and the PMO (administrators)."""
    targets = []
    department = receipt.department.parent
    while department is not None:
        if department.head_id is not None and department.head_id != receipt.department.head_id:
            targets.append(department.head)
            break
        department = department.parent
    organisation_id = receipt.request.organisation_id
    targets += list(Person.objects.filter(organisation_id=organisation_id, is_active=True, role=Role.ADMIN)
                    .order_by("pk"))
    return targets


def receipt_escalate(*, actor, receipt, now, note=""):
    """Escalate one department's missing answer (inside the caller's transaction); returns rows queued."""
    request = receipt.request
    targets = escalation_targets(receipt)
    request.viewers.add(*targets)  # they must be able to open what they are told about, confidential or not
    receipt.escalated_at = now
    receipt.save(update_fields=["escalated_at"])
    _event(request, EventKind.ESCALATED, actor, receipt=receipt, note=note)
    audit_record(actor=actor, action="request.escalate", obj=receipt, after={"to": [p.pk for p in targets]})
    return notify_people(targets, event="escalation", key=f"{receipt.pk}:{receipt.answer_due}",
                         context={"request": request, "receipt": receipt, "note": note},
                         organisation=request.organisation, now=now)


@transaction.atomic
def request_escalate(*, actor, request, note="", now=None):
    """The initiator escalates every department that has not answered yet; returns the receipts escalated."""
    now = now or timezone.now()
    request = Request.objects.select_for_update().get(pk=request.pk)
    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can escalate."))
    open_receipts = list(request.receipts.select_related("department__head", "department__parent__head")
                         .filter(state__in=[ReceiptState.PENDING, ReceiptState.DIFFICULTY]))
    if not open_receipts:
        raise ValidationError({"request": _("Every department has answered; there is nothing to escalate.")})
    for receipt in open_receipts:
        receipt_escalate(actor=actor, receipt=receipt, now=now, note=note)
    return open_receipts


@transaction.atomic
def request_withdraw(*, actor, request, reason):
    """The initiator withdraws the request; it stays visible with its story."""
    request = Request.objects.select_for_update().get(pk=request.pk)
    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can withdraw this request."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the request is withdrawn.")})
    before = request.state
    request.state = RequestState.WITHDRAWN
    request.version += 1
    request.save(update_fields=["state", "version", "updated_at"])
    _event(request, EventKind.WITHDRAWN, actor, note=reason)
    audit_record(actor=actor, action="request.withdraw", obj=request, before={"state": before},
                 after={"state": request.state, "reason": reason})
    return request


@transaction.atomic
def receipt_delegate(*, actor, receipt, delegate):
    """The receiving head names who answers for the department on this request (None: the head again)."""
    if receipt.department.head_id != actor.pk and not actor.is_org_admin:
        raise PermissionDenied(_("Only the department's head can name a delegate."))
    if delegate is not None and delegate.organisation_id != actor.organisation_id:
        raise ValidationError({"delegate": _("Choose someone of your organisation.")})
    before = snapshot(receipt)
    receipt.delegate = delegate
    receipt.save(update_fields=["delegate"])
    if delegate is not None and receipt.request.confidential:
        receipt.request.viewers.add(delegate)
    audit_record(actor=actor, action="request.delegate", obj=receipt, before=before, after=snapshot(receipt))
    return receipt

