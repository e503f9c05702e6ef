"""API shapes for planning meetings: the meeting, its topics, participants, materials and series.

Datetimes go out in the organisation's time zone (with their offset); naive ones coming in are
read in that zone by the endpoints.
"""

import datetime as dt
from typing import Annotated

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema
from pydantic import BeforeValidator, field_validator

from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.choices import MeetingState, MeetingType, ParticipantRole, Response, TopicKind
from closeloop.org.api.schemas import NonBlank, PersonRef, no_null


def _local(value, organisation):
    return timezone.localtime(value, organisation_tz(organisation)) if value else value


class Ref(Schema):
    id: int
    name: str


class TopicOut(Schema):
    id: int
    order: int
    title: str
    presenter: PersonRef | None
    minutes: int
    presentation_minutes: int | None
    kind: TopicKind
    required_outcome: str
    urgent: bool
    materials_note: str


class ParticipantOut(Schema):
    id: int
    person: PersonRef
    department: Ref | None
    roles: list[ParticipantRole]
    required: bool
    response: Response
    response_reason: str
    substitute: PersonRef | None
    responded_at: dt.datetime | None

    @staticmethod
    def resolve_department(obj):
        return obj.person.department

    @staticmethod
    def resolve_roles(obj):
        return obj.role_list

    @staticmethod
    def resolve_responded_at(obj):
        return _local(obj.responded_at, obj.meeting.organisation)


class MaterialOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    pages: int | None
    topic_id: int | None
    uploaded_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_uploaded_at(obj):
        return _local(obj.uploaded_at, obj.meeting.organisation)

    @staticmethod
    def resolve_download_url(obj):
        return reverse("api:material_download", kwargs={"meeting_id": obj.meeting_id, "material_id": obj.pk})


class MeetingListOut(Schema):
    id: int
    type: MeetingType
    title: str
    start: dt.datetime
    end: dt.datetime
    place: str
    state: MeetingState
    urgent: bool
    confidential: bool
    project: Ref | None
    series: Ref | None
    host: PersonRef | None
    topic_count: int
    participant_count: int
    version: int
    notice_sequence: int

    @staticmethod
    def resolve_start(obj):
        return _local(obj.start, obj.organisation)

    @staticmethod
    def resolve_end(obj):
        return _local(obj.end, obj.organisation)

    @staticmethod
    def resolve_host(obj):
        # Uses the prefetched participants: no query per meeting.
        return next((p.person for p in obj.participants.all() if p.has_role(ParticipantRole.HOST)), None)

    @staticmethod
    def resolve_participant_count(obj):
        return len(obj.participants.all())


class MeetingOut(MeetingListOut):
    objective: str
    scope: str
    online_link: str
    notice_sent_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    can_edit: bool = Field(..., description="Whether you may change this meeting.")
    topics: list[TopicOut]
    participants: list[ParticipantOut]
    materials: list[MaterialOut]

    @staticmethod
    def resolve_topic_count(obj):
        return len(obj.topics.all())

    @staticmethod
    def resolve_notice_sent_at(obj):
        return _local(obj.notice_sent_at, obj.organisation)

    @staticmethod
    def resolve_created_at(obj):
        return _local(obj.created_at, obj.organisation)

    @staticmethod
    def resolve_updated_at(obj):
        return _local(obj.updated_at, obj.organisation)


def _date_or_datetime(value):
    """"2026-06-15" is a whole day; anything with a time is that moment."""
    if isinstance(value, str) and len(value.strip()) == 10:
        return dt.date.fromisoformat(value.strip())
    return value


class MeetingFilter(Schema):
    state: MeetingState | None = None
    type: MeetingType | None = None
    project: int | None = None
    series: int | None = None
    from_: Annotated[dt.datetime | dt.date | None, BeforeValidator(_date_or_datetime)] = Field(
        None, alias="from", description="Meetings ending after this date (whole day) or moment.")
    to: Annotated[dt.datetime | dt.date | None, BeforeValidator(_date_or_datetime)] = Field(
        None, description="Meetings starting before the end of this date, or before this moment.")
    q: str | None = Field(None, max_length=200, description="Title contains.")


class MeetingIn(Schema):
    type: MeetingType
    title: NonBlank = Field(..., min_length=1, max_length=200)
    objective: str = ""
    scope: str = ""
    start: dt.datetime = Field(..., description="ISO 8601; without an offset, the organisation's time zone.")
    end: dt.datetime
    place: str = Field("", max_length=200)
    online_link: str = Field("", max_length=200)
    project_id: int | None = None
    series_id: int | None = None
    urgent: bool = False
    confidential: bool = False
    host_id: int | None = Field(None, description="Defaults to you.")
    recorder_id: int | None = None


class MeetingPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409.")
    type: MeetingType | None = None
    title: NonBlank | None = Field(None, min_length=1, max_length=200)
    objective: str | None = None
    scope: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    place: str | None = Field(None, max_length=200)
    online_link: str | None = Field(None, max_length=200)
    project_id: int | None = None
    series_id: int | None = None
    urgent: bool | None = None
    confidential: bool | None = None

    _no_null = field_validator(
        "type", "title", "objective", "scope", "start", "end", "place", "online_link", "urgent", "confidential",
    )(no_null)


class TopicIn(Schema):
    title: NonBlank = Field(..., min_length=1, max_length=200)
    minutes: int = Field(..., ge=1, le=480)
    presentation_minutes: int | None = Field(None, ge=0, le=480)
    kind: TopicKind = TopicKind.DISCUSS
    presenter_id: int | None = None
    required_outcome: str = ""
    urgent: bool = False
    materials_note: str = ""
    order: int | None = Field(None, ge=1, le=1000, description="Defaults to after the last topic.")


class TopicPatch(Schema):
    title: NonBlank | None = Field(None, min_length=1, max_length=200)
    minutes: int | None = Field(None, ge=1, le=480)
    presentation_minutes: int | None = Field(None, ge=0, le=480)
    kind: TopicKind | None = None
    presenter_id: int | None = None
    required_outcome: str | None = None
    urgent: bool | None = None
    materials_note: str | None = None
    order: int | None = Field(None, ge=1, le=1000)

    _no_null = field_validator(
        "title", "minutes", "kind", "required_outcome", "urgent", "materials_note", "order")(no_null)


class ReorderIn(Schema):
    topic_ids: list[int]


class ParticipantIn(Schema):
    person_id: int
    roles: list[str] = Field(default_factory=list, description="Any of: " + ", ".join(ParticipantRole.values))
    required: bool = True


class ParticipantPatch(Schema):
    roles: list[str] | None = None
    required: bool | None = None

    _no_null = field_validator("roles", "required")(no_null)


class SeriesOut(Schema):
    id: int
    name: str
    project: Ref | None


class SeriesMeetingRef(Schema):
    id: int
    title: str
    start: dt.datetime
    state: str


class SeriesDetailOut(SeriesOut):
    meeting_type: str
    weekday: int = Field(description="0 is Monday.")
    interval_weeks: int
    start_time: dt.time
    duration_minutes: int
    place: str
    host: Ref | None
    recorder: Ref | None
    members: list[Ref]
    next_meeting: SeriesMeetingRef | None = Field(
        description="The series' next meeting already planned (not cancelled, not yet begun) that the caller may "
                    "see; null when none is planned.")
    next_day: dt.date = Field(description="The working day the next meeting falls on when planned now.")

    @staticmethod
    def resolve_host(obj):
        return obj.host and {"id": obj.host.pk, "name": str(obj.host)}

    @staticmethod
    def resolve_recorder(obj):
        return obj.recorder and {"id": obj.recorder.pk, "name": str(obj.recorder)}

    @staticmethod
    def resolve_members(obj):
        return [{"id": p.pk, "name": str(p)} for p in obj.members.all()]


class SeriesIn(Schema):
    name: NonBlank = Field(..., min_length=1, max_length=200)
    project_id: int | None = None
