"""Reads for the archive: approved minutes by year / department / project (年份-部门-项目, seed 001 §(三)).

Everything starts from `meetings_visible_to(person)`, so neither the list nor the counts of the tree say anything
about a meeting the viewer may not see. A meeting's departments are its participating departments, as the
minutes define them (invited people other than cc-only, their substitutes, and whoever signed in).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q

from closeloop.actions.models import ActionItem
from closeloop.archive import rules, scope, tree
from closeloop.archive.scope import archived_meetings, viewer_tz
from closeloop.archive.tree import NEWEST  # noqa: F401  (the API's default year)
from closeloop.meetings.models import Meeting
from closeloop.minutes.models import Minutes
from closeloop.record.models import Attendance


@dataclass(frozen=True)
class ArchiveFilter:
    """Which branch of the tree to list: a year, a department id or rules.NONE, a project id or rules.NONE."""

    year: int | None = None
    department: str | None = None
    project: str | None = None

    def as_params(self):
        return {k: v for k, v in (("year", self.year), ("department", self.department),
                                   ("project", self.project)) if v not in (None, "")}


def departments_of(meetings):
    """{meeting id: [(department id, name), …]} for a queryset of meetings, in one query."""
    ids = meetings.order_by().values("pk")
    invited = scope.invited(meeting__in=ids).order_by()
    attended = Attendance.objects.filter(record__meeting__in=ids).order_by()
    parts = [
        invited.filter(person__department__isnull=False).values_list(
            "meeting_id", "person__department_id", "person__department__name"),
        invited.filter(substitute__department__isnull=False).values_list(
            "meeting_id", "substitute__department_id", "substitute__department__name"),
        attended.filter(person__department__isnull=False).values_list(
            "record__meeting_id", "person__department_id", "person__department__name"),
        attended.filter(substitute__department__isnull=False).values_list(
            "record__meeting_id", "substitute__department_id", "substitute__department__name"),
    ]
    found = defaultdict(list)
    for meeting_id, dept_id, name in parts[0].union(*parts[1:]):  # UNION drops the repeats
        found[meeting_id].append((dept_id, name))
    return {k: sorted(v, key=lambda d: (d[1], d[0])) for k, v in found.items()}


def archive_tree(person, *, year=None, branches=True):
    """The tree of the viewer's archive (rules.Node): years → departments → projects, with counts, counted in SQL
    (tree.py); with `year`, only that year's branches are filled; with `branches=False` and no year, none."""
    return tree.archive_tree(person, year=year, branches=branches)


def _took_part(department):
    """Meetings in which `department` (an id, or rules.NONE for "no department at all") took part."""
    invited, attended = scope.invited(meeting=OuterRef("pk")), Attendance.objects.filter(record__meeting=OuterRef("pk"))
    if department == rules.NONE:
        any_dept = Q(person__department__isnull=False) | Q(substitute__department__isnull=False)
        return ~Exists(invited.filter(any_dept)) & ~Exists(attended.filter(any_dept))
    by = Q(person__department_id=department) | Q(substitute__department_id=department)
    return Exists(invited.filter(by)) | Exists(attended.filter(by))


def archive_meetings(person, filters=ArchiveFilter()):
    """The archived meetings of one branch of the tree, newest first."""
    qs = archived_meetings(person)
    if filters.year:
        tz = viewer_tz(person)
        qs = qs.filter(start__gte=dt.datetime(filters.year, 1, 1, tzinfo=tz),
                       start__lt=dt.datetime(filters.year + 1, 1, 1, tzinfo=tz))
    if filters.department:
        qs = qs.filter(_took_part(filters.department))
    if filters.project == rules.NONE:
        qs = qs.filter(project__isnull=True)
    elif filters.project:
        qs = qs.filter(project_id=filters.project)
    return qs.select_related("project", "organisation").order_by("-start", "-pk")


def with_archive_details(meetings):
    """Attach to each meeting of a page, in four queries whatever the page's size:
    `approved` (its latest approved minutes), `newer_version` (a later version, e.g. a correction in progress),
    `departments` [(id, name)] and `item_count` (its action items)."""
    meetings = list(meetings)
    ids = [m.pk for m in meetings]
    approved = {}
    for minutes in (Minutes.objects.filter(meeting_id__in=ids, approved_at__isnull=False)
                    .defer("content").select_related("approved_by").order_by("meeting_id", "-number")):
        approved.setdefault(minutes.meeting_id, minutes)
    latest = dict(Minutes.objects.filter(meeting_id__in=ids).order_by().values("meeting_id")
                  .annotate(n=Max("number")).values_list("meeting_id", "n"))
    items = dict(ActionItem.objects.filter(meeting_id__in=ids).order_by().values("meeting_id")
                 .annotate(n=Count("id")).values_list("meeting_id", "n"))
    departments = departments_of(Meeting.objects.filter(pk__in=ids))
    for meeting in meetings:
        meeting.approved = approved.get(meeting.pk)
        meeting.newer_version = bool(meeting.approved) and latest.get(meeting.pk, 0) > meeting.approved.number
        meeting.departments = departments.get(meeting.pk, [])
        meeting.item_count = items.get(meeting.pk, 0)
    return meetings
