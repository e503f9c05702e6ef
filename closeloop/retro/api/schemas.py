"""API shapes for retrospectives and progress sync. Dates are plain dates; datetimes carry their offset."""

import datetime as dt

from ninja import Field, Schema

from closeloop.org.api.schemas import NonBlank, PersonRef

from ..choices import ChangeAnswer, ChangeKind, ChangeState, GoalResult, RetroState


class Ref(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj):
        return str(obj)


class CompleteIn(Schema):
    request: int = Field(..., description="the request the initiator marks complete")


class GoalOut(Schema):
    goal: str
    result: str
    evidence: str
    reason: str


class GoalIn(Schema):
    goal: NonBlank
    result: GoalResult | None = None
    evidence: str = ""
    reason: str = Field("", description="why it was not (fully) reached")


class ImprovementOut(Schema):
    id: int
    measure: str
    owner: PersonRef
    due: dt.date
    deliverable: str
    item: int | None = Field(None, description="the action item, once the report is sent")
    status: str | None = None

    @staticmethod
    def resolve_item(obj):
        return obj.item_id

    @staticmethod
    def resolve_status(obj):
        return obj.item.status if obj.item_id else None


class ImprovementIn(Schema):
    measure: NonBlank
    owner: int
    due: dt.date
    deliverable: NonBlank


class ReaderOut(Schema):
    person: PersonRef
    department: Ref | None = Field(None, description="the department they head; none for the management group")
    acknowledged_at: dt.datetime | None

    @staticmethod
    def resolve_department(obj):
        return obj.as_head_of


class RetrospectiveListOut(Schema):
    id: int
    request: Ref
    state: RetroState
    due: dt.date
    completed_at: dt.datetime
    meeting: int | None = None
    sent_at: dt.datetime | None

    @staticmethod
    def resolve_meeting(obj):
        return obj.meeting_id


class RetrospectiveOut(RetrospectiveListOut):
    due_assumed: bool
    version: int
    went_well: str
    stuck: str
    next_time: str
    goals: list[GoalOut]
    improvements: list[ImprovementOut]
    readers: list[ReaderOut]
    facts: dict = Field(..., description="prefilled facts: summary, items (due vs done, delays), changes, risks, "
                                         "answers, minutes; frozen when the report is sent")
    warnings: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_goals(obj):
        return list(obj.goals.all())

    @staticmethod
    def resolve_improvements(obj):
        return list(obj.improvements.all())

    @staticmethod
    def resolve_readers(obj):
        return list(obj.readers.all())


class RetrospectivePatch(Schema):
    version: int
    went_well: str | None = None
    stuck: str | None = None
    next_time: str | None = None
    goals: list[GoalIn] | None = Field(None, description="replaces every goal's assessment")


class PlanIn(Schema):
    start: dt.datetime
    end: dt.datetime
    place: str = Field("", max_length=200)
    title: str = Field("", max_length=200)


class MeetingRef(Schema):
    id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    warnings: list[str] = Field(default_factory=list)


class ProgressIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    done: NonBlank
    next_steps: str = ""
    risks: str = ""
    affected_due: dt.date | None = Field(None, description="the due date the risk affects (default: the request's)")


class ProgressOut(Schema):
    id: int
    author: PersonRef
    department: Ref | None
    percent: int
    done: str
    next_steps: str
    risks: str
    affected_due: dt.date | None
    early_warning: bool | None = Field(None, description="true: raised ≥ the policy's working days before the "
                                                         "date it affects; false: a late warning; none: no risk")
    day: dt.date
    posted_at: dt.datetime


class ChangeIn(Schema):
    reason: NonBlank
    new_due: dt.date | None = None
    new_what: str = ""
    new_standard: str = ""


class ChangeAnswerOut(Schema):
    department: Ref
    answer: ChangeAnswer
    comment: str
    at: dt.datetime


class ChangeOut(Schema):
    id: int
    kind: ChangeKind
    state: ChangeState
    reason: str
    old_due: dt.date | None
    new_due: dt.date | None
    old_what: str
    new_what: str
    old_standard: str
    new_standard: str
    asked_at: dt.datetime
    answers: list[ChangeAnswerOut]

    @staticmethod
    def resolve_answers(obj):
        return list(obj.answers.all())


class ChangeAnswerIn(Schema):
    department: int
    answer: ChangeAnswer
    comment: str = ""


class TimelineOut(Schema):
    request: int
    cadence: str
    early_warnings: int
    late_warnings: int
    updates: list[ProgressOut]
    changes: list[ChangeOut]


class OpenImprovementOut(Schema):
    id: int
    retrospective: int
    request: Ref
    measure: str
    item: int
    owner: PersonRef | None
    due: dt.date | None
    deliverable: str
    status: str

    @staticmethod
    def resolve_retrospective(obj):
        return obj.retrospective_id

    @staticmethod
    def resolve_request(obj):
        return obj.retrospective.request

    @staticmethod
    def resolve_item(obj):
        return obj.item_id

    @staticmethod
    def resolve_owner(obj):
        return obj.item.owner

    @staticmethod
    def resolve_due(obj):
        return obj.item.due

    @staticmethod
    def resolve_deliverable(obj):
        return obj.item.deliverable

    @staticmethod
    def resolve_status(obj):
        return obj.item.status
