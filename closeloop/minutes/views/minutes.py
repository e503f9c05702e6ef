"""Pages for the minutes: the editor, review, distribution, sign-off, versions and their differences, downloads.

Thin: each finds the minutes through the meeting's visibility (404 otherwise), calls a service and
redirects, or re-renders with what the person typed when the service refuses.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closeloop.audit.history import fields_changed_since
from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors, error_summary, retyped
from closeloop.lib.htmx import redirect_with_success, saved_through
from closeloop.lib.office import DOCX_CONTENT_TYPE
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.pages import meeting_panel
from closeloop.meetings.selectors import meeting_for_user
from closeloop.minutes import rules, selectors, services
from closeloop.minutes.choices import SECTION_KEYS, SECTIONS
from closeloop.minutes.diff import sections_diff, text_diff
from closeloop.minutes.drafting import minutes_draft_content
from closeloop.minutes.exports import docx_filename, markdown_filename, minutes_docx_bytes, minutes_markdown
from closeloop.minutes.forms import CorrectForm, MinutesForm, ReturnForm, SignOffForm
from closeloop.minutes.models import Minutes
from closeloop.record.selectors import escalations_of


def _sections(minutes):
    content = minutes.content or {}
    return [(key, label, content.get(key, "")) for key, label in SECTIONS]


def _page(request, minutes, *, form=None, conflict=None, return_form=None, correct_form=None, status=200):
    user, meeting = request.user, minutes.meeting
    may = selectors.permissions(user, meeting)
    editable = minutes.state in rules.EDITABLE_STATES and may[rules.SAVE]
    if editable and form is None:
        form = MinutesForm(initial={**(minutes.content or {}), "version": minutes.version})
    draft_deadline, distribution_deadline = selectors.deadlines(minutes)
    signoffs = selectors.signoffs_of(minutes)
    versions = selectors.versions_of(meeting)
    context = {
        "minutes": minutes, "meeting": meeting, "sections": _sections(minutes), "may": may,
        "editable": editable, "form": form if editable else None, "errors": error_summary(form) if form else [],
        "conflict": conflict, "versions": versions, "is_latest": versions[0].pk == minutes.pk,
        "draft_deadline": draft_deadline, "distribution_deadline": distribution_deadline,
        "signoffs": signoffs, "signed_count": sum(1 for s in signoffs if s.signed_at),
        "my_signoff": selectors.pending_signoff_for(user, minutes, signoffs=signoffs),
        "return_form": return_form or ReturnForm(), "correct_form": correct_form or CorrectForm(),
        "signoff_form": SignOffForm(), "escalations": escalations_of(meeting),
        "side_panel": meeting_panel(request, meeting),  # what higher apps add (retro: the retrospective)
    }
    return render(request, "minutes/minutes_detail.html", context, status=status)


@login_required
@require_GET
def meeting_minutes(request, meeting_pk):
    """The meeting's minutes: the latest version, or the way to draft the first one."""
    meeting = meeting_for_user(request.user, meeting_pk)
    latest = selectors.latest_of(meeting)
    if latest is not None:
        return redirect("minutes:detail", pk=latest.pk)
    can_create = meeting.state != MeetingState.CANCELLED and selectors.may(request.user, meeting, rules.CREATE)
    preview = minutes_draft_content(meeting, translation.get_language()) if can_create else {}
    return render(request, "minutes/minutes_none.html", {
        "meeting": meeting, "can_create": can_create,
        "preview": [(label, preview.get(key, "")) for key, label in SECTIONS] if preview else [],
    })


@login_required
@require_POST
def create(request, meeting_pk):
    meeting = meeting_for_user(request.user, meeting_pk)
    try:
        minutes = services.minutes_create_draft(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("minutes:meeting", meeting_pk=meeting.pk)
    messages.success(request, _("The draft is written from the meeting record. Check it, then submit it."))
    return redirect("minutes:detail", pk=minutes.pk)


@login_required
@require_GET
def detail(request, pk):
    return _page(request, selectors.minutes_for_user(request.user, pk))


def _conflict(minutes, form, loaded_version):
    """What someone else saved since `loaded_version`: per section their text, who, when, and how it differs."""
    minutes.refresh_from_db()
    changed = fields_changed_since(obj=minutes, action="minutes.save", version=loaded_version, fields=SECTION_KEYS)
    typed = form.content() if form.is_valid() else {k: form.data.get(k, "") for k in SECTION_KEYS}
    rows = [
        {"key": key, "label": label, "theirs": (minutes.content or {}).get(key, ""), "who": changed[key].actor,
         "at": changed[key].at, "segments": text_diff((minutes.content or {}).get(key, ""), typed.get(key, ""))}
        for key, label in SECTIONS if key in changed
    ]
    return {"version": minutes.version, "sections": rows}


@login_required
@require_POST
def save(request, pk):
    minutes = selectors.minutes_for_user(request.user, pk)
    form = MinutesForm(request.POST)

    def stale(exc):
        conflict = {"message": exc.message, **_conflict(minutes, form, form.cleaned_data["version"])}
        return _page(request, minutes, form=retyped(request, MinutesForm, minutes.version), conflict=conflict,
                     status=409)

    return saved_through(request, form, lambda data: services.minutes_save(
        actor=request.user, minutes=minutes, content=form.content(), version=data["version"]),
        ok=lambda _result: _saved(request, minutes), conflict=stale,
        error=lambda form: _page(request, minutes, form=form, status=422))


def _saved(request, minutes):
    """Saved; the buttons "save and submit" / "save and approve" go on with the version just saved."""
    messages.success(request, _("Saved (version %(v)s).") % {"v": minutes.version})
    then = {"submit": _submit_saved, "approve": _approve_saved}.get(request.POST.get("then", ""))
    if then is not None:
        try:
            then(request, minutes)
        except (Conflict, ValidationError) as exc:
            for message in getattr(exc, "messages", None) or [exc.message]:
                messages.error(request, message)
    return redirect("minutes:detail", pk=minutes.pk)


def _submit_saved(request, minutes):
    services.minutes_submit(actor=request.user, minutes=minutes)
    messages.success(request, _("Submitted to the host for review."))


def _approve_saved(request, minutes):
    # The version just saved is the text the host approves.
    services.minutes_approve(actor=request.user, minutes=minutes, version=minutes.version)
    messages.success(request, _("Approved (审核通过). The minutes can no longer change; distribute them now."))


def _act(request, pk, call, done, *, form_class=None, form_arg=None):
    """Run a state change from a posted button; refusals come back as messages (or the form with its error)."""
    minutes = selectors.minutes_for_user(request.user, pk)
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            return _page(request, minutes, status=422, **{form_arg: form})
        kwargs = form.cleaned_data
    try:
        result = call(minutes, **kwargs)
    except Conflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        if form_class is not None and hasattr(exc, "error_dict") and set(exc.error_dict) & set(form.fields):
            add_service_errors(form, exc)
            return _page(request, minutes, status=422, **{form_arg: form})
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done(result) if callable(done) else done)
        target = result if isinstance(result, Minutes) else getattr(result, "minutes", minutes)
        return redirect("minutes:detail", pk=target.pk)
    return redirect("minutes:detail", pk=minutes.pk)


@login_required
@require_POST
def redraft(request, pk):
    return _act(request, pk, lambda m: services.minutes_redraft(
        actor=request.user, minutes=m, version=request.POST.get("version")),
        _("The draft was written again from the meeting record."))


@login_required
@require_POST
def submit(request, pk):
    return _act(request, pk, lambda m: services.minutes_submit(actor=request.user, minutes=m),
                _("Submitted to the host for review."))


@login_required
@require_POST
def return_(request, pk):
    return _act(request, pk, lambda m, comment: services.minutes_return(actor=request.user, minutes=m, comment=comment),
                _("Sent back to the draft with your comment."), form_class=ReturnForm, form_arg="return_form")


@login_required
@require_POST
def approve(request, pk):
    return _act(request, pk, lambda m: services.minutes_approve(
        actor=request.user, minutes=m, version=request.POST.get("version") or None),
        _("Approved (审核通过). The minutes can no longer change; distribute them now."))


def _distributed(result):
    n, heads = len(result.queued), len(result.signoffs)
    text = ngettext("Distributed to %(n)d person.", "Distributed to %(n)d people.", n) % {"n": n}
    text += " " + ngettext("%(n)d department head is asked to sign off.",
                           "%(n)d department heads are asked to sign off.", heads) % {"n": heads}
    if result.without_head:
        text += " " + _("No head to sign off for: %(names)s.") % {
            "names": ", ".join(str(d) for d in result.without_head)}
    return text


@login_required
@require_POST
def distribute(request, pk):
    return _act(request, pk, lambda m: services.minutes_distribute(actor=request.user, minutes=m), _distributed)


@login_required
@require_POST
def correct(request, pk):
    return _act(request, pk, lambda m, reason: services.minutes_correct(actor=request.user, minutes=m, reason=reason),
                _("A new draft version is open for the correction."), form_class=CorrectForm,
                form_arg="correct_form")


@login_required
@require_POST
def sign_off(request, pk):
    """A signed-in head signs off from the minutes page."""
    minutes = selectors.minutes_for_user(request.user, pk)
    signoff = selectors.pending_signoff_for(request.user, minutes)
    if signoff is None:
        messages.error(request, _("There is nothing for you to sign off here."))
        return redirect("minutes:detail", pk=minutes.pk)
    return _act(request, pk, lambda m: services.minutes_sign_off(
        actor=request.user, signoff=signoff, comment=request.POST.get("comment", "")),
        _("Signed off. Thank you."))


@login_required
@require_GET
def diff(request, pk):
    """Section-by-section differences between this version and another (by default the one it corrects)."""
    minutes = selectors.minutes_for_user(request.user, pk)
    versions = selectors.versions_of(minutes.meeting)
    against_pk = request.GET.get("against") or minutes.previous_id
    if against_pk is None:
        older = [v for v in versions if v.number < minutes.number]
        against_pk = older[0].pk if older else None
    against = next((v for v in versions if str(v.pk) == str(against_pk)), None)
    if against_pk is not None and against is None:
        raise Http404
    old, new = (against, minutes) if against is None or against.number < minutes.number else (minutes, against)
    rows = sections_diff(old.content if against else {}, new.content, SECTIONS) if against else []
    return render(request, "minutes/minutes_diff.html", {
        "minutes": minutes, "meeting": minutes.meeting, "old": old if against else None, "new": new,
        "other": against, "rows": rows, "versions": versions,
    })


@login_required
@require_GET
def docx(request, pk):
    minutes = selectors.minutes_for_user(request.user, pk)
    response = HttpResponse(minutes_docx_bytes(minutes), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, docx_filename(minutes))
    return response


@login_required
@require_GET
def markdown(request, pk):
    minutes = selectors.minutes_for_user(request.user, pk)
    response = HttpResponse(minutes_markdown(minutes), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, markdown_filename(minutes))
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def signoff_token(request, token):
    """The page behind the mail's sign-off link: the token is the secret, no sign-in needed. GET only shows."""
    signoff = selectors.signoff_for_token(token)
    minutes = signoff.minutes
    form = SignOffForm(request.POST if request.method == "POST" else None)
    language = getattr(signoff.head, "language", None) or translation.get_language()

    def page(form):
        signoff.refresh_from_db()
        minutes.refresh_from_db()
        signoffs = selectors.signoffs_of(minutes)
        response = render(request, "minutes/signoff.html", {
            "signoff": signoff, "minutes": minutes, "meeting": minutes.meeting, "sections": _sections(minutes),
            "signoffs": signoffs, "signed_count": sum(1 for s in signoffs if s.signed_at), "form": form,
        }, status=422 if form.errors else 200)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    with translation.override(language):
        if request.method != "POST":
            return page(form)
        return saved_through(
            request, form,
            lambda data: services.minutes_sign_off(signoff=signoff, token=token, comment=data["comment"]),
            ok=lambda _result: redirect_with_success(request, reverse("minutes:signoff_token", args=[token]),
                                                     _("Signed off. Thank you.")),
            error=page)
