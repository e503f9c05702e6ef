"""The detail page's sections (topics, participants, materials), edited in place with htmx.

Every write is a POST that calls a service; htmx gets the section back (and an `agendaChanged`
event so the agenda-check panel reloads itself); without JavaScript the browser is redirected
to the detail page, or shown it again with the errors.
"""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from closeloop.lib.forms import saved_through
from closeloop.lib.htmx import is_partial, render_partial_or_page
from closeloop.meetings.forms import MaterialForm, ParticipantForm, TopicForm, org_people
from closeloop.meetings.models import Material, Participant, Topic
from closeloop.meetings.selectors import meeting_for_user
from closeloop.meetings.services import planning as services
from closeloop.meetings.views.planning import (
    ADD_PARTICIPANT,
    ADD_TOPIC,
    EDIT_PARTICIPANT,
    EDIT_TOPIC,
    MATERIAL,
    detail_context,
)

AGENDA_CHANGED = "agendaChanged"
PAGE = "meetings/meeting_detail.html"


def _section(request, meeting, name, *, changed=False, **extra):
    context = detail_context(request, meeting, **extra)
    return render_partial_or_page(
        request, partial=f"meetings/partials/{name}.html", page=PAGE, context=context,
        trigger=AGENDA_CHANGED if changed else None,
    )


def _done(request, meeting, name, **extra):
    """After a successful write: the fresh section for htmx, else back to the page (post/redirect/get)."""
    if is_partial(request):
        return _section(request, meeting, name, changed=True, **extra)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#{name}")


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _topic_form(meeting, data=None, *, editing=False, **kwargs):
    invited = set(Participant.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    form = TopicForm(data, meeting=meeting, people=org_people(meeting.organisation_id), participant_ids=invited,
                     auto_id=EDIT_TOPIC if editing else ADD_TOPIC, **kwargs)
    if editing:
        form.fields["title"].widget.attrs["autofocus"] = True  # keyboard users land in the opened form
    return form


# Topics ---------------------------------------------------------------------------------------

@login_required
@require_GET
def topics(request, pk):
    """The topics section; `?edit=<topic id>` opens that topic's form in place."""
    meeting = meeting_for_user(request.user, pk)
    topic = meeting.topics.filter(pk=_int_or_none(request.GET.get("edit"))).first()
    extra = {}
    if topic is not None:
        initial = {f: getattr(topic, f) for f in services.TOPIC_FIELDS}
        initial["presenter"] = topic.presenter_id
        extra = {"editing_topic": topic.pk, "edit_topic_form": _topic_form(meeting, editing=True, initial=initial)}
    return _section(request, meeting, "topics", **extra)


@login_required
@require_POST
def topic_add(request, pk):
    meeting = meeting_for_user(request.user, pk)
    form = _topic_form(meeting, request.POST)
    if saved_through(form, lambda data: services.topic_add(actor=request.user, meeting=meeting, data=data), Topic):
        # Agendas are typed topic after topic: leave an empty form open, the cursor in its title.
        fresh = _topic_form(meeting)
        fresh.fields["title"].widget.attrs["autofocus"] = True
        return _done(request, meeting, "topics", keep_adding=True, topic_form=fresh)
    return _section(request, meeting, "topics", topic_form=form)


@login_required
@require_POST
def topic_edit(request, pk, topic_pk):
    meeting = meeting_for_user(request.user, pk)
    topic = get_object_or_404(Topic, pk=topic_pk, meeting=meeting)
    form = _topic_form(meeting, request.POST, editing=True)
    if saved_through(form, lambda data: services.topic_update(actor=request.user, topic=topic, data=data), Topic):
        return _done(request, meeting, "topics", focus_topic=topic.pk)  # keyboard focus stays on it
    return _section(request, meeting, "topics", editing_topic=topic.pk, edit_topic_form=form)


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
    participant = meeting.participants.filter(pk=_int_or_none(request.GET.get("edit"))).first()
    extra = {}
    if participant is not None:
        form = ParticipantForm(meeting=meeting, participant=participant, auto_id=EDIT_PARTICIPANT)
        form.fields["roles"].widget.attrs["autofocus"] = True
        extra = {"editing_participant": participant.pk, "edit_participant_form": form}
    return _section(request, meeting, "participants", **extra)


@login_required
@require_POST
def participant_add(request, pk):
    meeting = meeting_for_user(request.user, pk)
    form = ParticipantForm(request.POST, meeting=meeting, people=org_people(meeting.organisation_id),
                           auto_id=ADD_PARTICIPANT)
    if saved_through(form, lambda data: services.participant_set(
            actor=request.user, meeting=meeting, person=data["person"], roles=data["roles"],
            required=data["required"]), Participant):
        return _done(request, meeting, "participants")
    return _section(request, meeting, "participants", participant_form=form)


@login_required
@require_POST
def participant_edit(request, pk, participant_pk):
    meeting = meeting_for_user(request.user, pk)
    participant = get_object_or_404(Participant.objects.select_related("person"), pk=participant_pk,
                                    meeting=meeting)
    form = ParticipantForm(request.POST, meeting=meeting, participant=participant, auto_id=EDIT_PARTICIPANT)
    if saved_through(form, lambda data: services.participant_set(
            actor=request.user, meeting=meeting, person=participant.person, roles=data["roles"],
            required=data["required"]), Participant):
        return _done(request, meeting, "participants", focus_participant=participant.pk)
    return _section(request, meeting, "participants", editing_participant=participant.pk,
                    edit_participant_form=form)


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
    if saved_through(form, lambda data: services.material_add(
            actor=request.user, meeting=meeting, upload=data["file"], topic=data["topic"], pages=data["pages"]),
            Material):
        return _done(request, meeting, "materials")
    return _section(request, meeting, "materials", material_form=form)


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
