"""API shapes for the archive: the tree, a page of archived meetings, search hits, all plain data.

Moments go out in the organisation's time zone; matches are [start, end) offsets into each excerpt's text.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from ninja import Schema

from closeloop.archive.search import DECISIONS, ITEMS, MEETINGS, MINUTES
from closeloop.lib.apiutil import organisation_tz


class ProjectNodeOut(Schema):
    key: str
    name: str
    count: int


class DepartmentNodeOut(ProjectNodeOut):
    projects: list[ProjectNodeOut]


class YearNodeOut(Schema):
    year: int
    count: int
    departments: list[DepartmentNodeOut]


def tree_out(tree):
    return [{"year": int(y.key), "count": y.count, "departments": [
        {"key": d.key, "name": d.name, "count": d.count,
         "projects": [{"key": p.key, "name": p.name, "count": p.count} for p in d.children]}
        for d in y.children]} for y in tree]


class Ref(Schema):
    id: int
    name: str


class ApprovedMinutesOut(Schema):
    id: int
    number: int
    state: str
    approved_at: dt.datetime | None
    docx_url: str
    markdown_url: str
    page_url: str


class ArchivedMeetingOut(Schema):
    id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    project: Ref | None
    departments: list[Ref]
    minutes: ApprovedMinutesOut | None
    newer_version: bool
    item_count: int
    action_plan_url: str


class ArchivePageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ArchivedMeetingOut]


def _local(value, zone):
    return timezone.localtime(value, zone) if value else value


def _minutes_urls(minutes):
    return {"page_url": reverse("minutes:detail", args=[minutes.pk]),
            "docx_url": reverse("api:minutes_docx", kwargs={"minutes_id": minutes.pk}),
            "markdown_url": reverse("api:minutes_markdown", kwargs={"minutes_id": minutes.pk})}


def archived_meeting_out(meeting):
    zone = organisation_tz(meeting.organisation)
    minutes = meeting.approved
    return {
        "id": meeting.pk, "title": meeting.title,
        "start": _local(meeting.start, zone), "end": _local(meeting.end, zone),
        "project": {"id": meeting.project_id, "name": meeting.project.name} if meeting.project_id else None,
        "departments": [{"id": pk, "name": name} for pk, name in meeting.departments],
        "minutes": None if minutes is None else {
            "id": minutes.pk, "number": minutes.number, "state": minutes.state,
            "approved_at": _local(minutes.approved_at, zone), **_minutes_urls(minutes)},
        "newer_version": meeting.newer_version, "item_count": meeting.item_count,
        "action_plan_url": reverse("api:archive_action_plan", kwargs={"meeting_id": meeting.pk}),
    }


class ExcerptOut(Schema):
    label: str
    text: str
    marks: list[tuple[int, int]]


class MeetingRef(Schema):
    id: int
    title: str
    start: dt.datetime


class HitOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    meeting: MeetingRef | None
    excerpts: list[ExcerptOut]
    state: str = ""  # the meeting's, minutes' state or the action item's status
    due: dt.date | None = None
    owner: str = ""
    number: int | None = None


class GroupOut(Schema):
    kind: str
    label: str
    count: int
    page: int
    pages: int
    results: list[HitOut]


class SearchOut(Schema):
    q: str
    total: int
    groups: list[GroupOut]


def _hit_fields(hit):
    obj = hit.obj
    if hit.kind == MEETINGS:
        return {"title": obj.title, "state": obj.state}
    if hit.kind == DECISIONS:
        return {"title": obj.text}
    if hit.kind == ITEMS:
        return {"title": obj.task, "state": obj.status, "due": obj.due, "owner": str(obj.owner or "")}
    if hit.kind == MINUTES:
        return {"title": obj.meeting.title, "state": obj.state, "number": obj.number}
    raise ValueError(hit.kind)


def hit_out(hit, zone):
    meeting = hit.meeting
    return {
        "kind": hit.kind, "id": hit.obj.pk, "url": hit.url, **_hit_fields(hit),
        "meeting": ({"id": meeting.pk, "title": meeting.title, "start": _local(meeting.start, zone)}
                    if meeting else None),
        "excerpts": [{"label": e.label, "text": e.text, "marks": e.spans} for e in hit.excerpts],
    }


def search_out(q, groups, zone):
    return {
        "q": q, "total": sum(g.count for g in groups),
        "groups": [{"kind": g.kind, "label": g.label, "count": g.count, "page": g.page.number,
                    "pages": g.page.paginator.num_pages, "results": [hit_out(h, zone) for h in g.hits]}
                   for g in groups],
    }
