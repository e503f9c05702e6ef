"""Writes for the meeting as a whole from the live record page: sign-in, the review of earlier meetings' open
items, starting the record and closing it after the loop check. Same conventions as views_write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from closeloop.actions.models import ActionItem
from closeloop.actions.selectors.items import open_items_for_review
from closeloop.lib.forms import add_service_errors
from closeloop.lib.htmx import is_partial
from closeloop.org.selectors import policy_for
from closeloop.record import forms as f
from closeloop.record.pages import (
    PAGE,
    after_write,
    attendance_form,
    button_write,
    loop_points,
    page_context,
    recordable_meeting,
    review_rows,
    section_html,
)
from closeloop.record.selectors import record_of, review_items, sign_in_rows
from closeloop.record.services import items as services_items
from closeloop.record.services import record as services
from closeloop.record.services.writing import ATTENDANCE, REVIEW

# Sign-in, review, open and close -------------------------------------------------------------------------

def _attendance_answer(request, meeting, form, *, saved):
    if not saved and not is_partial(request):
        return render(request, PAGE, page_context(request, meeting, attendance_form=form))
    html = render_to_string("record/partials/attendance_form.html", {"meeting": meeting, "attendance_form": form},
                            request=request)
    if not saved:
        return HttpResponse(html)
    return after_write(request, meeting, main_html=html, sections=[ATTENDANCE], anchor="sign-in")


@login_required
@require_GET
def attendance_edit(request, pk):
    """The sign-in form filled in for one participant (their sign-in, else what their answer suggests)."""
    meeting = recordable_meeting(request, pk)
    rows = sign_in_rows(meeting, record_of(meeting))
    row = next((r for r in rows if str(r.participant.person_id) == request.GET.get("person")), None)
    if row is None:
        raise Http404
    a = row.attendance
    presence, reason, substitute = (a.presence, a.reason, a.substitute_id) if a else row.suggestion
    if presence == "present":
        presence = "absent"  # the list's own button signs in as present; this form is for the other cases
    form = attendance_form(meeting, initial={
        "person": row.participant.person_id, "presence": presence, "reason": reason, "substitute": substitute})
    form.fields["presence"].widget.attrs["autofocus"] = True
    return HttpResponse(render_to_string("record/partials/attendance_form.html", {
        "meeting": meeting, "attendance_form": form}, request=request))


@login_required
@require_POST
def attendance_save(request, pk):
    meeting = recordable_meeting(request, pk)
    form = attendance_form(meeting, data=request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.attendance_set(actor=request.user, meeting=meeting, person=d["person"], presence=d["presence"],
                                    reason=d["reason"], substitute=d["substitute"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            fresh = attendance_form(meeting)
            fresh.fields["person"].widget.attrs["autofocus"] = True
            return _attendance_answer(request, meeting, fresh, saved=True)
    return _attendance_answer(request, meeting, form, saved=False)


@login_required
@require_POST
def attendance_quick(request, pk):
    """The list's one-key buttons: present, or everyone not signed in yet as their answer suggests."""
    meeting = recordable_meeting(request, pk)
    if request.POST.get("all") == "suggested":
        def call():
            services.attendance_confirm_suggested(actor=request.user, meeting=meeting)
    else:
        row = next((r for r in sign_in_rows(meeting, record_of(meeting))
                    if str(r.participant.person_id) == request.POST.get("person")), None)
        if row is None:
            raise Http404

        def call():
            if request.POST.get("presence") == "present":
                services.attendance_set(actor=request.user, meeting=meeting, person=row.participant.person,
                                        presence="present")
            else:
                services.attendance_confirm_suggested(actor=request.user, meeting=meeting,
                                                      person_ids=[row.participant.person_id])
    return button_write(request, meeting, call, sections=lambda: [ATTENDANCE], anchor="sign-in")


def _review_answer(request, meeting, errors=None):
    if not is_partial(request):
        if errors:
            return render(request, PAGE, page_context(request, meeting, review_errors=errors))
        return redirect(reverse("record:live", args=[meeting.pk]) + "#review")
    html = section_html(request, meeting, REVIEW, oob=False)
    if errors:
        html = section_html_with_errors(request, meeting, errors)
    return HttpResponse(html)


def section_html_with_errors(request, meeting, errors):
    review, editable = review_items(meeting, request.user)
    return render_to_string("record/partials/review_list.html", {
        "meeting": meeting, "review_rows": review_rows(review, editable, errors), "can_record": True},
        request=request)


@login_required
@require_POST
def review_update(request, pk, item_pk):
    """Status (with a delay's reason and new date) or progress of an earlier meeting's open item."""
    meeting = recordable_meeting(request, pk)
    item = get_object_or_404(open_items_for_review(meeting), pk=item_pk)
    form = (f.ReviewProgressForm if "percent" in request.POST else f.ReviewStatusForm)(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if "percent" in d:
                services_items.record_review_progress(actor=request.user, meeting=meeting, item=item,
                                                      percent=d["percent"], note=d["note"])
            else:
                services_items.record_review_status(actor=request.user, meeting=meeting, item=item,
                                                    status=d["status"], reason=d["reason"], new_due=d["new_due"],
                                                    note=d["note"])
        except ValidationError as exc:
            add_service_errors(form, exc, model=ActionItem)
        else:
            return _review_answer(request, meeting)
    return _review_answer(request, meeting, errors={item.pk: form})


@login_required
@require_POST
def record_open(request, pk):
    meeting = recordable_meeting(request, pk)
    try:
        services.record_open(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("record:live", pk=meeting.pk)


@login_required
@require_POST
def close(request, pk):
    """Close after the loop check: open points are listed; in warn mode "close anyway" must be ticked."""
    meeting = recordable_meeting(request, pk)
    try:
        services.record_close(actor=request.user, meeting=meeting, force=request.POST.get("force") == "1")
    except services.LoopOpen as exc:
        context = {"close_refused": exc}
        if not is_partial(request):
            return render(request, PAGE, page_context(request, meeting, **context))
        return HttpResponse(render_to_string("record/partials/loop_check.html", {
            **_loop_context(meeting), "meeting": meeting, "can_record": True, **context}, request=request))
    if is_partial(request):
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    return redirect("record:live", pk=meeting.pk)


def _loop_context(meeting):
    return {**loop_points(meeting), "close_mode": policy_for(meeting.organisation).close_loop_mode}
