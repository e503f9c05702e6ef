"""The live record page, its poll, and the sections it re-renders.

The page is built from sections whose *display* parts (lists, timer) are what polling replaces, and whose
forms stay put, so nobody loses what they are typing when someone else saves. A poll compares the record's
revision: 204 when nothing moved, else the changed sections as out-of-band swaps.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from closeloop.lib.htmx import is_partial
from closeloop.meetings.selectors import meeting_for_user
from closeloop.org.selectors import policy_for
from closeloop.record import forms as f
from closeloop.record.choices import RecordState
from closeloop.record.selectors import (
    changed_sections,
    departments_for,
    loop_check_for,
    people_for,
    person_can_record,
    record_of,
    record_page,
    record_revision,
    review_items,
    sign_in_rows,
    topic_section,
    topic_view,
)
from closeloop.record.services.record import ATTENDANCE, REVIEW, STATE

PAGE = "record/live.html"


def smart_check_url():
    try:
        return reverse("actions:smart_check")
    except NoReverseMatch:
        return ""


def _since(request):
    try:
        return max(0, int(request.GET.get("since", 0)))
    except (TypeError, ValueError):
        return 0


# Forms ----------------------------------------------------------------------------------------------

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


# The page ---------------------------------------------------------------------------------------------

def page_context(request, meeting, *, bound_topic=None, bound=None, review_errors=None, **extra):
    """The whole page; `bound_topic`/`bound` put a form with errors back in its place (no-JS fallback)."""
    user = request.user
    context = record_page(meeting, user)
    people, departments = people_for(meeting.organisation_id), departments_for(meeting.organisation_id)
    if context["can_record"] and not context["closed"]:
        for view in context["topics"]:
            view.forms = topic_forms(view, people=people, departments=departments, user=user,
                                     bound=bound if bound_topic == view.topic.pk else None)
        extra.setdefault("attendance_form", attendance_form(meeting, context["sign_in"], people))
    context.update(
        meeting=meeting, smart_url=smart_check_url(), points=loop_check_for(meeting),
        close_mode=policy_for(meeting.organisation).close_loop_mode,
        review_rows=review_rows(context["review"], context["review_editable"], review_errors), **extra,
    )
    return context


@login_required
@require_GET
def live(request, pk):
    """The live record (sign-in, review, topics, close); everyone who may see the meeting may read it."""
    meeting = meeting_for_user(request.user, pk)
    return render(request, PAGE, page_context(request, meeting))


def _oob(template, context, oob=True):
    """Render a partial; `oob` marks its root element as an out-of-band swap."""
    context = dict(context)
    request = context.pop("request", None)
    return render_to_string(template, {**context, "oob": oob}, request=request)


def section_html(request, meeting, key, *, record=None, oob=True):
    """One section's display part as an out-of-band swap."""
    record = record or record_of(meeting)
    base = {"meeting": meeting, "record": record, "can_record": _can_record(request, meeting, record),
            "closed": record is not None and record.state == RecordState.CLOSED, "request": request}
    if key == ATTENDANCE:
        return _oob("record/partials/attendance_list.html", {**base, "sign_in": sign_in_rows(meeting, record)}, oob)
    if key == REVIEW:
        review, editable = review_items(meeting, request.user)
        return _oob("record/partials/review_list.html", {**base, "review_rows": review_rows(review, editable)}, oob)
    if key.startswith("topic-"):
        topic = meeting.topics.filter(pk=key.removeprefix("topic-")).first()
        if topic is not None:
            return _oob("record/partials/topic_live.html", {**base, "t": topic_view(meeting, record, topic)}, oob)
    return ""


def _can_record(request, meeting, record):
    cache = request.__dict__.setdefault("_can_record", {})
    if meeting.pk not in cache:
        cache[meeting.pk] = person_can_record(request.user, meeting)
    return cache[meeting.pk]


def loop_html(request, meeting, record, oob=True):
    """The loop check: its open points only when out-of-band (a poll), the whole panel with its form otherwise."""
    template = "record/partials/loop_points.html" if oob else "record/partials/loop_check.html"
    return _oob(template, {
        "meeting": meeting, "record": record, "points": loop_check_for(meeting), "request": request,
        "close_mode": policy_for(meeting.organisation).close_loop_mode,
        "can_record": _can_record(request, meeting, record),
        "closed": record is not None and record.state == RecordState.CLOSED}, oob)


@login_required
@require_GET
def poll(request, pk):
    """204 while the record's revision is `since`; else the sections changed since then (out-of-band)."""
    meeting = meeting_for_user(request.user, pk)
    since = _since(request)
    row = record_revision(meeting.pk)
    revision = row[0] if row else 0
    if revision == since:
        return HttpResponse(status=204)
    if row is None or since == 0 or STATE in changed_sections(row[2], since) or since > revision:
        # Opened, closed or reopened: the whole page changes (forms appear or go), so reload it.
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    record = record_of(meeting)
    parts = [section_html(request, meeting, key, record=record) for key in sorted(changed_sections(row[2], since))]
    parts.append(loop_html(request, meeting, record))
    parts.append(_oob("record/partials/poller.html", {"meeting": meeting, "revision": revision}))
    return HttpResponse("".join(parts))


@login_required
@require_GET
def topic_part(request, pk, topic_pk):
    """One topic's display part (timer and lists)."""
    meeting = meeting_for_user(request.user, pk)
    return HttpResponse(section_html(request, meeting, topic_section(topic_pk), oob=False))


@login_required
@require_GET
def loop_part(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return HttpResponse(loop_html(request, meeting, record_of(meeting), oob=False))


def after_write(request, meeting, *, main_html, sections=(), anchor=""):
    """htmx: the form back (fresh or with errors) plus the changed display parts; else post/redirect/get."""
    if not is_partial(request):
        return redirect(reverse("record:live", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))
    record = record_of(meeting)
    parts = [main_html] + [section_html(request, meeting, key, record=record) for key in sections]
    return HttpResponse("".join(parts))
