"""Memo pages: the editor (with its version check), the signing page (signed in or from the message's link),
returning, amending with the diff to the previous version, and the agreement as .docx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors, error_summary
from closeloop.lib.office import DOCX_CONTENT_TYPE

from .. import exports, services
from ..forms import MemoForm, SignForm, WithdrawForm
from ..models import Memo
from ..selectors import can_manage, memo_diff, memo_for_user, memo_parties, memo_signature_for_token, request_for_user


@login_required
@require_POST
def memo_start(request, pk):
    """Draft the request's memo (or open the one it has)."""
    found = request_for_user(request.user, pk)
    existing = Memo.objects.filter(request=found).order_by("-number").first()
    if existing is not None:
        return redirect("collab:memo", existing.pk)
    memo = services.memo_create(actor=request.user, request=found)
    messages.success(request, _("The memo was drafted from the request and its minutes; check every clause."))
    return redirect("collab:memo", memo.pk)


def _context(request, memo, form=None, **extra):
    user = request.user
    parties = memo_parties(memo.request)
    signatures = list(memo.signatures.select_related("department__head", "head"))
    manage = can_manage(user, memo.request)
    for signature in signatures:
        signature.can_sign = (memo.state == "signing" and signature.signed_at is None
                              and user.pk in (signature.head_id, signature.department.head_id))
    heads = {s.head_id for s in signatures} | {s.department.head_id for s in signatures}
    versions = list(Memo.objects.filter(request=memo.request).order_by("-number"))
    entries = []
    for index, department in enumerate(parties):
        entry = (memo.content.get("parties") or {}).get(str(department.pk), {})
        labels = exports.party_labels()
        entries.append({"label": labels[index] if index < len(labels) else "", "department": department,
                        "rights": entry.get("rights", ""), "duties": entry.get("duties", "")})
    from ..choices import MEMO_CLAUSES
    return {
        "memo": memo, "req": memo.request, "parties": entries, "signatures": signatures, "versions": versions,
        "clauses": [(label, memo.content.get(key, "")) for key, label in MEMO_CLAUSES],
        "can_edit": manage and memo.state == "draft",
        "form": form or (MemoForm(initial=MemoForm.initial_for(memo), parties=parties)
                         if manage and memo.state == "draft" else None),
        "can_submit": manage and memo.state == "draft",
        "can_return": memo.state == "signing" and (manage or user.pk in heads),
        "can_amend": manage and memo.state == "signed" and versions[0].pk == memo.pk,
        "diff": memo_diff(memo.previous, memo, parties) if memo.previous_id else None,
        "sign_form": SignForm(), "reason_form": extra.pop("reason_form", None) or WithdrawForm(prefix="m"),
        **extra,
    }


@login_required
def memo_detail(request, memo_id):
    memo = memo_for_user(request.user, memo_id)
    return render(request, "collab/memo_detail.html", _context(request, memo))


@login_required
@require_POST
def memo_save(request, memo_id):
    memo = memo_for_user(request.user, memo_id)
    form = MemoForm(request.POST, parties=memo_parties(memo.request))
    if form.is_valid():
        try:
            services.memo_save(actor=request.user, memo=memo, content=form.content(),
                               version=form.cleaned_data["version"])
        except Conflict as exc:
            memo.refresh_from_db()
            context = _context(request, memo, form=form, conflict=exc.message)
            return render(request, "collab/memo_detail.html", context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The memo was saved."))
            return redirect("collab:memo", memo.pk)
    context = _context(request, memo, form=form, errors=error_summary(form))
    return render(request, "collab/memo_detail.html", context, status=422)


def _simple(request, memo, write, done):
    try:
        write()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("collab:memo", memo.pk)


@login_required
@require_POST
def memo_submit(request, memo_id):
    memo = memo_for_user(request.user, memo_id)
    return _simple(request, memo, lambda: services.memo_submit(actor=request.user, memo=memo),
                   _("The memo was sent to each party's head for signature."))


@login_required
@require_POST
def memo_sign(request, memo_id, signature_id):
    memo = memo_for_user(request.user, memo_id)
    signature = memo.signatures.filter(pk=signature_id).first()
    if signature is None:
        raise PermissionDenied
    form = SignForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    return _simple(request, memo, lambda: services.memo_sign(signature=signature, actor=request.user, comment=comment),
                   _("You signed the memo."))


def memo_sign_token(request, token):
    """The signing page from the message: no sign-in needed, the link itself is the head's credential."""
    signature = memo_signature_for_token(token)
    memo = signature.memo
    if request.method == "POST" and signature.signed_at is None:
        form = SignForm(request.POST)
        form.is_valid()
        try:
            services.memo_sign(signature=signature, token=token, comment=form.cleaned_data.get("comment", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("collab:memo_sign_token", token)
    signature.refresh_from_db()
    if signature.head is not None and signature.head.language:
        translation.activate(signature.head.language)
    parties = memo_parties(memo.request)
    labels = exports.party_labels()
    entries = [{"label": labels[i] if i < len(labels) else "", "department": d,
                **((memo.content.get("parties") or {}).get(str(d.pk), {}))} for i, d in enumerate(parties)]
    from ..choices import MEMO_CLAUSES
    return render(request, "collab/memo_sign.html", {
        "memo": memo, "req": memo.request, "signature": signature, "parties": entries, "form": SignForm(),
        "clauses": [(label, memo.content.get(key, "")) for key, label in MEMO_CLAUSES]})


@login_required
@require_POST
def memo_return(request, memo_id):
    memo = memo_for_user(request.user, memo_id)
    form = WithdrawForm(request.POST, prefix="m")
    reason = form.data.get("m-reason", "")
    return _simple(request, memo, lambda: services.memo_return(actor=request.user, memo=memo, reason=reason),
                   _("The memo was returned to draft."))


@login_required
@require_POST
def memo_amend(request, memo_id):
    memo = memo_for_user(request.user, memo_id)
    form = WithdrawForm(request.POST, prefix="m")
    if not form.is_valid():
        context = _context(request, memo, reason_form=form, errors=error_summary(form))
        return render(request, "collab/memo_detail.html", context, status=422)
    try:
        amendment = services.memo_amend(actor=request.user, memo=memo, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        add_service_errors(form, exc)
        context = _context(request, memo, reason_form=form, errors=error_summary(form))
        return render(request, "collab/memo_detail.html", context, status=422)
    messages.success(request, _("Version %(n)s was started from the signed text.") % {"n": amendment.number})
    return redirect("collab:memo", amendment.pk)


@login_required
def memo_docx(request, memo_id):
    memo = memo_for_user(request.user, memo_id)
    signatures = list(memo.signatures.select_related("department", "head"))
    data = exports.memo_docx(memo, memo_parties(memo.request), signatures)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, exports.memo_filename(memo))
    return response
