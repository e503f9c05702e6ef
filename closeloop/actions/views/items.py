"""Pages for one action item: its history, the status / delay / progress forms, its change requests,
and the SMART-check fragment the live record page asks for while the recorder types.

Every write is a POST that calls a service; htmx gets the item panel back, a plain browser is redirected
to the item (post/redirect/get) or shown it again with the errors. A stale save keeps what was typed.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from closeloop.actions.forms import DelayForm, HandOverForm, ProgressForm, SmartCheckForm, StatusForm
from closeloop.actions.models import ActionItem
from closeloop.actions.pages import PAGE, item_context, panel_button, panel_write
from closeloop.actions.selectors.items import (
    item_detail,
    item_for_user,
    smart_findings_for,
)
from closeloop.actions.services import items as services
from closeloop.actions.services.handover import action_item_hand_over
from closeloop.lib.forms import error_summary, retyped
from closeloop.meetings.selectors import meeting_for_user


@login_required
@require_GET
def detail(request, pk):
    return render(request, PAGE, item_context(request, item_for_user(request.user, pk)))


def _write(request, item, form_name, form, call):
    """Through the item panel; a stale save keeps what was typed, on top of the version now shown."""
    def stale(exc, form):
        kwargs = {}
        if form_name == "status_form":
            kwargs = {"item": item_detail(item)}
        elif form_name == "hand_over_form":
            kwargs = {"organisation_id": item.organisation_id}
        return retyped(request, type(form), exc.current_version, **kwargs)

    return panel_write(request, item, form_name, form, call, model=ActionItem, stale=stale)


@login_required
@require_POST
def status(request, pk):
    item = item_for_user(request.user, pk)
    form = StatusForm(request.POST, item=item)
    return _write(request, item, "status_form", form, lambda d: services.action_item_set_status(
        actor=request.user, item=item, status=d["status"], reason=d["reason"], note=d["note"],
        version=d["version"]))


@login_required
@require_POST
def delay(request, pk):
    item = item_for_user(request.user, pk)
    return _write(request, item, "delay_form", DelayForm(request.POST), lambda d: services.action_item_set_status(
        actor=request.user, item=item, status="delayed", reason=d["reason"], new_due=d["new_due"],
        version=d["version"]))


@login_required
@require_POST
def progress(request, pk):
    item = item_for_user(request.user, pk)
    return _write(request, item, "progress_form", ProgressForm(request.POST), lambda d: services.action_item_progress(
        actor=request.user, item=item, percent=d["percent"], note=d["note"], version=d["version"]))


@login_required
@require_POST
def hand_over(request, pk):
    """A leaver's head gives the item to someone else; the new owner is told."""
    item = item_for_user(request.user, pk)
    form = HandOverForm(request.POST, organisation_id=item.organisation_id)
    return _write(request, item, "hand_over_form", form, lambda d: action_item_hand_over(
        actor=request.user, item=item, new_owner=d["new_owner"], version=d.get("version")))


@login_required
@require_POST
def confirm(request, pk):
    item = item_for_user(request.user, pk)
    return panel_button(request, item, lambda: services.action_item_confirm(actor=request.user, item=item))


@login_required
@require_POST
def smart_check(request):
    """The findings for the fields posted (task, owner, due, deliverable, meeting); changes nothing."""
    user = request.user
    form = SmartCheckForm(request.POST, organisation_id=user.organisation_id)
    form.is_valid()
    data = form.cleaned_data
    meeting = None
    if data.get("meeting") is not None:
        meeting = meeting_for_user(user, data["meeting"])
    elif "meeting" in form.errors:
        meeting = meeting_for_user(user, request.POST.get("meeting"))  # garbage: 404 like a hidden one
    typed = any((request.POST.get(name) or "").strip() for name in ("task", "owner", "due", "deliverable"))
    findings = []
    if typed and user.organisation_id:
        findings = [f for f in smart_findings_for(data=data, meeting=meeting, organisation=user.organisation)
                    if f.field not in form.errors]
    return render(request, "actions/partials/smart_findings.html", {
        "findings": findings, "typed": typed, "errors": error_summary(form),
        "blocking": any(f.blocking for f in findings),
    })
