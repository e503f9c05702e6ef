"""Pages for the agenda: the check panel (htmx), applying the suggested order, the printable agenda and its .docx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from closeloop.lib.htmx import is_partial
from closeloop.lib.office import docx_response
from closeloop.meetings.agenda import agenda_check_for
from closeloop.meetings.agenda_summary import agenda_summary_for
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.exports import agenda_document, agenda_sheet
from closeloop.meetings.selectors import meeting_for_user, person_can_edit
from closeloop.meetings.services import planning as services

PARTIAL = "meetings/partials/agenda_check.html"
# The topic list listens for this event to reload itself after a reorder; the panel itself
# reloads on the planning sections' `agendaChanged`.
TOPICS_REORDERED = "topicsReordered"


def _check_context(request, meeting, *, everything=False, **extra):
    """The panel: its first findings counted in SQL, or every finding (`everything`, asked for with ?all=1)."""
    can_edit = meeting.state != MeetingState.CANCELLED and person_can_edit(request.user, meeting)
    check = agenda_check_for(meeting) if everything else agenda_summary_for(meeting)
    return {"meeting": meeting, "check": check, "can_edit": can_edit, "everything": everything, **extra}


@login_required
@require_GET
def agenda_check(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return render(request, PARTIAL, _check_context(request, meeting, everything="all" in request.GET))


def _posted_ids(request):
    raw = request.POST.getlist("topic_ids")
    try:
        return [int(v) for v in raw]
    except ValueError:
        raise ValidationError({"topic_ids": _("Give the topics as a list of topic ids.")}) from None


@login_required
@require_POST
def agenda_reorder(request, pk):
    """Apply the order the panel showed (posted topic ids), or the current suggestion when none is posted."""
    meeting = meeting_for_user(request.user, pk)
    error = None
    try:
        ids = _posted_ids(request) or list(agenda_check_for(meeting).suggested_order)
        services.topics_reorder(actor=request.user, meeting=meeting, topic_ids=ids)
    except ValidationError as exc:  # PermissionDenied is left to Django: 403
        error = exc.message_dict.get("topic_ids", exc.messages)[0]
    if not is_partial(request):  # without JavaScript: back to the meeting page (post/redirect/get)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("The topics are in the suggested order."))
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda-check")
    meeting.refresh_from_db()
    # htmx swaps only 2xx answers, so an error is shown inside the refreshed panel.
    response = render(request, PARTIAL, _check_context(request, meeting, error=error))
    if error is None:
        response["HX-Trigger"] = TOPICS_REORDERED
    return response


@login_required
@require_GET
def agenda_print(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return render(request, "meetings/agenda_print.html", {
        "meeting": meeting, "sheet": agenda_sheet(meeting, viewer=request.user),
    })


@login_required
@require_GET
def agenda_docx(request, pk):
    meeting = meeting_for_user(request.user, pk)
    document, filename = agenda_document(meeting, viewer=request.user)
    return docx_response(document, filename)
