"""Pages for the notice: send it, cancel the meeting, and participants' answers (by email link or signed in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from closeloop.lib.htmx import is_partial, saved_through
from closeloop.lib.ics import CANCEL, REQUEST, meeting_calendar, org_zone, topic_starts
from closeloop.meetings.choices import MeetingState, Response
from closeloop.meetings.forms import RespondForm, SubstituteRespondForm
from closeloop.meetings.models import Participant
from closeloop.meetings.pages import detail_context
from closeloop.meetings.selectors import meeting_detail, meeting_for_user, participant_of
from closeloop.meetings.services import planning as services
from closeloop.meetings.services.answers import substitute_respond
from closeloop.meetings.services.notice import meeting_cancel, notice_send

RESPOND_FORM = "meetings/partials/respond_form.html"


def _detail_url(meeting):
    try:
        return reverse("meetings:detail", args=[meeting.pk])
    except NoReverseMatch:  # the planning pages own that name
        return f"/meetings/{meeting.pk}/"


def _back_to_detail(request, meeting):
    url = _detail_url(meeting)
    return HttpResponseClientRedirect(url) if is_partial(request) else redirect(url)


def _error_messages(request, exc):
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def notice_send_view(request, pk):
    meeting = meeting_for_user(request.user, pk)
    try:
        result = notice_send(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        _error_messages(request, exc)
        return _back_to_detail(request, meeting)
    n = len(result.queued)
    if result.update:
        text = ngettext("Updated notice sent to %(n)d person.", "Updated notice sent to %(n)d people.", n)
    else:
        text = ngettext("Notice sent to %(n)d person.", "Notice sent to %(n)d people.", n)
    messages.success(request, text % {"n": n})
    if result.skipped:
        messages.warning(request, _("No email address, so no notice for: %(names)s.") % {
            "names": ", ".join(str(p) for p in result.skipped)})
    return _back_to_detail(request, meeting)


@login_required
@require_POST
def cancel_view(request, pk):
    meeting = meeting_for_user(request.user, pk)
    try:
        meeting_cancel(actor=request.user, meeting=meeting, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("The meeting is cancelled."))
    return _back_to_detail(request, meeting)


@login_required
@require_GET
def invite_ics_view(request, pk):
    meeting = meeting_for_user(request.user, pk)
    method = CANCEL if meeting.state == MeetingState.CANCELLED else REQUEST
    content = meeting_calendar(meeting_detail(meeting), method=method)
    response = HttpResponse(content, content_type=f"text/calendar; method={method}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def _answered(request, participant):
    messages.success(request, _("Thank you, your answer is saved: %(answer)s.") % {
        "answer": participant.get_response_display()})


def _respond(request, form, participant, actor, *, ok, error):
    """The participant's answer through the service; errors land on the form."""
    return saved_through(request, form, lambda data: services.participant_respond(
        participant=participant, response=data["response"], reason=data["reason"], substitute=data["substitute"],
        actor=actor), model=Participant, ok=ok, error=error)


@never_cache
@require_http_methods(["GET", "POST"])
def respond_view(request, token):
    """The page behind the email's answer link: the token is the secret, no sign-in needed."""
    participant = get_object_or_404(
        Participant.objects.select_related("meeting__organisation", "person", "substitute"), token=token,
    )
    actor = request.user if request.user.is_authenticated else participant.person
    if request.method != "POST":
        return _respond_page(request, participant, RespondForm(participant=participant))

    def answered(_result):
        with translation.override(participant.person.language):
            _answered(request, participant)
        return redirect("meetings:respond", token=token)

    return _respond(request, RespondForm(request.POST, participant=participant), participant, actor,
                    ok=answered, error=lambda form: _respond_page(request, participant, form))


def _respond_page(request, participant, form):
    detail = meeting_detail(participant.meeting)
    topics = list(detail.topics.all())
    zone = org_zone(participant.meeting.organisation)
    context = {
        "meeting": detail, "participant": participant, "form": form, "token_page": True,
        "topics": list(zip(topics, topic_starts(detail.start, [t.minutes for t in topics]), strict=True)),
        "time_zone": str(zone),
    }
    # The reader is the invited person, signed in or not: show the page in their language and the org's zone.
    with translation.override(participant.person.language), timezone.override(zone):
        response = render(request, "meetings/respond.html", context, status=422 if form.errors else 200)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_POST
def respond_signed_in_view(request, pk):
    """A signed-in participant answers from the meeting page (full page post or htmx partial)."""
    meeting = meeting_for_user(request.user, pk)
    participant = participant_of(request.user, meeting)
    if participant is None:
        raise PermissionDenied(_("Only invited participants can answer."))

    def answer(form, saved):
        if is_partial(request):
            response = render(request, RESPOND_FORM, {
                "participant": participant, "meeting": meeting, "saved": saved,
                "form": RespondForm(participant=participant) if saved else form,
            })
            if saved:
                response["HX-Trigger"] = "participantsChanged"
            return response
        if saved:
            _answered(request, participant)
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(_detail_url(meeting))

    form = RespondForm(request.POST, participant=participant)
    return _respond(request, form, participant, request.user,
                    ok=lambda _result: answer(form, True), error=lambda form: answer(form, False))


@login_required
@require_POST
def substitute_respond_view(request, pk, participant_pk):
    """The substitute (代参会) answers for themselves from the meeting page; a wrong form goes back with the
    page's errors next to the fields."""
    meeting = meeting_for_user(request.user, pk)
    participant = get_object_or_404(Participant.objects.select_related("person", "substitute", "meeting"),
                                    pk=participant_pk, meeting=meeting, substitute=request.user,
                                    response=Response.SUBSTITUTE)
    form = SubstituteRespondForm(request.POST, prefix=f"sub{participant.pk}")

    def saved(_result):
        messages.success(request, _("Thank you, your answer is saved: %(answer)s.") % {
            "answer": participant.get_substitute_response_display()})
        return redirect(_detail_url(meeting))

    def refused(form):
        context = detail_context(request, meeting)
        context["standing_in"] = [(p, form if p.pk == participant.pk else f) for p, f in context["standing_in"]]
        return render(request, "meetings/meeting_detail.html", context, status=422)

    return saved_through(request, form, lambda data: substitute_respond(
        actor=request.user, participant=participant, response=data["response"], reason=data["reason"]),
        model=Participant, ok=saved, error=refused)
