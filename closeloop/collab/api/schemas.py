"""API shapes for requests. Dates are plain dates; datetimes go out in the organisation's time zone."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Schema

from closeloop.lib.pagination import EMBEDDED
from closeloop.org.api.schemas import NonBlank, PersonRef

from ..choices import Answer, Missing, Priority, ReceiptState, RequestState, Scenario


class Ref(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj):
        return str(obj)


class RequestIn(Schema):
    subject: NonBlank = Field(..., max_length=200)
    receiving_departments: list[int] = Field(..., description="ids of the departments asked")
    scenario: Scenario = Scenario.PROJECT
    background: str = ""
    goal: str = ""
    what: NonBlank
    why: NonBlank
    due: dt.date = Field(..., description="wanted by (期望完成时间)")
    acceptance_standard: NonBlank
    priority: Priority = Priority.IMPORTANT
    needs_leadership: bool = False
    project: int | None = None
    wanted_start: dt.date | None = Field(None, description="wanted meeting or start; materials must reach the "
                                                            "receivers the policy's working days before")
    confidential: bool = False
    viewers: list[int] = Field(default_factory=list, description="people named on a confidential request")


class RequestPatch(Schema):
    version: int
    subject: NonBlank | None = Field(None, max_length=200)
    background: str | None = None
    goal: str | None = None
    what: NonBlank | None = None
    why: NonBlank | None = None
    due: dt.date | None = None
    acceptance_standard: NonBlank | None = None
    priority: Priority | None = None
    needs_leadership: bool | None = None
    wanted_start: dt.date | None = None


class AnswerIn(Schema):
    department: int
    answer: Answer
    note: str = ""
    missing: list[Missing] = Field(default_factory=list, description="for a difficulty: what is missing")
    proposed_date: dt.date | None = None
    resource_request: str = ""


class ReplyIn(Schema):
    department: int
    note: NonBlank


class NoteIn(Schema):
    note: str = ""


class WithdrawIn(Schema):
    reason: NonBlank


class MeetingPlanIn(Schema):
    type: str = "problem_analysis"
    title: str | None = Field(None, max_length=200)
    start: dt.datetime
    end: dt.datetime
    place: str = ""
    online_link: str = ""


class Warning(Schema):
    field: str
    message: str


class ReceiptOut(Schema):
    department: Ref
    head: PersonRef | None
    delegate: PersonRef | None
    state: ReceiptState
    answer_due: dt.date | None
    overdue: bool = False
    note: str
    missing: list[str]
    proposed_date: dt.date | None
    resource_request: str
    answered_by: PersonRef | None
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_head(obj):
        return obj.department.head

    @staticmethod
    def resolve_missing(obj):
        return obj.missing_list

    @staticmethod
    def resolve_answered_at(obj):
        return obj.answered_at and timezone.localtime(obj.answered_at)


class EventOut(Schema):
    kind: str
    department: Ref | None
    answer: str
    note: str
    actor: PersonRef | None
    at: dt.datetime
    late: bool

    @staticmethod
    def resolve_department(obj):
        return obj.receipt.department if obj.receipt_id else None

    @staticmethod
    def resolve_at(obj):
        return timezone.localtime(obj.at)


class MeetingRef(Schema):
    id: int
    title: str
    start: dt.datetime
    state: str


class DecisionRef(Schema):
    id: int
    text: str
    meeting: int = Field(description="The meeting it was taken in.")
    no_action_needed: bool

    @staticmethod
    def resolve_meeting(obj):
        return obj.record.meeting_id


class RequestListOut(Schema):
    id: int
    subject: str
    state: RequestState
    scenario: Scenario
    priority: Priority
    due: dt.date
    initiator: PersonRef
    initiating_department: Ref | None
    receipts: list[ReceiptOut]
    needs_leadership: bool
    confidential: bool
    sent_at: dt.datetime
    version: int

    @staticmethod
    def resolve_receipts(obj):
        return list(obj.receipts.all())

    @staticmethod
    def resolve_sent_at(obj):
        return timezone.localtime(obj.sent_at)


class RequestOut(RequestListOut):
    background: str
    goal: str
    what: str
    why: str
    acceptance_standard: str
    project: Ref | None
    wanted_start: dt.date | None
    events: list[EventOut] = Field(..., description=(
        f"The latest {EMBEDDED} steps of the story (the newest end is kept), oldest first; "
        "the whole story: GET /requests/{id}/events."))
    events_count: int = Field(..., description="How many steps the whole story has.")
    events_more: bool = Field(..., description="true when older steps than those in `events` exist.")
    materials: list[Ref] = Field(..., description="The background materials, each attached by hand on the "
                                                  "request's page (so a few: they are all here).")
    meetings: list[MeetingRef] = Field(..., description=(
        f"The first {EMBEDDED} meetings of the request you may see, by start; "
        "all of them: GET /requests/{id}/meetings."))
    meetings_count: int = Field(..., description="How many meetings of the request you may see.")
    meetings_more: bool = Field(..., description="true when there are more meetings than those in `meetings`.")
    decisions: list[DecisionRef] = Field(..., description=(
        f"The first {EMBEDDED} decisions of those meetings, in meeting order; "
        "all of them: GET /requests/{id}/decisions."))
    decisions_count: int = Field(..., description="How many decisions those meetings took.")
    decisions_more: bool = Field(..., description="true when there are more decisions than those in `decisions`.")
    warnings: list[Warning] = Field(default_factory=list)

    @staticmethod
    def resolve_events(obj):
        return obj.story

    @staticmethod
    def resolve_events_more(obj):
        return obj.events_count > len(obj.story)

    @staticmethod
    def resolve_meetings_more(obj):
        return obj.meetings_count > len(obj.meetings)

    @staticmethod
    def resolve_decisions_more(obj):
        return obj.decisions_count > len(obj.decisions)

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())


class RequestFilter(Schema):
    mine: bool = Field(False, description="requests I started")
    to_answer: bool = Field(False, description="my department's open answers (as head or delegate)")
    overdue: bool = Field(False, description="a department's answer is past its deadline")
    state: RequestState | None = None
