"""Writes from the live record page: each parses a form, calls a service and answers with the form (fresh, or
with the errors naming the field) plus the display parts that changed. Without JavaScript: post/redirect/get,
or the page again with the errors. Only the host, the recorder and administrators write (403 for others).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from closeloop.actions.models import ActionItem
from closeloop.lib.forms import add_service_errors
from closeloop.lib.htmx import is_partial
from closeloop.record import forms as f
from closeloop.record.models import Decision, Disagreement, Note
from closeloop.record.pages import (
    _form_html,
    _lists,
    _named,
    _save,
    _topic,
    _topic_answer,
    button_write,
    item_added,
    topic_forms,
)
from closeloop.record.selectors import (
    record_of,
    topic_decisions,
    topic_section,
    topic_view,
)
from closeloop.record.services import corrections
from closeloop.record.services import items as services_items
from closeloop.record.services import record as services

ROWS = {"note": Note, "dis": Disagreement, "dec": Decision}
EDITABLE = ("note", "dis", "dec", "item")


# Topics ----------------------------------------------------------------------------------------------

@login_required
@require_POST
def note_add(request, pk, topic_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    form = f.NoteForm(request.POST, auto_id=f"t{topic.pk}-note-%s", **_lists(meeting, request.POST))
    return _save(request, meeting, topic, "note", form, lambda d: services.note_add(
        actor=request.user, meeting=meeting, topic=topic, text=d["text"], department=d["department"]), model=Note)


@login_required
@require_POST
def note_edit(request, pk, topic_pk, row_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    note = get_object_or_404(Note, pk=row_pk, topic=topic)
    form = f.NoteForm(request.POST, auto_id=f"t{topic.pk}-note-%s", **_lists(meeting, request.POST))
    return _save(request, meeting, topic, "note", form, lambda d: corrections.note_update(
        actor=request.user, meeting=meeting, note=note, text=d["text"], department=d["department"]), model=Note)


@login_required
@require_POST
def disagreement_save(request, pk, topic_pk, row_pk=None):
    meeting, topic = _topic(request, pk, topic_pk)
    row = get_object_or_404(Disagreement, pk=row_pk, topic=topic) if row_pk else None
    form = f.DisagreementForm(request.POST, auto_id=f"t{topic.pk}-dis-%s", **_lists(meeting, request.POST))
    return _save(request, meeting, topic, "dis", form, lambda d: services.disagreement_save(
        actor=request.user, meeting=meeting, topic=topic, data=d, disagreement=row,
        owner_confirmed=d["owner_confirmed"]), model=Disagreement)


@login_required
@require_POST
def decision_save(request, pk, topic_pk, row_pk=None):
    meeting, topic = _topic(request, pk, topic_pk)
    row = get_object_or_404(Decision, pk=row_pk, topic=topic) if row_pk else None
    form = f.DecisionForm(request.POST, auto_id=f"t{topic.pk}-dec-%s", **_lists(meeting, request.POST))

    def call(data):
        services.decision_save(actor=request.user, meeting=meeting, topic=topic, data=data, decision=row)
        return {"refresh_item_decisions": True}

    return _save(request, meeting, topic, "dec", form, call, model=Decision)


@login_required
@require_POST
def item_add(request, pk, topic_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    decisions = topic_decisions(topic)
    form = f.ItemForm(request.POST, auto_id=f"t{topic.pk}-item-%s", decisions=decisions,
                      **_lists(meeting, request.POST))
    if is_partial(request) and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = services_items.record_item_add(
                actor=request.user, meeting=meeting, topic=topic, decision=data.pop("decision"), data=data)
        except ValidationError as exc:
            add_service_errors(form, exc, model=ActionItem)
            return _topic_answer(request, meeting, topic, "item", form=form, error=True)
        else:
            item.collaborator_list = data.get("collaborators") or []
            return item_added(request, meeting, topic, item, decisions)

    def call(data):
        item = services_items.record_item_add(
            actor=request.user, meeting=meeting, topic=topic, decision=data.pop("decision"), data=data)
        return {"saved_item": item, "warnings": getattr(item, "findings", []), "record": item.record}

    return _save(request, meeting, topic, "item", form, call, model=ActionItem)


@login_required
@require_POST
def item_edit(request, pk, topic_pk, item_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    item = get_object_or_404(ActionItem, pk=item_pk, meeting=meeting, topic=topic)
    form = f.ItemForm(request.POST, auto_id=f"t{topic.pk}-item-%s", **_lists(meeting, request.POST))

    def call(data):
        saved = corrections.record_item_update(actor=request.user, meeting=meeting, item=item, data=data)
        return {"saved_item": saved, "warnings": getattr(saved, "findings", []), "record": saved.record}

    return _save(request, meeting, topic, "item", form, call, model=ActionItem)


def _item_initial(item):
    initial = {name: getattr(item, name) for name in ("task", "deliverable", "due", "support_needed")}
    initial.update(owner=item.owner_id, department=item.department_id, owner_confirmed=item.owner_confirmed,
                   collaborators=list(item.collaborators.values_list("pk", flat=True)))
    return initial


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
    """A row's form filled in (viewpoint, disagreement, decision, action item), in place of the topic's empty one."""
    meeting, topic = _topic(request, pk, topic_pk)
    if kind not in EDITABLE:
        raise Http404
    view = topic_view(meeting, record_of(meeting), topic)
    if row_pk == 0:  # "Cancel": the empty form again
        form = topic_forms(view, user=request.user, **_named(meeting, request.user.department_id))[kind]
        return HttpResponse(_form_html(request, meeting, view, kind, form))
    if kind == "item":
        row = get_object_or_404(ActionItem, pk=row_pk, meeting=meeting, topic=topic)
        initial = _item_initial(row)
        form = f.ItemForm(initial=initial, auto_id=f"t{topic.pk}-item-%s",
                          **_named(meeting, row.owner_id, row.department_id, *initial["collaborators"]))
        form.fields.pop("decision")
    else:
        row = get_object_or_404(ROWS[kind], pk=row_pk, topic=topic)
    if kind == "note":
        form = f.NoteForm(initial={"text": row.text, "department": row.department_id},
                          auto_id=f"t{topic.pk}-note-%s", **_named(meeting, row.department_id))
    elif kind == "dis":
        initial = {name: getattr(row, name) for name in services.DISAGREEMENT_FIELDS}
        initial.update(escalate_to=row.escalate_to_id, owner=row.owner_id)
        form = f.DisagreementForm(initial=initial, auto_id=f"t{topic.pk}-dis-%s",
                                  **_named(meeting, row.escalate_to_id, row.owner_id))
    elif kind == "dec":
        initial = {name: getattr(row, name) for name in services.DECISION_FIELDS}
        initial["decided_by"] = row.decided_by_id
        form = f.DecisionForm(initial=initial, auto_id=f"t{topic.pk}-dec-%s", **_named(meeting, row.decided_by_id))
    next(iter(form.fields.values())).widget.attrs["autofocus"] = True
    return HttpResponse(_form_html(request, meeting, view, kind, form, editing=row))




@login_required
@require_POST
def row_delete(request, pk, topic_pk, kind, row_pk):
    meeting, topic = _topic(request, pk, topic_pk)
    if kind == "item":
        item = get_object_or_404(ActionItem, pk=row_pk, meeting=meeting, topic=topic)
        return button_write(request, meeting, lambda: corrections.record_item_delete(
            actor=request.user, meeting=meeting, item=item),
            sections=lambda: [topic_section(topic.pk)], anchor=f"topic-{topic.pk}")
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
