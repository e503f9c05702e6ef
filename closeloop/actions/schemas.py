"""API shapes for action items: the item, its history, the writes and the SMART check.

Dates are plain dates (the organisation's calendar); moments go out in the organisation's time zone.
"""

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from closeloop.org.schemas import NonBlank, PersonRef, no_null

from .choices import EventKind, ItemStatus


class Ref(Schema):
    id: int
    name: str


class MeetingRef(Schema):
    id: int
    title: str


class EventOut(Schema):
    id: int
    at: dt.datetime
    actor: PersonRef | None
    kind: EventKind
    from_status: str
    to_status: str
    old_due: dt.date | None
    new_due: dt.date | None
    progress: int | None
    reason: str
    note: str


class ItemListOut(Schema):
    id: int
    task: str
    owner: PersonRef | None
    department: Ref | None
    collaborators: list[PersonRef]
    deliverable: str
    due: dt.date | None
    original_due: dt.date | None
    support_needed: str
    status: ItemStatus
    progress: int
    owner_confirmed: bool
    overdue: bool = Field(..., description="Open and past its due date (the organisation's today).")
    meeting: MeetingRef | None = Field(..., description="Null also when you may not see the meeting.")
    project: Ref | None
    topic_id: int | None
    decision_id: int | None
    version: int

    @staticmethod
    def resolve_collaborators(obj):
        return list(obj.collaborators.all())  # prefetched

    @staticmethod
    def resolve_meeting(obj):
        # The owner's head or a collaborator may see the item without being entitled to its meeting.
        return obj.meeting if getattr(obj, "meeting_visible", True) else None

    @staticmethod
    def resolve_overdue(obj):
        return bool(obj.is_overdue)


class FindingOut(Schema):
    rule: str
    severity: str
    message: str
    field: str = Field(..., description="The input field to fix (owner_id, due, task, deliverable).")
    params: dict


class ItemOut(ItemListOut):
    confirmed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    created_by: PersonRef | None
    can_change: bool = Field(..., description="Whether you may change this item.")
    can_confirm: bool = Field(..., description="Whether you may confirm it for the owner.")
    history: list[EventOut]
    findings: list[FindingOut] = Field(
        default_factory=list, description="Warnings of the SMART check after a create or edit.")

    @staticmethod
    def resolve_history(obj):
        return list(obj.events.all())  # prefetched


class ItemFilter(Schema):
    status: ItemStatus | None = None
    owner: int | None = Field(None, description="Owner's person id.")
    department: int | None = None
    meeting: int | None = None
    project: int | None = None
    overdue: bool | None = Field(None, description="true: open and past due; false: the others.")
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    mine: bool | None = Field(None, description="true: items you own or collaborate on.")


class ItemIn(Schema):
    meeting_id: int | None = Field(None, description="Only the host, recorder and admins add items to a meeting.")
    topic_id: int | None = None
    decision_id: int | None = None
    project_id: int | None = Field(None, description="Defaults to the meeting's project.")
    task: NonBlank = Field(..., min_length=1, max_length=2000)
    owner_id: int | None = None
    department_id: int | None = Field(None, description="Defaults to the owner's department.")
    collaborator_ids: list[int] = Field(default_factory=list)
    deliverable: str = Field("", max_length=2000)
    due: dt.date | None = None
    support_needed: str = Field("", max_length=2000)
    owner_confirmed: bool = Field(False, description="The owner (or the meeting's recorder for them) confirms.")


class ItemPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409.")
    task: NonBlank | None = Field(None, min_length=1, max_length=2000)
    owner_id: int | None = None
    department_id: int | None = None
    collaborator_ids: list[int] | None = None
    deliverable: str | None = Field(None, max_length=2000)
    due: dt.date | None = Field(None, description="Only before the owner confirmed; afterwards record a delay.")
    support_needed: str | None = Field(None, max_length=2000)
    project_id: int | None = None

    _no_null = field_validator("task", "collaborator_ids", "deliverable", "support_needed")(no_null)


class VersionIn(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409.")


class StatusIn(VersionIn):
    status: ItemStatus
    reason: str = Field("", max_length=2000, description="Needed to delay or cancel.")
    new_due: dt.date | None = Field(None, description="Needed to delay: the revised due date.")
    note: str = Field("", max_length=2000, description="Needed for done: what was delivered.")


class ProgressIn(VersionIn):
    percent: int = Field(..., ge=0, le=100)
    note: str = Field("", max_length=2000)


class SmartCheckIn(Schema):
    task: str = Field("", max_length=2000)
    owner_id: int | None = None
    due: dt.date | None = None
    deliverable: str = Field("", max_length=2000)
    meeting_id: int | None = None


class SmartCheckOut(Schema):
    blocking: bool
    findings: list[FindingOut]
