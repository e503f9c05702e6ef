"""What the live record page shows: the topic panels with their forms, the sections that polls and writes swap
in, the page's context; and the answer to a write. No view lives here, so views share these without importing
each other.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from closeloop.lib.choosers import Objects, choices_script
from closeloop.lib.forms import add_service_errors
from closeloop.lib.hooks import Hook
from closeloop.lib.htmx import is_partial
from closeloop.lib.memo import remembered
from closeloop.lib.paging import section_page
from closeloop.meetings.models import Topic
from closeloop.meetings.selectors import meeting_for_user
from closeloop.org.selectors import people_choices, policy_for
from closeloop.record import forms as f
from closeloop.record.choices import RecordState
from closeloop.record.selectors import (
    TopicView,
    departments_qs,
    loop_view,
    people_qs,
    person_can_extract,
    person_can_record,
    record_of,
    record_page,
    review_items,
    review_queryset,
    sign_in_participants,
    sign_in_rows,
    topic_view,
)
from closeloop.record.services.writing import ATTENDANCE, REVIEW

PAGE = "record/live.html"
# The long sections are paged, so the page keeps its size whatever the meeting's: {section: (parameter, rows)}.
PAGING = {"sign_in": ("signin", 25), "review": ("review", 20), "topics": ("page", 10)}
TOPICS_PER_PAGE = PAGING["topics"][1]
LOOP_POINTS_SHOWN = 20  # the closing checklist's first points; the rest on demand ("and N more")

# Panels an app above adds to the live record page, after the topics: `(request, meeting, *, can_record, closed)`
# → [HTML]. The scenario outputs ask the recorder here for the columns their meeting type needs.
live_panels = Hook("live_panels", default=lambda request, meeting, **kwargs: [])


def smart_check_url():
    try:
        return reverse("actions:smart_check")
    except NoReverseMatch:
        return ""


def topic_forms(view, *, people, departments, user, bound=None):
    """The forms under one topic (fresh unless `bound` gives one by name), with ids unique on the page."""
    pk = view.topic.pk
    kw = {"people": people, "departments": departments}
    forms = {
        "note": f.NoteForm(auto_id=f"t{pk}-note-%s", initial={"department": user.department_id}, **kw),
        "dis": f.DisagreementForm(auto_id=f"t{pk}-dis-%s", **kw),
        "dec": f.DecisionForm(auto_id=f"t{pk}-dec-%s", **kw),
        "item": f.ItemForm(auto_id=f"t{pk}-item-%s", decisions=view.decisions, initial={
            "decision": _latest_open_decision(view)}, **kw),
        "reason": f.ReasonForm(auto_id=f"t{pk}-reason-%s", initial={"reason": view.no_decision_reason}),
    }
    forms.update(bound or {})
    key = view.key or view.number  # its place on the page: Alt+1…0 reach the page's ten topics
    forms["note"].fields["text"].widget.attrs.update({"data-enter-submit": "", "accesskey": str(key % 10)}
                                                     if key <= 10 else {"data-enter-submit": ""})
    forms["dec"].fields["text"].widget.attrs["data-enter-submit"] = ""
    return forms


def _latest_open_decision(view):
    """Items are usually typed right after the decision they carry out: preselect the last one still uncovered."""
    covered = {i.decision_id for i in view.items}
    open_ = [d for d in view.decisions if not d.no_action_needed and d.pk not in covered]
    return open_[-1].pk if open_ else None


def review_rows(items, editable, errors=None):
    """The review list's rows: each item, whether this viewer may update it, and its forms (bound when refused)."""
    errors = errors or {}
    rows = []
    for item in items:
        bound = errors.get(item.pk)
        status = bound if isinstance(bound, f.ReviewStatusForm) else f.ReviewStatusForm(
            auto_id=f"rv{item.pk}-%s", initial={"status": item.status})
        progress = bound if isinstance(bound, f.ReviewProgressForm) else f.ReviewProgressForm(
            auto_id=f"rp{item.pk}-%s", initial={"percent": item.progress})
        rows.append({"item": item, "editable": item.pk in editable, "status_form": status,
                     "progress_form": progress})
    return rows


def attendance_form(meeting, data=None, initial=None):
    """The sign-in form; it validates (and names) only the participant and substitute it was sent or given."""
    ids = [v for name in ("person", "substitute") for v in (data.getlist(name) if data is not None else [])]
    ids += [v for v in (initial or {}).values() if isinstance(v, int)]
    people = Objects(people_qs(meeting.organisation_id), ids)
    participants = Objects(people_qs(meeting.organisation_id).filter(
        pk__in=sign_in_participants(meeting).values("person_id")), ids)
    return f.AttendanceForm(data, auto_id="att-%s", participants=participants, people=people, initial=initial)


def section_pages(request):
    """`(queryset, section) -> page` for record_page: the page of each long section the address asks for."""
    return lambda qs, name: section_page(request, qs, *PAGING[name])


def page_context(request, meeting, *, bound_topic=None, bound=None, review_errors=None, **extra):
    """The whole page; `bound_topic`/`bound` put a form with errors back in its place (no-JS fallback)."""
    user = request.user
    context = record_page(meeting, user, pages=section_pages(request))
    for key, view in enumerate(context["topics"], start=1):
        view.key = key
    if context["can_record"] and not context["closed"]:
        lists = _lists(meeting)
        for view in context["topics"]:
            view.forms = topic_forms(view, user=user, bound=bound if bound_topic == view.topic.pk else None, **lists)
        extra.setdefault("attendance_form", attendance_form(meeting))
        extra["shared_choices"] = shared_choices(meeting)
    context.update(
        meeting=meeting, smart_url=smart_check_url(), **loop_points(meeting),
        can_extract=context["can_record"] and not context["closed"] and person_can_extract(user, meeting),
        close_mode=policy_for(meeting.organisation).close_loop_mode,
        review_rows=review_rows(context["review"], context["review_editable"], review_errors),
        extra_panels=live_panels(request, meeting, can_record=context["can_record"], closed=context["closed"]),
        **extra,
    )
    return context


def loop_points(meeting, *, everything=False):
    """The closing checklist: its first points (all with `everything`), how many more, each with the page of
    the topic it is about."""
    points, places = loop_view(meeting)
    shown = points if everything else points[:LOOP_POINTS_SHOWN]
    rows = [{"rule": p.rule, "message": p.message, "topic_id": p.topic_id,
             "page": places[p.topic_id] // TOPICS_PER_PAGE + 1 if p.topic_id in places else None} for p in shown]
    return {"points": rows, "points_total": len(points), "points_more": len(points) - len(shown)}


def _oob(template, context, oob=True):
    """Render a partial; `oob` marks its root element as an out-of-band swap."""
    context = dict(context)
    request = context.pop("request", None)
    return render_to_string(template, {**context, "oob": oob}, request=request)


def section_html(request, meeting, key, *, record=None, oob=True):
    """One section's display part as an out-of-band swap."""
    record = record or record_of(meeting)
    base = {"meeting": meeting, "record": record, "can_record": _can_record(request, meeting),
            "closed": record is not None and record.state == RecordState.CLOSED, "request": request}
    if key == ATTENDANCE:
        page = section_page(request, sign_in_participants(meeting), *PAGING["sign_in"])
        return _oob("record/partials/attendance_list.html", {
            **base, "sign_in": sign_in_rows(meeting, record, page.object_list), "pages": {"sign_in": page}}, oob)
    if key == REVIEW:
        page = section_page(request, review_queryset(meeting, request.user), *PAGING["review"])
        review, editable = review_items(meeting, request.user, page.object_list)
        return _oob("record/partials/review_list.html", {
            **base, "review_rows": review_rows(review, editable), "pages": {"review": page}}, oob)
    if key.startswith("topic-"):
        topic = meeting.topics.filter(pk=key.removeprefix("topic-")).first()
        if topic is not None:
            return topic_panel_html(request, meeting, record, topic_view(meeting, record, topic), oob=oob)
    return ""


def topic_panel_html(request, meeting, record, view, *, oob=True):
    """A topic's display part (timer and lists) from its view."""
    return _oob("record/partials/topic_live.html", {
        "meeting": meeting, "record": record, "t": view, "request": request,
        "can_record": _can_record(request, meeting),
        "closed": record is not None and record.state == RecordState.CLOSED}, oob)


def _can_record(request, meeting):
    return person_can_record(request.user, meeting)  # read once per request (closeloop.lib.memo)


def loop_html(request, meeting, record, oob=True, everything=False):
    """The loop check: its open points only when out-of-band (a poll) or asked for `everything`, the whole panel
    with its form otherwise."""
    template = "record/partials/loop_points.html" if oob or everything else "record/partials/loop_check.html"
    return _oob(template, {
        "meeting": meeting, "record": record, **loop_points(meeting, everything=everything), "request": request,
        "close_mode": policy_for(meeting.organisation).close_loop_mode,
        "can_record": _can_record(request, meeting),
        "closed": record is not None and record.state == RecordState.CLOSED}, oob)


def after_write(request, meeting, *, main_html, sections=(), anchor=""):
    """htmx: the form back (fresh or with errors) plus the changed display parts; else post/redirect/get."""
    if not is_partial(request):
        return redirect(reverse("record:live", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))
    record = record_of(meeting)
    parts = [main_html] + [section_html(request, meeting, key, record=record) for key in sections]
    return HttpResponse("".join(parts))


FORM_TEMPLATES = {
    "note": "record/partials/note_form.html", "dis": "record/partials/disagreement_form.html",
    "dec": "record/partials/decision_form.html", "item": "record/partials/item_form.html",
    "reason": "record/partials/reason_form.html",
}


def recordable_meeting(request, pk):
    """The meeting for a write: 404 for people who may not see it, 403 for those who may not record."""
    meeting = meeting_for_user(request.user, pk)
    if not person_can_record(request.user, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators write the meeting's record."))
    return meeting


def _topic(request, pk, topic_pk):
    meeting = recordable_meeting(request, pk)
    return meeting, get_object_or_404(Topic, pk=topic_pk, meeting=meeting)


PERSON_FIELDS = ("person", "substitute", "escalate_to", "owner", "decided_by", "collaborators")


def _lists(meeting, data=None):
    """The people and departments the forms' choosers validate against and name ({pk string: object}): the
    whole organisation for a page, read once per request; for a write (`data`), only the ids it was sent."""
    org = meeting.organisation_id
    if data is not None:
        people = [v for name in PERSON_FIELDS for v in data.getlist(name)]
        return remembered(("posted-lists", org), lambda: {
            "people": Objects(people_qs(org), people),
            "departments": Objects(departments_qs(org), data.getlist("department"))})
    return {"people": remembered(("people", org), lambda: Objects(people_qs(org))),
            "departments": remembered(("departments", org), lambda: Objects(departments_qs(org)))}


def _named(meeting, *ids):
    """Lists holding only the given people and departments (a row's form filled in, for its labels)."""
    return {"people": Objects(people_qs(meeting.organisation_id), [i for i in ids if i]),
            "departments": Objects(departments_qs(meeting.organisation_id), [i for i in ids if i])}


def shared_choices(meeting):
    """The page's one copy of the choosers' lists (closeloop.lib.choosers)."""
    lists = _lists(meeting)
    return choices_script(people=people_choices(meeting.organisation_id), departments=lists["departments"].values(),
                          participant_ids=sign_in_participants(meeting).values_list("person_id", flat=True))


def _form_html(request, meeting, view, name, form, **extra):
    context = {"meeting": meeting, "t": view, "form": form, "smart_url": smart_check_url(),
               "can_extract": name == "note" and person_can_extract(request.user, meeting), **extra}
    return render_to_string(FORM_TEMPLATES[name], context, request=request)


def _topic_answer(request, meeting, topic, name, *, form=None, error=False, focus=True, **extra):
    """The topic's form `name` (the bound one with its errors, else a fresh one) and, after a save, its lists.

    The topic's view is built once and serves both the fresh form and the topic's display part."""
    if not is_partial(request):
        if error:
            context = page_context(request, meeting, bound_topic=topic.pk, bound={name: form})
            return render(request, PAGE, context)
        return redirect(reverse("record:live", args=[meeting.pk]) + f"#topic-{topic.pk}")
    record = extra.pop("record", None) or record_of(meeting)
    view = topic_view(meeting, record, topic)
    if error:
        return HttpResponse(_form_html(request, meeting, view, name, form))
    lists = _lists(meeting, request.POST)
    forms = topic_forms(view, user=request.user, **lists)
    form = forms[name]
    if focus:
        first = next(iter(form.fields))
        form.fields[first].widget.attrs["autofocus"] = True  # the next entry is typed straight away
    refresh_decisions = extra.pop("refresh_item_decisions", False)
    html = _form_html(request, meeting, view, name, form, **extra)
    if refresh_decisions:
        # The item form's "carries out the decision" chooser offers the new decision (preselected).
        html += str(forms["item"]["decision"].as_widget(attrs={"hx-swap-oob": "true"}))
    return HttpResponse(html + topic_panel_html(request, meeting, record, view))


def item_added(request, meeting, topic, item, decisions):
    """htmx, after an item is added: a fresh form, the new row appended to the topic's table and its "nothing
    recorded yet" note hidden, all from what the write has in hand (no query). The topic's other lists did not
    change; the next poll brings the whole panel in step."""
    covered = {d.pk for d in decisions if d.covered} | {item.decision_id}
    open_ = [d for d in decisions if not d.no_action_needed and d.pk not in covered]
    form = f.ItemForm(auto_id=f"t{topic.pk}-item-%s", decisions=decisions, initial={
        "decision": open_[-1].pk if open_ else None}, **_lists(meeting, request.POST))
    form.fields["task"].widget.attrs["autofocus"] = True
    view = TopicView(topic, 0)
    html = _form_html(request, meeting, view, "item", form, saved_item=item, warnings=getattr(item, "findings", []))
    row = render_to_string("record/partials/item_row.html", {
        "i": item, "collaborators": getattr(item, "collaborator_list", []), "meeting": meeting,
        "can_record": True, "closed": False}, request=request)
    return HttpResponse(
        html + f'<template><tbody hx-swap-oob="beforeend:#topic-{topic.pk}-rows">{row}</tbody></template>'
        f'<p class="muted" id="topic-{topic.pk}-nothing" hidden hx-swap-oob="true"></p>')


def _save(request, meeting, topic, name, form, call, model=None, **extra):
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, model=model)
        else:
            extra.update(result if isinstance(result, dict) else {})
            return _topic_answer(request, meeting, topic, name, **extra)
    return _topic_answer(request, meeting, topic, name, form=form, error=True)


def button_write(request, meeting, call, *, sections, anchor=""):
    """For the buttons inside the lists: run the write; answer with the changed lists (out-of-band), or with
    the reason it was refused (a closed record, a missing owner…) in the page's message area."""
    try:
        call()
    except ValidationError as exc:
        message = " ".join(exc.messages)
        if not is_partial(request):
            messages.error(request, message)
            return redirect(reverse("record:live", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))
        return HttpResponse(render_to_string("record/partials/flash.html", {"message": message}))
    return after_write(request, meeting, main_html="", sections=list(sections()), anchor=anchor)
