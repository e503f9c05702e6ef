"""What the action-item pages show: the lists' scope, filters and context, the review section, the item panel.

No view lives here, so views share these without importing each other.
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _

from closeloop.actions.choices import EventKind, ItemStatus
from closeloop.actions.forms import (
    ChangeAskForm,
    ChangeDecideForm,
    DelayForm,
    HandOverForm,
    ItemFilterForm,
    ProgressForm,
    ReviewStatusForm,
    StatusForm,
)
from closeloop.actions.models import ActionItem, ReviewTopic
from closeloop.actions.rules import FINAL_STATUSES
from closeloop.actions.selectors.items import (
    item_detail,
    items_visible_to,
    meeting_visible_to,
    open_items_for_review,
    person_can_change,
    person_may_record_confirmation,
)
from closeloop.actions.selectors.lists import (
    DEPARTMENT,
    MEETING,
    MINE,
    PROJECT,
    SORTS,
    departments_of,
    list_items,
    owners_in,
    person_can_import,
)
from closeloop.actions.services.changes import person_may_decide
from closeloop.actions.services.handover import person_may_hand_over
from closeloop.lib.forms import error_summary
from closeloop.lib.hooks import ListHook
from closeloop.lib.htmx import partial_or_redirect, render_partial_or_page, saved_through
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.models import Participant
from closeloop.meetings.selectors import person_can_edit
from closeloop.org.models import Department

PER_PAGE = 30


LIST_URLS = {MINE: "actions:mine", DEPARTMENT: "actions:department", MEETING: "actions:meeting",
             PROJECT: "actions:project"}


def scope_title(scope):
    if scope.kind == MINE:
        return _("My action items")
    if scope.kind == DEPARTMENT:
        return _("Action items of %(name)s") % {"name": scope.obj.name}
    if scope.kind == MEETING:
        return _("Action items of the meeting %(title)s") % {"title": scope.obj.title}
    return _("Action items of the project %(name)s") % {"name": scope.obj.name}


def list_url(scope, suffix=""):
    name = LIST_URLS[scope.kind] + suffix
    return reverse(name) if scope.kind == MINE else reverse(name, args=[scope.pk])


def filter_form(request, scope):
    departments = Department.objects.filter(organisation_id=request.user.organisation_id).order_by("name")
    return ItemFilterForm(request.GET or None, owners=owners_in(request.user, scope), departments=departments)


def _querystring(request, **changes):
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


def list_context(request, scope):
    form = filter_form(request, scope)
    form.is_valid()
    query = form.query()
    page = Paginator(list_items(request.user, scope, query), PER_PAGE).get_page(request.GET.get("page"))
    # "-due" cannot be read in a template: it is "due_desc" there.
    sort_links = {key.lstrip("-") + ("_desc" if key.startswith("-") else ""): "?" + _querystring(request, sort=key)
                  for key in SORTS}
    return {
        "scope": scope, "title": scope_title(scope), "filter_form": form, "query": query, "page": page,
        "items": page.object_list, "querystring": _querystring(request), "sort_links": sort_links,
        "export_url": list_url(scope, "_export") + "?" + _querystring(request),
        "can_import": person_can_import(request.user, scope),
        "departments": departments_of(request.user),
    }


def editable_ids(items, viewer):
    """Which of these items the viewer may update: owner, host or recorder of the item's meeting, admins."""
    if viewer.is_org_admin:
        return {i.pk for i in items}
    own_meetings = set(Participant.objects.filter(
        person=viewer, meeting_id__in={i.meeting_id for i in items},
        roles__regex=rf"(^|,)({ParticipantRole.HOST}|{ParticipantRole.RECORDER})(,|$)",
    ).values_list("meeting_id", flat=True)) if items else set()
    return {i.pk for i in items if i.owner_id == viewer.pk or i.meeting_id in own_meetings}


def review_context(request, meeting, bound=None):
    """Rows of the series' open items visible to the viewer, with forms where they may update;
    `bound` = (item id, form name, bound form) keeps a refused update's input and errors."""
    viewer = request.user
    items = list(open_items_for_review(meeting).filter(pk__in=items_visible_to(viewer).values("pk")))
    editable = editable_ids(items, viewer)
    rows = []
    for item in items:
        row = {"item": item, "editable": item.pk in editable}
        if row["editable"]:
            row["progress_form"] = ProgressForm(initial={"percent": item.progress}, prefix=f"p{item.pk}")
            row["status_form"] = ReviewStatusForm(item=item, prefix=f"s{item.pk}")
            if bound and bound[0] == item.pk:
                row[bound[1]] = bound[2]
        rows.append(row)
    link = ReviewTopic.objects.filter(meeting=meeting).select_related("topic").first()
    return {"meeting": meeting, "rows": rows, "review_topic": link.topic if link else None,
            "review_link": link, "can_generate": person_can_edit(viewer, meeting) and meeting.state != "cancelled"}


PANEL = "actions/partials/item.html"


# [(label, url)] of what apps above offer on the item page to this person (follow-ups: "raise a risk").
item_page_actions = ListHook("item_page_actions")


def item_context(request, item, conflict=None, **forms):
    item = item_detail(item)
    can_change = person_can_change(request.user, item) and item.status not in FINAL_STATUSES
    initial = {"version": item.version}
    context = {
        "item": item, "history": history_rows(item), "can_change": can_change,
        "meeting_visible": item.meeting_id is not None and meeting_visible_to(request.user, item.meeting_id),
        "can_confirm": (not item.owner_confirmed and item.owner_id is not None and item.status not in FINAL_STATUSES
                        and person_may_record_confirmation(request.user, item)),
        "more_actions": item_page_actions(request.user, item),
        "recorded_for_owner": item.owner_confirmed and any(
            e.kind == "confirmed" and e.actor_id != item.owner_id for e in item.events.all()),
    }
    if can_change:
        context["status_form"] = forms.get("status_form") or StatusForm(item=item, initial=initial)
        context["delay_form"] = forms.get("delay_form") or DelayForm(initial=initial)
        context["progress_form"] = forms.get("progress_form") or ProgressForm(
            initial={**initial, "percent": item.progress})
    if item.status not in FINAL_STATUSES and person_may_hand_over(request.user, item):
        context["hand_over_form"] = forms.get("hand_over_form") or HandOverForm(
            initial=initial, organisation_id=item.organisation_id)
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


def item_panel(request, item, conflict=None, **forms):
    """The item panel for htmx, else the whole item page; `forms` put refused forms back in their place."""
    context = item_context(request, item, conflict=conflict, **forms)
    return render_partial_or_page(request, partial=PANEL, page=PAGE, context=context)


def panel_write(request, item, form_name, form, call, *, model, stale=None):
    """Write a form through the service and answer with the fresh panel (htmx) or the item page; a refused
    form comes back in its place with its errors, a stale save with the conflict and `stale(exc, form)`."""
    return saved_through(
        request, form, call, model=model, redirect_to=reverse("actions:detail", args=[item.pk]),
        ok=lambda _result: item_panel(request, item),
        error=lambda form: item_panel(request, item, **{form_name: form}),
        conflict=lambda exc: item_panel(request, item, conflict=exc.message,
                                        **{form_name: stale(exc, form) if stale else form}))


def panel_button(request, item, call):
    """A button's write (no form): the panel says why when the service refuses, else as `panel_write`."""
    try:
        call()
    except ValidationError as exc:
        return item_panel(request, item, conflict=" ".join(exc.messages))
    return partial_or_redirect(request, reverse("actions:detail", args=[item.pk]), lambda: item_panel(request, item))


PAGE = "actions/detail.html"
