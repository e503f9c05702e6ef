"""Writes from the live record page: each parses a form, calls a service and answers with the form (fresh, or
with the errors naming the field) plus the display parts that changed. Without JavaScript: post/redirect/get,
or the page again with the errors. Only the host, the recorder and administrators write (403 for others).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from closeloop.actions.models import ActionItem
from closeloop.lib.forms import add_service_errors
from closeloop.lib.htmx import is_partial
from closeloop.meetings.models import Topic
from closeloop.meetings.selectors import meeting_for_user
from closeloop.record import forms as f
from closeloop.record.models import Decision, Disagreement, Note
from closeloop.record.selectors import (
    departments_for,
    people_for,
    person_can_record,
    record_of,
    topic_section,
    topic_view,
)
from closeloop.record.services import items as services_items
from closeloop.record.services import record as services
from closeloop.record.views.live import (
    PAGE,
    after_write,
    page_context,
    smart_check_url,
    topic_forms,
)

FORM_TEMPLATES = {
    "note": "record/partials/note_form.html", "dis": "record/partials/disagreement_form.html",
    "dec": "record/partials/decision_form.html", "item": "record/partials/item_form.html",
    "reason": "record/partials/reason_form.html",
}
ROWS = {"note": Note, "dis": Disagreement, "dec": Decision}


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
    return {"people": people_for(meeting.organisation_id), "departments": departments_for(meeting.organisation_id)}


def _form_html(request, meeting, view, name, form, **extra):
    context = {"meeting": meeting, "t": view, "form": form, "smart_url": smart_check_url(), **extra}
    return render_to_string(FORM_TEMPLATES[name], context, request=request)


def _topic_answer(request, meeting, topic, name, *, form=None, error=False, focus=True, **extra):
    """The topic's form `name` (the bound one with its errors, else a fresh one) and, after a save, its lists."""
    view = topic_view(meeting, record_of(meeting), topic)
    lists = _lists(meeting)
    if error and not is_partial(request):
        context = page_context(request, meeting, bound_topic=topic.pk, bound={name: form})
        return render(request, PAGE, context)
    if form is None:
        form = topic_forms(view, user=request.user, **lists)[name]
        if focus:
            first = next(iter(form.fields))
            form.fields[first].widget.attrs["autofocus"] = True  # the next entry is typed straight away
    refresh_decisions = extra.pop("refresh_item_decisions", False)
    html = _form_html(request, meeting, view, name, form, **extra)
    if error:
        return HttpResponse(html)
    if refresh_decisions:
        # The item form's "carries out the decision" chooser offers the new decision (preselected).
        item_form = topic_forms(view, user=request.user, **lists)["item"]
        html += str(item_form["decision"].as_widget(attrs={"hx-swap-oob": "true"}))
    return after_write(request, meeting, main_html=html, sections=[topic_section(topic.pk)],
                       anchor=f"topic-{topic.pk}")


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


# Topics ----------------------------------------------------------------------------------------------

@login_required
@require_POST
def note_add(request, pk, topic_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    form = f.NoteForm(request.POST, auto_id=f"t{topic.pk}-note-%s", **_lists(meeting))
    return _save(request, meeting, topic, "note", form, lambda d: services.note_add(
        actor=request.user, meeting=meeting, topic=topic, text=d["text"], department=d["department"]), model=Note)


@login_required
@require_POST
def disagreement_save(request, pk, topic_pk, row_pk=None):
    meeting, topic = _topic(request, pk, topic_pk)
    row = get_object_or_404(Disagreement, pk=row_pk, topic=topic) if row_pk else None
    form = f.DisagreementForm(request.POST, auto_id=f"t{topic.pk}-dis-%s", **_lists(meeting))
    return _save(request, meeting, topic, "dis", form, lambda d: services.disagreement_save(
        actor=request.user, meeting=meeting, topic=topic, data=d, disagreement=row,
        owner_confirmed=d["owner_confirmed"]), model=Disagreement)


@login_required
@require_POST
def decision_save(request, pk, topic_pk, row_pk=None):
    meeting, topic = _topic(request, pk, topic_pk)
    row = get_object_or_404(Decision, pk=row_pk, topic=topic) if row_pk else None
    form = f.DecisionForm(request.POST, auto_id=f"t{topic.pk}-dec-%s", **_lists(meeting))

    def call(data):
        services.decision_save(actor=request.user, meeting=meeting, topic=topic, data=data, decision=row)
        return {"refresh_item_decisions": True}

    return _save(request, meeting, topic, "dec", form, call, model=Decision)


@login_required
@require_POST
def item_add(request, pk, topic_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    decisions = list(Decision.objects.filter(topic=topic))
    form = f.ItemForm(request.POST, auto_id=f"t{topic.pk}-item-%s", decisions=decisions, **_lists(meeting))

    def call(data):
        item = services_items.record_item_add(
            actor=request.user, meeting=meeting, topic=topic, decision=data.pop("decision"), data=data)
        return {"saved_item": item, "warnings": getattr(item, "findings", [])}

    return _save(request, meeting, topic, "item", form, call, model=ActionItem)


@login_required
@require_POST
def reason_save(request, pk, topic_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    form = f.ReasonForm(request.POST, auto_id=f"t{topic.pk}-reason-%s")

    def call(data):
        services.topic_no_decision_reason(actor=request.user, topic=topic, reason=data["reason"])
        return {"saved": True}

    return _save(request, meeting, topic, "reason", form, call, focus=False)


@login_required
@require_GET
def edit_form(request, pk, topic_pk, kind, row_pk):
    """A disagreement's or decision's form filled in, in place of the topic's empty one."""
    meeting, topic = _topic(request, pk, topic_pk)
    if kind not in ("dis", "dec"):
        raise Http404
    view = topic_view(meeting, record_of(meeting), topic)
    if row_pk == 0:  # "Cancel": the empty form again
        form = topic_forms(view, user=request.user, **_lists(meeting))[kind]
        return HttpResponse(_form_html(request, meeting, view, kind, form))
    row = get_object_or_404(ROWS[kind], pk=row_pk, topic=topic)
    if kind == "dis":
        initial = {name: getattr(row, name) for name in services.DISAGREEMENT_FIELDS}
        initial.update(escalate_to=row.escalate_to_id, owner=row.owner_id)
        form = f.DisagreementForm(initial=initial, auto_id=f"t{topic.pk}-dis-%s", **_lists(meeting))
    else:
        initial = {name: getattr(row, name) for name in services.DECISION_FIELDS}
        initial["decided_by"] = row.decided_by_id
        form = f.DecisionForm(initial=initial, auto_id=f"t{topic.pk}-dec-%s", **_lists(meeting))
    next(iter(form.fields.values())).widget.attrs["autofocus"] = True
    return HttpResponse(_form_html(request, meeting, view, kind, form, editing=row))


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


@login_required
@require_POST
def row_delete(request, pk, topic_pk, kind, row_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    if kind not in ROWS:
        raise Http404
    row = get_object_or_404(ROWS[kind], pk=row_pk, topic=topic)
    return button_write(request, meeting, lambda: services.record_row_delete(
        actor=request.user, meeting=meeting, row=row),
        sections=lambda: [topic_section(topic.pk)], anchor=f"topic-{topic.pk}")


@login_required
@require_POST
def decision_flag(request, pk, topic_pk, row_pk):
    """Mark a decision "no action needed" (or undo it) straight from the list."""
    meeting, topic = _topic(request, pk, topic_pk)
    row = get_object_or_404(Decision, pk=row_pk, topic=topic)
    flag = request.POST.get("no_action_needed") == "1"
    return button_write(request, meeting, lambda: services.decision_save(
        actor=request.user, meeting=meeting, topic=topic, decision=row, data={"no_action_needed": flag}),
        sections=lambda: [topic_section(topic.pk)], anchor=f"topic-{topic.pk}")


@login_required
@require_POST
def item_confirm(request, pk, topic_pk, item_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    item = get_object_or_404(ActionItem, pk=item_pk, meeting=meeting, topic=topic)
    return button_write(request, meeting, lambda: services_items.record_item_confirm(
        actor=request.user, meeting=meeting, item=item),
        sections=lambda: [topic_section(topic.pk)], anchor=f"topic-{topic.pk}")


@login_required
@require_POST
def timer(request, pk, topic_pk):
    """Start or stop; starting stops the running one, so both topics' timers are sent back."""
    meeting, topic = _topic(request, pk, topic_pk)
    running_before = set(meeting.topics.filter(record__started_at__isnull=False).values_list("pk", flat=True))
    return button_write(request, meeting, lambda: services.topic_timer(
        actor=request.user, topic=topic, action=request.POST.get("action", "")),
        sections=lambda: [topic_section(pk) for pk in sorted(running_before | {topic.pk})],
        anchor=f"topic-{topic.pk}")
