"""API shapes for action items: the item, its history, the writes and the SMART check.

Dates are plain dates (the organisation's calendar); moments go out in the organisation's time zone.
"""

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from closeloop.actions.choices import ChangeKind, ChangeState, EventKind, ItemStatus
from closeloop.actions.selectors.lists import ALL, OPEN, ItemQuery
from closeloop.lib.pagination import EMBEDDED
from closeloop.org.api.schemas import NonBlank, PersonRef, no_null


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
    history: list[EventOut] = Field(..., description=(
        f"The latest {EMBEDDED} entries of the history (the newest end is kept), oldest first; "
        "the whole history: GET /actions/{id}/history."))
    history_count: int = Field(..., description="How many entries the whole history has.")
    history_more: bool = Field(..., description="true when older entries than those in `history` exist.")
    findings: list[FindingOut] = Field(
        default_factory=list, description="Warnings of the SMART check after a create or edit.")

    @staticmethod
    def resolve_history_more(obj):
        return obj.history_count > len(obj.history)


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


SORT_KEYS = ("due", "-due", "status", "owner", "updated")


class ListFilter(ItemFilter):
    """The list's filters, with `open` and the sort order."""

    open: bool | None = Field(None, description="true: only open items (not started, in progress, delayed).")
    sort: Literal["due", "-due", "status", "owner", "updated"] = Field(
        "due", description="due (no date last), -due, status (workflow order), owner (name), updated (latest first).")

    def as_query(self):
        """These filters as the selectors' ItemQuery: no status and no `open` means every status."""
        status = self.status or (OPEN if self.open else ALL)
        return ItemQuery(status=status, owner_id=self.owner, department_id=self.department,
                         meeting_id=self.meeting, project_id=self.project, due_from=self.due_from,
                         due_to=self.due_to, overdue=self.overdue, sort=self.sort)

class ExportFilter(ListFilter):
    lang: Literal["zh-hans", "en"] | None = Field(None, description="Header language; default: yours.")


class ChangeIn(Schema):
    reason: NonBlank = Field(..., min_length=1, max_length=2000)
    new_due: dt.date | None = Field(None, description="The due date asked for.")
    new_task: str = Field("", max_length=2000, description="The task as it should read.")
    new_deliverable: str = Field("", max_length=2000, description="The deliverable as it should read.")


class DecisionIn(Schema):
    comment: str = Field("", max_length=2000, description="Needed to refuse.")


class ChangeOut(Schema):
    id: int
    item_id: int
    kind: ChangeKind
    state: ChangeState
    requested_by: PersonRef | None
    reason: str
    old_due: dt.date | None
    new_due: dt.date | None
    old_task: str
    new_task: str
    old_deliverable: str
    new_deliverable: str
    decided_by: PersonRef | None
    decided_at: dt.datetime | None
    comment: str
    created_at: dt.datetime


class ProblemOut(Schema):
    row: int | None = Field(..., description="The spreadsheet's row number; null for the file as a whole.")
    column: str = Field(..., description="The column's header as written in the file.")
    field: str
    message: str
    text: str = Field(..., description="The problem in one line, e.g. 第3行 截止时间: ….")


class ImportOut(Schema):
    created: int
    item_ids: list[int]
    warnings: list[ProblemOut]


class ImportRefusedOut(Schema):
    """A refused import: `problems` lists each wrong cell; a request the schema refuses before reading the file
    (no file, a malformed form) carries only `detail` and `errors`."""

    detail: str
    errors: dict[str, list[str]]
    problems: list[ProblemOut] = Field(default_factory=list)


class FeedOut(Schema):
    url: str | None = Field(..., description="The secret .ics address; null when there is none.")
    created_at: dt.datetime | None
    last_used_at: dt.datetime | None


class TopicOut(Schema):
    id: int
    order: int
    title: str
    minutes: int
    kind: str
    required_outcome: str
    materials_note: str
    item_count: int
