"""Writes for the 跨部门协作备忘录: drafted from the request and its signed minutes, edited with a version
check, signed by each party's head (signed in or from the message's link), frozen once signed (by the
database too), amended as a new version.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record

from .. import rules
from ..choices import MEMO_CLAUSE_KEYS, MemoState, SignMethod
from ..models import Memo, MemoSignature
from ..notifications import memo_sign_link, notify_people, notify_person
from ..selectors import can_manage, linked_meetings_all, memo_parties

MAX_CLAUSE_CHARS = 20_000


def _check(state, action):
    try:
        return rules.memo_transition(state, action)
    except rules.RuleError as error:
        raise ValidationError({error.field: error.message}) from None


def _require_manager(actor, request):
    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can change the memo."))


def _lines(rows):
    return "\n".join(f"{n}. {row}" for n, row in enumerate(rows, start=1))


def memo_draft_content(request, language):
    """The first text: the request's goal, the minutes' decisions, the meetings' action items and disagreements."""
    from closeloop.actions.models import ActionItem
    from closeloop.minutes.models import Minutes
    from closeloop.record.models import Disagreement

    meetings = list(linked_meetings_all(request))
    decisions = []
    for meeting in meetings:
        minutes = (Minutes.objects.filter(meeting=meeting, approved_at__isnull=False).order_by("-number").first()
                   or Minutes.objects.filter(meeting=meeting).order_by("-number").first())
        if minutes is not None:
            decisions += [line for line in (minutes.content or {}).get("decisions", "").split("\n") if line.strip()]
    items = list(ActionItem.objects.filter(meeting__in=meetings).select_related("owner", "department")
                 .order_by("due", "pk"))
    disagreements = list(Disagreement.objects.filter(record__meeting__in=meetings).select_related("owner")
                         .order_by("pk"))
    parties = memo_parties(request)
    with translation.override(language):
        deliverables = [f"{i.task} — {i.deliverable or '—'} — {i.due or '—'} — {i.department or ''} {i.owner or ''}"
                        for i in items]
        if not deliverables:
            deliverables = [f"{request.what} — {request.acceptance_standard} — {request.due}"]
        content = {
            "goal": request.goal or request.what,
            "consensus": "\n".join(decisions),
            "deliverables": _lines(deliverables),
            "disagreements": _lines(f"{d.subject}: {d.get_path_display() or '—'}"
                                    f"{f' ({d.owner}, {d.due})' if d.owner or d.due else ''}"
                                    for d in disagreements),
            "dispute": _("Disagreements are settled by the heads of the departments concerned; failing agreement "
                         "within 3 working days, they are put to management for a decision."),
            "validity": _("From the day every party has signed until %(due)s, or until the deliverables are "
                          "accepted.") % {"due": request.due.isoformat()},
            "parties": {},
        }
        for department in parties:
            own = [i.task for i in items if i.department_id == department.pk]
            initiating = department.pk == request.initiating_department_id
            content["parties"][str(department.pk)] = {
                "rights": _("To receive the deliverables on the agreed dates and to the agreed standards.")
                if initiating else _("To receive the information, materials and support it needs in time."),
                "duties": _lines(own) if own else (
                    _("To provide the background materials and answer questions within one working day.")
                    if initiating else ""),
            }
    return content


def clean_content(current, content, parties):
    """Keep only known clauses and parties, as text; an over-long clause is refused naming it."""
    cleaned = dict(current or {})
    for key in MEMO_CLAUSE_KEYS:
        if key in content:
            text = str(content[key] or "")
            if len(text) > MAX_CLAUSE_CHARS:
                raise ValidationError({key: _("This clause is too long (at most %(n)s characters).") % {
                    "n": MAX_CLAUSE_CHARS}})
            cleaned[key] = text
    known = {str(d.pk) for d in parties}
    cleaned_parties = dict(cleaned.get("parties") or {})
    for pk, texts in (content.get("parties") or {}).items():
        if str(pk) not in known:
            raise ValidationError({"parties": _("No such party to this memo: %(id)s.") % {"id": pk}})
        entry = dict(cleaned_parties.get(str(pk)) or {})
        for field in ("rights", "duties"):
            if field in (texts or {}):
                entry[field] = str(texts[field] or "")
        cleaned_parties[str(pk)] = entry
    cleaned["parties"] = cleaned_parties
    return cleaned


@transaction.atomic
def memo_create(*, actor, request, language=None):
    """The first version of the request's memo, drafted from the request and its meetings' signed minutes."""
    _require_manager(actor, request)
    if Memo.objects.filter(request=request).exists():
        raise ValidationError({"memo": _("This request already has a memo; open it to edit or amend it.")})
    language = language or actor.language or settings.LANGUAGE_CODE
    memo = Memo(request=request, number=1, content=memo_draft_content(request, language), created_by=actor)
    try:
        with transaction.atomic():
            memo.save()
    except IntegrityError:
        raise ValidationError({"memo": _("This request already has a memo; open it to edit or amend it.")}) \
            from None
    audit_record(actor=actor, action="memo.create", obj=memo, after={"request": request.pk, "number": 1})
    return memo


def _locked(memo, version=None):
    current = Memo.objects.select_for_update().select_related("request__organisation").get(pk=memo.pk)
    if version is not None and int(version) != current.version:
        from closeloop.lib.errors import Conflict

        raise Conflict(_("Someone else changed this memo a moment ago (now version %(v)s). Nothing of yours was "
                         "lost; look at their change, then try again.") % {"v": current.version},
                       current_version=current.version)
    return current


@transaction.atomic
def memo_save(*, actor, memo, content, version):
    """Save the draft's clauses; a save from a stale copy is refused (409) and nothing is overwritten."""
    if version is None:
        raise ValidationError({"version": _("Give the version number you edited.")})
    current = _locked(memo, version)
    _require_manager(actor, current.request)
    _check(current.state, "save")
    before = current.content
    current.content = clean_content(current.content, content or {}, memo_parties(current.request))
    current.version += 1
    current.save(update_fields=["content", "version", "updated_at"])
    audit_record(actor=actor, action="memo.save", obj=current, before=before, after=current.content)
    return current


@transaction.atomic
def memo_submit(*, actor, memo, version=None):
    """Send the draft to each party's head for signature (one link each in the message)."""
    current = _locked(memo, version)
    _require_manager(actor, current.request)
    current.state = _check(current.state, "submit")
    parties = [d for d in memo_parties(current.request)]
    without_head = [d for d in parties if d.head_id is None]
    if without_head:
        raise ValidationError({"parties": _("%(d)s has no head to sign; ask an administrator to name one.") % {
            "d": without_head[0]}})
    current.submitted_at = timezone.now()
    current.version += 1
    current.save(update_fields=["state", "submitted_at", "version", "updated_at"])
    signatures = [MemoSignature.objects.create(memo=current, department=d, head=d.head) for d in parties]
    audit_record(actor=actor, action="memo.submit", obj=current, after={"parties": [d.pk for d in parties]})
    for signature in signatures:
        notify_person(person=signature.head, event="memo_sign", key=f"{current.pk}:{signature.pk}",
                      context={"request": current.request, "memo": current, "signature": signature},
                      organisation=current.request.organisation, link=memo_sign_link(signature))
    return current


@transaction.atomic
def memo_sign(*, signature, actor=None, token=None, comment=""):
    """A party's head signs, signed in or from the message's link; the last signature freezes the memo."""
    signature = MemoSignature.objects.select_related("department").get(pk=signature.pk)
    memo = _locked(signature.memo)
    if token is not None:
        if not constant_time_compare(str(token), signature.token):
            raise PermissionDenied(_("This signing link is not valid."))
        signer, method = signature.head, SignMethod.LINK
    else:
        allowed = (signature.head_id, signature.department.head_id)
        if actor is None or not actor.is_authenticated or actor.pk not in allowed:
            raise PermissionDenied(_("Only the head of %(d)s can sign for it.") % {"d": signature.department})
        signer, method = actor, SignMethod.ONLINE
    _check(memo.state, "sign")
    now = timezone.now()
    rows = MemoSignature.objects.filter(pk=signature.pk, signed_at__isnull=True).update(
        signed_at=now, head=signer, method=method, comment=(comment or "").strip())
    if rows != 1:
        raise ValidationError({"signature": _("%(d)s has already signed.") % {"d": signature.department}})
    audit_record(actor=signer, action="memo.sign", obj=signature,
                 after={"memo": memo.pk, "department": signature.department_id, "method": method})
    if rules.all_signed(s is not None for s in memo.signatures.values_list("signed_at", flat=True)):
        Memo.objects.filter(pk=memo.pk).update(state=MemoState.SIGNED, signed_at=now, version=F("version") + 1,
                                               updated_at=now)
        audit_record(actor=signer, action="memo.signed", obj=memo, after={"state": MemoState.SIGNED})
        memo.refresh_from_db()
        notify_people([memo.request.initiator] + [s.head for s in memo.signatures.select_related("head")],
                      event="memo_signed", key=memo.pk, context={"request": memo.request, "memo": memo},
                      organisation=memo.request.organisation)
    signature.refresh_from_db()
    return signature


@transaction.atomic
def memo_return(*, actor, memo, reason):
    """A party's head (or the initiator) sends the memo back to draft with a reason; signatures start over."""
    current = _locked(memo)
    heads = {s.head_id for s in current.signatures.all()} | {s.department.head_id for s in current.signatures.all()}
    if actor.pk not in heads and not can_manage(actor, current.request):
        raise PermissionDenied(_("Only a party's head or the initiator can return the memo."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what has to change.")})
    current.state = _check(current.state, "return")
    current.signatures.all().delete()
    current.submitted_at = None
    current.version += 1
    current.save(update_fields=["state", "submitted_at", "version", "updated_at"])
    audit_record(actor=actor, action="memo.return", obj=current, after={"reason": reason})
    notify_person(person=current.request.initiator, event="memo_returned", key=f"{current.pk}:{current.version}",
                  context={"request": current.request, "memo": current, "note": reason},
                  organisation=current.request.organisation)
    return current


@transaction.atomic
def memo_amend(*, actor, memo, reason):
    """An amendment of a signed memo: a new draft version starting from its text, signed again later."""
    current = _locked(memo)
    _require_manager(actor, current.request)
    _check(current.state, "amend")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the memo is amended.")})
    latest = Memo.objects.filter(request=current.request).order_by("-number").first()
    if latest.pk != current.pk:
        raise ValidationError({"state": _("A newer version exists; amend that one.")})
    amendment = Memo.objects.create(request=current.request, number=current.number + 1, previous=current,
                                    content=current.content, amendment_reason=reason.strip(), created_by=actor)
    audit_record(actor=actor, action="memo.amend", obj=amendment,
                 after={"previous": current.pk, "number": amendment.number, "reason": reason})
    return amendment
