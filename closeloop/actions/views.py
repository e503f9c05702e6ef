"""Pages for one action item: its history, the status / delay / progress forms, its change requests,
and the SMART-check fragment the live record page asks for while the recorder types.

Every write is a POST that calls a service; htmx gets the item panel back, a plain browser is redirected
to the item (post/redirect/get) or shown it again with the errors. A stale save keeps what was typed.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors, error_summary
from closeloop.lib.htmx import is_partial, render_partial_or_page
from closeloop.meetings.selectors import meeting_for_user

from . import services
from .choices import EventKind, ItemStatus
from .forms import ChangeAskForm, ChangeDecideForm, DelayForm, ProgressForm, SmartCheckForm, StatusForm
from .models import ActionItem
from .rules import FINAL_STATUSES
from .selectors import (
    item_detail,
    item_for_user,
    meeting_visible_to,
    person_can_change,
    person_may_record_confirmation,
    smart_findings_for,
)
from .services_change import person_may_decide

PANEL = "actions/partials/item.html"
PAGE = "actions/detail.html"


def _context(request, item, conflict=None, **forms):
    item = item_detail(item)
    can_change = person_can_change(request.user, item) and item.status not in FINAL_STATUSES
    initial = {"version": item.version}
    context = {
        "item": item, "history": history_rows(item), "can_change": can_change,
        "meeting_visible": item.meeting_id is not None and meeting_visible_to(request.user, item.meeting_id),
        "can_confirm": (not item.owner_confirmed and item.owner_id is not None and item.status not in FINAL_STATUSES
                        and person_may_record_confirmation(request.user, item)),
        "recorded_for_owner": item.owner_confirmed and any(
            e.kind == "confirmed" and e.actor_id != item.owner_id for e in item.events.all()),
    }
    if can_change:
        context["status_form"] = forms.get("status_form") or StatusForm(item=item, initial=initial)
        context["delay_form"] = forms.get("delay_form") or DelayForm(initial=initial)
        context["progress_form"] = forms.get("progress_form") or ProgressForm(
            initial={**initial, "percent": item.progress})
    context.update(_change_context(request, item, forms))
    errors = [row for form in forms.values() for row in error_summary(form)]
    context.update(errors=errors, conflict=conflict)
    return context


def _change_context(request, item, forms):
    """The change requests: the one waiting (with accept/refuse for the initiator, withdraw for the owner),
    the earlier ones, and the owner's form to ask."""
    changes = list(item.change_requests.select_related("requested_by", "decided_by"))
    pending = next((c for c in changes if c.state == "pending"), None)
    is_open = item.status not in FINAL_STATUSES
    context = {"changes": changes, "pending_change": pending,
               "can_decide": bool(pending) and is_open and person_may_decide(request.user, item)}
    if is_open and pending is None and item.owner_id == request.user.pk:
        context["change_form"] = forms.get("change_form") or ChangeAskForm()
    if context["can_decide"]:
        context["decide_form"] = forms.get("decide_form") or ChangeDecideForm()
    return context


def history_rows(item):
    """The events with their statuses and edited fields in words (the rows keep raw values)."""
    rows = list(item.events.all())
    for e in rows:
        e.from_label = ItemStatus(e.from_status).label if e.from_status in ItemStatus.values else ""
        e.to_label = ItemStatus(e.to_status).label if e.to_status in ItemStatus.values else ""
        if e.kind == EventKind.EDITED:
            e.note = ", ".join(str(_field_label(name.strip())) for name in e.note.split(",") if name.strip())
    return rows


def _field_label(name):
    try:
        return ActionItem._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name


def _panel(request, item, conflict=None, **forms):
    context = _context(request, item, conflict=conflict, **forms)
    return render_partial_or_page(request, partial=PANEL, page=PAGE, context=context)


@login_required
@require_GET
def detail(request, pk):
    return render(request, PAGE, _context(request, item_for_user(request.user, pk)))


def _write(request, item, form_name, form, call):
    """Validate, call the service, and answer: the fresh panel, a redirect, or the form with its errors."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except Conflict as exc:
            # Keep what was typed; the next save applies it on top of the version now shown.
            data = request.POST.copy()
            data["version"] = exc.current_version
            form = type(form)(data, **({"item": item_detail(item)} if form_name == "status_form" else {}))
            form.is_valid()
            return _panel(request, item, **{form_name: form, "conflict": exc.message})
        except ValidationError as exc:
            add_service_errors(form, exc, model=ActionItem)
        else:
            if is_partial(request):
                return _panel(request, item)
            return redirect("actions:detail", pk=item.pk)
    return _panel(request, item, **{form_name: form})


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
def confirm(request, pk):
    item = item_for_user(request.user, pk)
    try:
        services.action_item_confirm(actor=request.user, item=item)
    except ValidationError as exc:
        return _panel(request, item, conflict=" ".join(exc.messages))
    if is_partial(request):
        return _panel(request, item)
    return redirect("actions:detail", pk=item.pk)


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
