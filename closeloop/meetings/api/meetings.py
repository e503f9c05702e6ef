"""API for planning meetings: meetings, topics, participants, materials, series.

Every endpoint finds the meeting through meeting_for_user (404 for anyone not entitled, so
existence is not revealed) and changes it through the services (403 for people who may see
but not change it). Endpoints only parse, call the service and shape the answer.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile
from ninja.pagination import paginate

from closeloop.lib.apiutil import api_field_names, aware, in_org, org_of, organisation_tz, unknown_ref
from closeloop.lib.pagination import CappedCountPagination
from closeloop.lib.uploads import STORED_TYPES
from closeloop.meetings.api.schemas import (
    MaterialOut,
    MeetingFilter,
    MeetingIn,
    MeetingListOut,
    MeetingOut,
    MeetingPatch,
    ParticipantIn,
    ParticipantOut,
    ParticipantPatch,
    ReorderIn,
    TopicIn,
    TopicOut,
    TopicPatch,
)
from closeloop.meetings.models import Material, Participant, Series
from closeloop.meetings.selectors import (
    meeting_detail,
    meeting_for_user,
    meetings_visible_to,
    person_can_edit,
    topic_count,
)
from closeloop.meetings.services import planning as services
from closeloop.org.api.schemas import ErrorOut
from closeloop.org.models import Person, Project

router = Router(tags=["meetings"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Service errors name relations (`project`); the API's fields are `project_id`.
REF_FIELDS = ("project", "series", "person", "presenter", "topic", "host", "recorder")


def _detail(request, meeting):
    meeting = meeting_detail(meeting)
    meeting.can_edit = person_can_edit(request.auth, meeting)
    return meeting


def _day_start(value, org, next_day=False):
    """A date is a whole day in the organisation's time zone; a datetime is itself."""
    if isinstance(value, dt.datetime):
        return aware(value, org)
    day = value + dt.timedelta(days=1) if next_day else value
    return dt.datetime.combine(day, dt.time.min, tzinfo=organisation_tz(org))


def _meeting_refs(org, data):
    """Turn the *_id fields into objects of the caller's organisation; datetimes become aware."""
    for name, model in (("project", Project), ("series", Series)):
        if f"{name}_id" in data:
            data[name] = in_org(model, org, data.pop(f"{name}_id"), f"{name}_id")
    for name in ("start", "end"):
        if name in data:
            data[name] = aware(data[name], org)
    return data


def _person(org, pk, field):
    person = in_org(Person, org, pk, field)
    if person is not None and not person.is_active:
        raise unknown_ref(field, pk)
    return person


# --- Meetings -----------------------------------------------------------------------------

@router.get("", response=list[MeetingListOut], summary="Meetings you may see, newest first")
@paginate(CappedCountPagination)
def meetings_list(request, filters: Query[MeetingFilter]):
    org = org_of(request.auth)
    qs = (
        meetings_visible_to(request.auth)
        # The organisation is prefetched, not joined: joined, SQLite reads its one row first and then
        # sorts every meeting rather than reading the (organisation, start) index in order.
        .select_related("project", "series")
        .prefetch_related("organisation",
                          Prefetch("participants", queryset=Participant.objects.select_related("person")))
        .annotate(topic_count=topic_count())
    )
    f = filters
    if f.state:
        qs = qs.filter(state=f.state)
    if f.type:
        qs = qs.filter(type=f.type)
    if f.project is not None:
        qs = qs.filter(project_id=f.project)
    if f.series is not None:
        qs = qs.filter(series_id=f.series)
    if f.from_ is not None:
        qs = qs.filter(end__gt=_day_start(f.from_, org))
    if f.to is not None:
        qs = qs.filter(start__lt=_day_start(f.to, org, next_day=True))
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q.strip()))
    return qs.order_by("-start", "-id")


@router.post("", response={201: MeetingOut, **ERRORS}, summary="Plan a meeting (you become host unless host_id)")
def meeting_create(request, payload: MeetingIn):
    org = org_of(request.auth)
    data = payload.dict()
    host = _person(org, data.pop("host_id"), "host_id")
    recorder = _person(org, data.pop("recorder_id"), "recorder_id")
    with api_field_names(*REF_FIELDS):
        meeting = services.meeting_create(
            actor=request.auth, data=_meeting_refs(org, data), host=host, recorder=recorder)
    return 201, _detail(request, meeting)


@router.get("/{meeting_id}", response={200: MeetingOut, 404: ErrorOut}, summary="One meeting with everything in it")
def meeting_get(request, meeting_id: int):
    return _detail(request, meeting_for_user(request.auth, meeting_id))


@router.patch("/{meeting_id}", response={200: MeetingOut, 409: ErrorOut, **ERRORS},
              summary="Change a meeting; send the version you read")
def meeting_update(request, meeting_id: int, payload: MeetingPatch):
    meeting = meeting_for_user(request.auth, meeting_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    with api_field_names(*REF_FIELDS):
        meeting = services.meeting_update(
            actor=request.auth, meeting=meeting, data=_meeting_refs(meeting.organisation, data), version=version)
    return _detail(request, meeting)


# --- Topics -------------------------------------------------------------------------------

def _topic_refs(meeting, data):
    if "presenter_id" in data:
        data["presenter"] = _person(meeting.organisation, data.pop("presenter_id"), "presenter_id")
    return data


@router.post("/{meeting_id}/topics", response={201: TopicOut, **ERRORS}, summary="Add a topic")
def topic_create(request, meeting_id: int, payload: TopicIn):
    meeting = meeting_for_user(request.auth, meeting_id)
    with api_field_names(*REF_FIELDS):
        topic = services.topic_add(actor=request.auth, meeting=meeting, data=_topic_refs(meeting, payload.dict()))
    return 201, topic


@router.post("/{meeting_id}/topics/reorder", response={200: list[TopicOut], **ERRORS},
             summary="Put the topics in this order (every topic once)")
def topics_reorder(request, meeting_id: int, payload: ReorderIn):
    meeting = meeting_for_user(request.auth, meeting_id)
    services.topics_reorder(actor=request.auth, meeting=meeting, topic_ids=payload.topic_ids)
    return meeting.topics.select_related("presenter").order_by("order", "id")


@router.patch("/{meeting_id}/topics/{topic_id}", response={200: TopicOut, **ERRORS}, summary="Change a topic")
def topic_update(request, meeting_id: int, topic_id: int, payload: TopicPatch):
    meeting = meeting_for_user(request.auth, meeting_id)
    topic = get_object_or_404(meeting.topics, pk=topic_id)
    with api_field_names(*REF_FIELDS):
        return services.topic_update(
            actor=request.auth, topic=topic, data=_topic_refs(meeting, payload.dict(exclude_unset=True)))


@router.delete("/{meeting_id}/topics/{topic_id}", response={204: None, **ERRORS}, summary="Remove a topic")
def topic_delete(request, meeting_id: int, topic_id: int):
    meeting = meeting_for_user(request.auth, meeting_id)
    services.topic_delete(actor=request.auth, topic=get_object_or_404(meeting.topics, pk=topic_id))
    return 204, None


# --- Participants -------------------------------------------------------------------------

@router.post("/{meeting_id}/participants", response={201: ParticipantOut, **ERRORS},
             summary="Invite a person with roles (or replace the roles of one already invited)")
def participant_create(request, meeting_id: int, payload: ParticipantIn):
    meeting = meeting_for_user(request.auth, meeting_id)
    person = _person(meeting.organisation, payload.person_id, "person_id")
    with api_field_names(*REF_FIELDS):
        participant = services.participant_set(
            actor=request.auth, meeting=meeting, person=person, roles=payload.roles, required=payload.required)
    return 201, participant


@router.patch("/{meeting_id}/participants/{participant_id}", response={200: ParticipantOut, **ERRORS},
              summary="Change a participant's roles or whether they are required")
def participant_update(request, meeting_id: int, participant_id: int, payload: ParticipantPatch):
    meeting = meeting_for_user(request.auth, meeting_id)
    participant = get_object_or_404(meeting.participants.select_related("person"), pk=participant_id)
    data = payload.dict(exclude_unset=True)
    with api_field_names(*REF_FIELDS):
        return services.participant_set(
            actor=request.auth, meeting=meeting, person=participant.person,
            roles=data.get("roles", participant.role_list), required=data.get("required", participant.required))


@router.delete("/{meeting_id}/participants/{participant_id}", response={204: None, **ERRORS},
               summary="Remove a participant")
def participant_delete(request, meeting_id: int, participant_id: int):
    meeting = meeting_for_user(request.auth, meeting_id)
    participant = get_object_or_404(meeting.participants, pk=participant_id)
    with api_field_names(*REF_FIELDS):
        services.participant_remove(actor=request.auth, participant=participant)
    return 204, None


# --- Materials ----------------------------------------------------------------------------

@router.post("/{meeting_id}/materials", response={201: MaterialOut, **ERRORS},
             summary="Upload a pre-read file (multipart: file, optional topic_id and pages)")
def material_create(request, meeting_id: int, file: File[UploadedFile],
                    topic_id: Form[int | None] = None, pages: Form[int | None] = None):
    meeting = meeting_for_user(request.auth, meeting_id)
    topic = None
    if topic_id is not None:
        topic = meeting.topics.filter(pk=topic_id).first()
        if topic is None:
            raise unknown_ref("topic_id", topic_id)
    if pages is not None and not 0 < pages <= 10000:
        raise ValidationError({"pages": _("Enter a number from 1 to 10000.")})
    with api_field_names(*REF_FIELDS):
        material = services.material_add(actor=request.auth, meeting=meeting, upload=file, topic=topic, pages=pages)
    return 201, material


@router.get("/{meeting_id}/materials/{material_id}/download", url_name="material_download",
            response={200: None, 404: ErrorOut}, summary="Download a pre-read file",
            openapi_extra={"responses": {200: {"description": "The file, in the type read from its content.",
                                               "content": {mime: {"schema": {"type": "string", "format": "binary"}}
                                                           for mime in STORED_TYPES}}}})
def material_download(request, meeting_id: int, material_id: int):
    meeting = meeting_for_user(request.auth, meeting_id)
    material = get_object_or_404(Material, pk=material_id, meeting=meeting)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=material.name,
                        content_type=material.content_type or "application/octet-stream")


@router.delete("/{meeting_id}/materials/{material_id}", response={204: None, **ERRORS}, summary="Remove a file")
def material_delete(request, meeting_id: int, material_id: int):
    meeting = meeting_for_user(request.auth, meeting_id)
    services.material_delete(actor=request.auth, material=get_object_or_404(Material, pk=material_id, meeting=meeting))
    return 204, None
