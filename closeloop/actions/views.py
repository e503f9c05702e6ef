"""Pages for action items: my items, one item with its history and the status / delay / progress forms,
and the SMART-check fragment the live record page asks for while the recorder types.

Every write is a POST that calls a service; htmx gets the item panel back, a plain browser is redirected
to the item (post/redirect/get) or shown it again with the errors. A stale save keeps what was typed.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors, error_summary
from closeloop.lib.htmx import is_partial, render_partial_or_page
from closeloop.meetings.selectors import meeting_for_user

from . import services
from .choices import OPEN_STATUSES, EventKind, ItemStatus
from .forms import DelayForm, MineFilterForm, ProgressForm, SmartCheckForm, StatusForm
from .models import ActionItem
from .rules import FINAL_STATUSES
from .selectors import (
    item_detail,
    item_for_user,
    item_list,
    items_visible_to,
    local_today,
    meeting_visible_to,
    overdue_q,
    person_can_change,
    person_may_record_confirmation,
    smart_findings_for,
    with_meeting_visibility,
)

PER_PAGE = 30
PANEL = "actions/partials/item.html"
PAGE = "actions/detail.html"


@login_required
@require_GET
def mine(request):
    """Items I own or collaborate on: open ones first by due date."""
    user = request.user
    form = MineFilterForm(request.GET or None)
    show = form.cleaned_data["show"] if form.is_valid() and form.cleaned_data["show"] else MineFilterForm.OPEN
    collaborating = ActionItem.collaborators.through.objects.filter(actionitem_id=OuterRef("pk"), person=user)
    qs = items_visible_to(user).filter(Q(owner=user) | Exists(collaborating))
    if show == MineFilterForm.OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif show == MineFilterForm.OVERDUE:
        qs = qs.filter(overdue_q(local_today(user.organisation)))
    qs = with_meeting_visibility(item_list(qs, user.organisation), user).order_by("due", "id")
    page = Paginator(qs, PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "actions/mine.html", {
        "filter_form": form, "show": show, "page": page, "items": page.object_list,
    })


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
    errors = [row for form in forms.values() for row in error_summary(form)]
    context.update(errors=errors, conflict=conflict)
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
