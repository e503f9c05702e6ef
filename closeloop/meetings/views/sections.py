"""The detail page's sections (topics, participants, materials), edited in place with htmx.

Every write is a POST that calls a service; htmx gets the section back (and an `agendaChanged`
event so the agenda-check panel reloads itself); without JavaScript the browser is redirected
to the detail page, or shown it again with the errors.
"""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from closeloop.lib.htmx import partial_or_redirect, render_partial_or_page, saved_through
from closeloop.meetings.forms import MaterialForm, ParticipantForm, TopicForm
from closeloop.meetings.models import Material, Participant, Topic
from closeloop.meetings.pages import (
    ADD_PARTICIPANT,
    ADD_TOPIC,
    EDIT_PARTICIPANT,
    EDIT_TOPIC,
    MATERIAL,
    detail_context,
)
from closeloop.meetings.selectors import meeting_for_user
from closeloop.meetings.services import planning as services
from closeloop.org.selectors import people_choices

AGENDA_CHANGED = "agendaChanged"
PAGE = "meetings/meeting_detail.html"


def _section(request, meeting, name, *, changed=False, **extra):
    context = detail_context(request, meeting, **extra)
    return render_partial_or_page(
        request, partial=f"meetings/partials/{name}.html", page=PAGE, context=context,
        trigger=AGENDA_CHANGED if changed else None,
    )


def _section_url(meeting, name):
    return reverse("meetings:detail", args=[meeting.pk]) + f"#{name}"


def _done(request, meeting, name, **extra):
    """After a successful write: the fresh section for htmx, else back to the page (post/redirect/get)."""
    return partial_or_redirect(request, _section_url(meeting, name),
                               lambda: _section(request, meeting, name, changed=True, **extra))


def _save(request, meeting, name, form, call, *, model, form_as, saved=dict, **refused):
    """Write through the service: the fresh section (with `saved()`'s extras), or the section with the form
    back in its place (`form_as`) showing its errors."""
    return saved_through(
        request, form, call, model=model, redirect_to=_section_url(meeting, name),
        ok=lambda _result: _section(request, meeting, name, changed=True, **saved()),
        error=lambda form: _section(request, meeting, name, **{form_as: form}, **refused))


def _opened_in_place(request, meeting, name, rows, key, edit_form):
    """The section; `?edit=<id>` opens that row's `edit_form(row)` in place (`editing_<key>`, `edit_<key>_form`)."""
    try:
        row = rows.filter(pk=int(request.GET.get("edit"))).first()
    except (TypeError, ValueError):
        row = None
    extra = {} if row is None else {f"editing_{key}": row.pk, f"edit_{key}_form": edit_form(row)}
    return _section(request, meeting, name, **extra)


def _topic_form(meeting, data=None, *, editing=False, **kwargs):
    form = TopicForm(data, meeting=meeting, people=people_choices(meeting.organisation_id),
                     auto_id=EDIT_TOPIC if editing else ADD_TOPIC, **kwargs)
    if editing:
        form.fields["title"].widget.attrs["autofocus"] = True  # keyboard users land in the opened form
    return form


def _fresh_topic_form(meeting):
    # Agendas are typed topic after topic: leave an empty form open, the cursor in its title.
    fresh = _topic_form(meeting)
    fresh.fields["title"].widget.attrs["autofocus"] = True
    return {"keep_adding": True, "topic_form": fresh}


# Topics ---------------------------------------------------------------------------------------

@login_required
@require_GET
def topics(request, pk):
    """The topics section; `?edit=<topic id>` opens that topic's form in place."""
    meeting = meeting_for_user(request.user, pk)
    return _opened_in_place(request, meeting, "topics", meeting.topics, "topic", lambda topic: _topic_form(
        meeting, editing=True, initial={**{f: getattr(topic, f) for f in services.TOPIC_FIELDS},
                                        "presenter": topic.presenter_id}))


@login_required
@require_POST
def topic_add(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return _save(request, meeting, "topics", _topic_form(meeting, request.POST),
                 lambda data: services.topic_add(actor=request.user, meeting=meeting, data=data),
                 model=Topic, form_as="topic_form", saved=lambda: _fresh_topic_form(meeting))


@login_required
@require_POST
def topic_edit(request, pk, topic_pk):
    meeting = meeting_for_user(request.user, pk)
    topic = get_object_or_404(Topic, pk=topic_pk, meeting=meeting)
    return _save(request, meeting, "topics", _topic_form(meeting, request.POST, editing=True),
                 lambda data: services.topic_update(actor=request.user, topic=topic, data=data),
                 model=Topic, form_as="edit_topic_form", editing_topic=topic.pk,
                 saved=lambda: {"focus_topic": topic.pk})  # keyboard focus stays on the topic


@login_required
@require_POST
def topic_delete(request, pk, topic_pk):
    meeting = meeting_for_user(request.user, pk)
    topic = get_object_or_404(Topic, pk=topic_pk, meeting=meeting)
    services.topic_delete(actor=request.user, topic=topic)
    return _done(request, meeting, "topics")


@login_required
@require_POST
def topic_move(request, pk, topic_pk):
    """Move one topic up or down by one place (keyboard friendly, no drag and drop needed)."""
    meeting = meeting_for_user(request.user, pk)
    ids = list(meeting.topics.order_by("order", "id").values_list("pk", flat=True))
    if topic_pk not in ids:
        raise Http404
    i = ids.index(topic_pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        services.topics_reorder(actor=request.user, meeting=meeting, topic_ids=ids)
    # Focus follows the moved topic, so pressing Enter again moves it further.
    return _done(request, meeting, "topics", focus_topic=topic_pk, focus_move=direction)


# Participants ---------------------------------------------------------------------------------

@login_required
@require_GET
def participants(request, pk):
    """The participants section; `?edit=<participant id>` opens that person's roles in place."""
    meeting = meeting_for_user(request.user, pk)
    return _opened_in_place(request, meeting, "participants", meeting.participants, "participant",
                            lambda participant: _participant_form(meeting, participant))


def _participant_form(meeting, participant):
    form = ParticipantForm(meeting=meeting, participant=participant, auto_id=EDIT_PARTICIPANT)
    form.fields["roles"].widget.attrs["autofocus"] = True
    return form


def _participant_set(request, meeting, person=None):
    """The write of the participant forms: `person` is fixed when editing, chosen when adding."""
    return lambda data: services.participant_set(actor=request.user, meeting=meeting,
                                                 person=person or data["person"], roles=data["roles"],
                                                 required=data["required"])


@login_required
@require_POST
def participant_add(request, pk):
    meeting = meeting_for_user(request.user, pk)
    form = ParticipantForm(request.POST, meeting=meeting, people=people_choices(meeting.organisation_id),
                           auto_id=ADD_PARTICIPANT)
    return _save(request, meeting, "participants", form, _participant_set(request, meeting),
                 model=Participant, form_as="participant_form")


@login_required
@require_POST
def participant_edit(request, pk, participant_pk):
    meeting = meeting_for_user(request.user, pk)
    participant = get_object_or_404(Participant.objects.select_related("person"), pk=participant_pk,
                                    meeting=meeting)
    form = ParticipantForm(request.POST, meeting=meeting, participant=participant, auto_id=EDIT_PARTICIPANT)
    return _save(request, meeting, "participants", form, _participant_set(request, meeting, participant.person),
                 model=Participant, form_as="edit_participant_form", editing_participant=participant.pk,
                 saved=lambda: {"focus_participant": participant.pk})


@login_required
@require_POST
def participant_remove(request, pk, participant_pk):
    meeting = meeting_for_user(request.user, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, meeting=meeting)
    try:
        services.participant_remove(actor=request.user, participant=participant)
    except ValidationError as exc:
        return _section(request, meeting, "participants", participant_errors=exc.messages)
    return _done(request, meeting, "participants")


# Materials ------------------------------------------------------------------------------------

@login_required
@require_GET
def materials(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return _section(request, meeting, "materials")


@login_required
@require_POST
def material_upload(request, pk):
    meeting = meeting_for_user(request.user, pk)
    form = MaterialForm(request.POST, request.FILES, meeting=meeting, auto_id=MATERIAL)
    return _save(request, meeting, "materials", form, lambda data: services.material_add(
        actor=request.user, meeting=meeting, upload=data["file"], topic=data["topic"], pages=data["pages"]),
        model=Material, form_as="material_form")


@login_required
@require_GET
def material_download(request, pk, material_pk):
    """Files are served only through this permission check; the media folder is never public."""
    meeting = meeting_for_user(request.user, pk)
    material = get_object_or_404(Material, pk=material_pk, meeting=meeting)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = material.content_type or mimetypes.guess_type(material.name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=material.name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def material_delete(request, pk, material_pk):
    meeting = meeting_for_user(request.user, pk)
    material = get_object_or_404(Material, pk=material_pk, meeting=meeting)
    services.material_delete(actor=request.user, material=material)
    return _done(request, meeting, "materials")
