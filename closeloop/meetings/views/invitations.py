"""Inviting a group at once and removing several participants at once (the detail page links here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from closeloop.lib.forms import error_summary
from closeloop.lib.htmx import redirect_with_success, saved_through
from closeloop.meetings.forms import BulkInviteForm
from closeloop.meetings.models import Participant
from closeloop.meetings.selectors import earlier_meetings, meeting_for_user, person_can_edit
from closeloop.meetings.services import invitations as services


def _editable(request, pk):
    meeting = meeting_for_user(request.user, pk)
    if not person_can_edit(request.user, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators can change this meeting."))
    return meeting


def _people(data):
    if data["source"] == "department":
        return services.people_of_department(data["department"])
    if data["source"] == "project":
        return services.people_of_project(data["project"])
    return services.people_of_meeting(data["from_meeting"])


def _invited(request, meeting, batch):
    url = reverse("meetings:detail", args=[meeting.pk]) + "#participants"
    n = len(batch.added)
    text = ngettext("%(n)d person invited.", "%(n)d people invited.", n) % {"n": n}
    if batch.kept:
        text += " " + _("Already invited, roles unchanged: %(names)s.") % {
            "names": ", ".join(str(p) for p in batch.kept)}
    return redirect_with_success(request, url, text)


@login_required
def invite_many(request, pk):
    meeting = _editable(request, pk)
    earlier = earlier_meetings(request.user, meeting)
    initial = {"from_meeting": earlier.first(), "project": meeting.project_id, "required": True}
    form = BulkInviteForm(request.POST or None, meeting=meeting, earlier_meetings=earlier, initial=initial)

    def page(form, status=200):
        errors = error_summary(form) if form.is_bound else []
        return render(request, "meetings/invite_many.html", {"meeting": meeting, "form": form, "errors": errors},
                      status=status)

    if request.method != "POST":
        return page(form)
    return saved_through(request, form, lambda data: services.participants_invite_many(
        actor=request.user, meeting=meeting, people=_people(data), roles=data["roles"], required=data["required"]),
        model=Participant, ok=lambda batch: _invited(request, meeting, batch), error=lambda form: page(form, 422))


@login_required
@require_POST
def remove_many(request, pk):
    meeting = _editable(request, pk)
    try:
        ids = [int(v) for v in request.POST.getlist("participant")]
        n = services.participants_remove_many(actor=request.user, meeting=meeting, participant_ids=ids)
    except ValueError:
        messages.error(request, _("Choose at least one participant."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, ngettext("%(n)d participant removed.", "%(n)d participants removed.", n) % {"n": n})
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#participants")
