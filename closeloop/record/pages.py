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

from closeloop.lib.forms import add_service_errors
from closeloop.lib.hooks import Hook
from closeloop.lib.htmx import is_partial
from closeloop.lib.memo import remembered
from closeloop.meetings.models import Topic
from closeloop.meetings.selectors import meeting_for_user
from closeloop.org.selectors import policy_for
from closeloop.record import forms as f
from closeloop.record.choices import RecordState
from closeloop.record.selectors import (
    departments_for,
    loop_check_for,
    people_for,
    person_can_extract,
    person_can_record,
    record_of,
    record_page,
    review_items,
    sign_in_rows,
    topic_view,
)
from closeloop.record.services.record import ATTENDANCE, REVIEW

PAGE = "record/live.html"

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
    forms["note"].fields["text"].widget.attrs.update({"data-enter-submit": "", "accesskey": str(view.number % 10)}
                                                     if view.number <= 10 else {"data-enter-submit": ""})
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


def attendance_form(meeting, rows, people, data=None, initial=None):
    return f.AttendanceForm(data, auto_id="att-%s", participants=[r.participant.person for r in rows],
                            people=people, initial=initial)


def page_context(request, meeting, *, bound_topic=None, bound=None, review_errors=None, **extra):
    """The whole page; `bound_topic`/`bound` put a form with errors back in its place (no-JS fallback)."""
    user = request.user
    context = record_page(meeting, user)
    lists = _lists(meeting)
    people, departments = lists["people"], lists["departments"]
    if context["can_record"] and not context["closed"]:
        for view in context["topics"]:
            view.forms = topic_forms(view, people=people, departments=departments, user=user,
                                     bound=bound if bound_topic == view.topic.pk else None)
        extra.setdefault("attendance_form", attendance_form(meeting, context["sign_in"], people))
    context.update(
        meeting=meeting, smart_url=smart_check_url(), points=loop_check_for(meeting),
        can_extract=context["can_record"] and not context["closed"] and person_can_extract(user, meeting),
        close_mode=policy_for(meeting.organisation).close_loop_mode,
        review_rows=review_rows(context["review"], context["review_editable"], review_errors),
        extra_panels=live_panels(request, meeting, can_record=context["can_record"], closed=context["closed"]),
        **extra,
    )
    return context


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
        return _oob("record/partials/attendance_list.html", {**base, "sign_in": sign_in_rows(meeting, record)}, oob)
    if key == REVIEW:
        review, editable = review_items(meeting, request.user)
        return _oob("record/partials/review_list.html", {**base, "review_rows": review_rows(review, editable)}, oob)
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


def loop_html(request, meeting, record, oob=True):
    """The loop check: its open points only when out-of-band (a poll), the whole panel with its form otherwise."""
    template = "record/partials/loop_points.html" if oob else "record/partials/loop_check.html"
    return _oob(template, {
        "meeting": meeting, "record": record, "points": loop_check_for(meeting), "request": request,
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


def _lists(meeting):
    """The organisation's people and departments for the forms' choices, read once per request."""
    org = meeting.organisation_id
    return {"people": remembered(("people", org), lambda: people_for(org)),
            "departments": remembered(("departments", org), lambda: departments_for(org))}


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
    lists = _lists(meeting)
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
