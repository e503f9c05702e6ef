"""API shapes for the minutes. Datetimes go out in the organisation's time zone, with their offset."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Schema

from closeloop.lib.apiutil import organisation_tz
from closeloop.minutes.choices import SECTIONS, MinutesState
from closeloop.minutes.selectors import deadlines, signoffs_of
from closeloop.org.api.schemas import DepartmentRef, PersonRef


class SectionOut(Schema):
    key: str
    label: str
    text: str


class SignOffOut(Schema):
    id: int
    department: DepartmentRef
    head: PersonRef | None
    signed: bool
    signed_at: dt.datetime | None
    comment: str


class MinutesSummaryOut(Schema):
    id: int
    meeting_id: int
    number: int
    state: MinutesState
    version: int
    previous_id: int | None
    due_at: dt.datetime | None
    draft_overdue: bool
    approved_at: dt.datetime | None
    distributed_at: dt.datetime | None
    signed_off_at: dt.datetime | None


class MinutesOut(MinutesSummaryOut):
    content: dict[str, str]
    sections: list[SectionOut]
    review_comment: str
    correction_reason: str
    submitted_at: dt.datetime | None
    approved_by: PersonRef | None
    distribution_due_at: dt.datetime | None
    distribution_overdue: bool
    signoffs: list[SignOffOut]
    docx_url: str
    markdown_url: str


class ContentIn(Schema):
    content: dict[str, str] = Field(..., description="Section key → text; sections left out keep their text.")
    version: int = Field(..., description="The version you edited; a stale one is refused with 409.")


class VersionIn(Schema):
    version: int | None = None


class CommentIn(Schema):
    comment: str = ""


class ReasonIn(Schema):
    reason: str = ""


class TokenSignOffIn(Schema):
    token: str
    comment: str = ""


class DistributionOut(Schema):
    minutes: MinutesOut
    queued: int
    skipped_person_ids: list[int]
    signoff_department_ids: list[int]
    without_head_department_ids: list[int]


class SegmentOut(Schema):
    kind: str = Field(..., description="equal, insert or delete")
    text: str


class SectionDiffOut(Schema):
    key: str
    label: str
    changed: bool
    segments: list[SegmentOut]


class DiffOut(Schema):
    from_id: int
    from_number: int
    to_id: int
    to_number: int
    sections: list[SectionDiffOut]


def _local(value, zone):
    return timezone.localtime(value, zone) if value else value


def signoff_out(signoff, zone):
    return {"id": signoff.pk, "department": signoff.department, "head": signoff.head,
            "signed": signoff.signed_at is not None, "signed_at": _local(signoff.signed_at, zone),
            "comment": signoff.comment}


def summary_out(minutes):
    zone = organisation_tz(minutes.meeting.organisation)
    draft, _distribution = deadlines(minutes)
    return {
        "id": minutes.pk, "meeting_id": minutes.meeting_id, "number": minutes.number, "state": minutes.state,
        "version": minutes.version, "previous_id": minutes.previous_id, "due_at": _local(minutes.due_at, zone),
        "draft_overdue": draft.overdue, "approved_at": _local(minutes.approved_at, zone),
        "distributed_at": _local(minutes.distributed_at, zone), "signed_off_at": _local(minutes.signed_off_at, zone),
    }


def minutes_out(minutes):
    from django.urls import reverse

    zone = organisation_tz(minutes.meeting.organisation)
    _draft, distribution = deadlines(minutes)
    content = minutes.content or {}
    return {
        **summary_out(minutes),
        "content": {key: content.get(key, "") for key, _label in SECTIONS},
        "sections": [{"key": k, "label": str(label), "text": content.get(k, "")} for k, label in SECTIONS],
        "review_comment": minutes.review_comment, "correction_reason": minutes.correction_reason,
        "submitted_at": _local(minutes.submitted_at, zone), "approved_by": minutes.approved_by,
        "distribution_due_at": _local(distribution.due_at, zone), "distribution_overdue": distribution.overdue,
        "signoffs": [signoff_out(s, zone) for s in signoffs_of(minutes)],
        "docx_url": reverse("api:minutes_docx", kwargs={"minutes_id": minutes.pk}),
        "markdown_url": reverse("api:minutes_markdown", kwargs={"minutes_id": minutes.pk}),
    }
