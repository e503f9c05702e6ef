"""API shapes for the live record. Moments go out in the organisation's time zone; dates are plain dates."""

import datetime as dt

from ninja import Field, Schema

from closeloop.actions.choices import ItemStatus
from closeloop.org.api.schemas import NonBlank, PersonRef
from closeloop.record.choices import Presence, ResolutionPath


class Ref(Schema):
    id: int
    name: str


class SuggestionOut(Schema):
    presence: Presence
    reason: str
    substitute_id: int | None


class AttendanceOut(Schema):
    person: PersonRef
    department: Ref | None
    signed_in: bool = Field(..., description="False until the recorder signs this participant in.")
    presence: Presence | None
    reason: str
    substitute: PersonRef | None
    suggested: SuggestionOut = Field(..., description="What the answer to the notice suggests.")


class TimerOut(Schema):
    running: bool
    started_at: dt.datetime | None
    elapsed_seconds: int
    budget_seconds: int
    remaining_seconds: int = Field(..., description="Negative once over budget.")
    over_budget: bool


class NoteOut(Schema):
    id: int
    department: Ref | None
    text: str
    author: PersonRef | None
    created_at: dt.datetime


class DisagreementOut(Schema):
    id: int
    topic_id: int
    subject: str
    parties: str
    positions: str
    path: ResolutionPath | None
    escalate_to: PersonRef | None
    owner: PersonRef | None
    data_needed: str
    due: dt.date | None
    action_item_id: int | None

    @staticmethod
    def resolve_path(obj):
        return obj.path or None


class DecisionOut(Schema):
    id: int
    topic_id: int
    text: str
    decided_by: PersonRef | None
    no_objection: bool
    no_action_needed: bool


class FindingOut(Schema):
    rule: str
    severity: str
    message: str
    field: str


class ItemOut(Schema):
    id: int
    topic_id: int | None
    decision_id: int | None
    task: str
    owner: PersonRef | None
    department: Ref | None
    collaborators: list[PersonRef]
    deliverable: str
    due: dt.date | None
    support_needed: str
    status: ItemStatus
    progress: int
    owner_confirmed: bool
    findings: list[FindingOut] = Field(default_factory=list, description="SMART warnings after a create.")

    @staticmethod
    def resolve_collaborators(obj):
        return list(obj.collaborators.all())

    @staticmethod
    def resolve_findings(obj):
        return [f.as_dict() for f in getattr(obj, "findings", [])]


class ReviewItemOut(Schema):
    id: int
    meeting_id: int | None
    task: str
    owner: PersonRef | None
    due: dt.date | None
    status: ItemStatus
    progress: int
    overdue: bool
    can_update: bool


class TopicOut(Schema):
    id: int
    number: int
    title: str
    kind: str
    minutes: int
    presenter: PersonRef | None
    timer: TimerOut
    no_decision_reason: str
    notes: list[NoteOut]
    disagreements: list[DisagreementOut]
    decisions: list[DecisionOut]
    action_items: list[ItemOut]


class OpenPointOut(Schema):
    rule: str
    message: str
    topic_id: int | None
    object_type: str
    object_id: int
    field: str


class PageInfo(Schema):
    page: int
    per_page: int
    count: int = Field(..., description="Rows in the whole list.")
    pages: int


class PagesOut(Schema):
    attendance: PageInfo
    review: PageInfo
    topics: PageInfo
    open_points: PageInfo


class RecordOut(Schema):
    meeting_id: int
    state: str = Field(..., description="not_started, open or closed.")
    revision: int = Field(..., description="Grows with every change; poll /revision and reload when it moved.")
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_by: PersonRef | None
    can_record: bool
    close_mode: str = Field(..., description="The policy for closing with open points: warn or block.")
    attendance: list[AttendanceOut]
    review: list[ReviewItemOut]
    topics: list[TopicOut]
    open_points: list[OpenPointOut]
    pages: PagesOut = Field(..., description="How many rows and pages each paged list has.")


class RevisionOut(Schema):
    state: str
    revision: int


class AttendanceIn(Schema):
    person_id: int
    presence: Presence
    reason: str = Field("", max_length=300)
    substitute_id: int | None = None


class NoteIn(Schema):
    text: NonBlank = Field(..., min_length=1, max_length=5000)
    department_id: int | None = Field(None, description="Defaults to your department.")


class DisagreementIn(Schema):
    subject: NonBlank = Field(..., min_length=1, max_length=2000)
    parties: str = Field("", max_length=300)
    positions: str = Field("", max_length=5000)
    path: ResolutionPath | None = Field(None, description="escalate (escalate_to_id), data (owner_id, "
                                                          "data_needed, due) or resolved.")
    escalate_to_id: int | None = None
    owner_id: int | None = None
    data_needed: str = Field("", max_length=2000)
    due: dt.date | None = Field(None, description="For data: defaults to the policy's follow-up hours after "
                                                  "the meeting.")
    owner_confirmed: bool = False


class DecisionIn(Schema):
    text: NonBlank = Field(..., min_length=1, max_length=5000)
    decided_by_id: int | None = None
    no_objection: bool = False
    no_action_needed: bool = False


class ItemIn(Schema):
    task: NonBlank = Field(..., min_length=1, max_length=2000)
    owner_id: int | None = None
    department_id: int | None = Field(None, description="Defaults to the owner's department.")
    collaborator_ids: list[int] = Field(default_factory=list)
    deliverable: str = Field("", max_length=2000)
    due: dt.date | None = None
    support_needed: str = Field("", max_length=2000)
    decision_id: int | None = Field(None, description="The decision of this topic it carries out.")
    owner_confirmed: bool = False


class TimerIn(Schema):
    action: str = Field(..., pattern="^(start|stop)$")


class ReasonIn(Schema):
    reason: str = Field("", max_length=5000)


class ReviewStatusIn(Schema):
    status: ItemStatus
    reason: str = Field("", max_length=2000)
    new_due: dt.date | None = None
    note: str = Field("", max_length=2000)


class ReviewProgressIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    note: str = Field("", max_length=2000)


class CloseIn(Schema):
    force: bool = Field(False, description="Close despite open points (only where the policy warns).")


class LoopOpenOut(Schema):
    """Closing refused. When the loop check refused it, `mode`, `can_force` and `open_points` say why; a request
    refused before the check (a malformed body, a closed record) carries only `detail` and `errors`."""

    detail: str
    errors: dict[str, list[str]]
    mode: str | None = None
    can_force: bool = False
    open_points: list[OpenPointOut] = Field(default_factory=list)
