"""Lists of action items: whose list (mine, a department's, a meeting's, a project's), filters and sorting.

A list is always a subset of `items_visible_to(person)`; opening the list of a department, meeting or
project one is not entitled to answers 404, like any other hidden thing. Pages, the API and the
.xlsx export all go through `list_items`, so they show the same rows in the same order.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Value, Window
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from closeloop.actions.choices import ChangeState, ItemStatus
from closeloop.actions.models import ActionItem, ChangeRequest
from closeloop.actions.selectors.items import (
    item_list,
    items_visible_to,
    local_today,
    organisation_items,
    overdue_q,
    with_meeting_visibility,
)
from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.models import Participant
from closeloop.meetings.selectors import meeting_for_user, meetings_visible_to, person_can_edit, role_q
from closeloop.org.models import Department, Project

MINE, DEPARTMENT, MEETING, PROJECT, VISIBLE = "mine", "department", "meeting", "project", "visible"
OPEN, ALL = "open", "all"
ON_TIME, LATE = "on_time", "late"

# sort key -> (label, order_by); ties always end on id so pages never overlap. Every key is a stored column
# (status_rank and owner_sort are the item's sort keys) and each sort has its index, so a page of a list
# costs the same over a hundred thousand items as over a thousand.
SORTS = {
    "due": (_("Due date"), ["due_missing", "due", "id"]),
    "-due": (_("Due date, latest first"), ["due_missing", "-due", "-id"]),
    "status": (_("Status"), ["status_rank", "due_missing", "due", "id"]),
    "owner": (_("Owner"), ["owner_sort", "due_missing", "due", "id"]),
    "updated": (_("Recently updated"), ["-updated_at", "-id"]),
}
DEFAULT_SORT = "due"


@dataclass(frozen=True)
class ItemQuery:
    """The filters of a list; None means "any". `status` is a status value, OPEN (the default) or ALL."""

    status: str = OPEN
    owner_id: int | None = None
    department_id: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    overdue: bool | None = None
    sort: str = DEFAULT_SORT
    meeting_id: int | None = None
    project_id: int | None = None
    timeliness: str | None = None  # ON_TIME or LATE: done on or before / after the due date


@dataclass(frozen=True)
class Scope:
    """Whose list: MINE, or a department / meeting / project the person may open."""

    kind: str
    obj: object = None

    @property
    def pk(self):
        return getattr(self.obj, "pk", None)


def department_for_user(person, pk):
    """A department whose list this person may open: administrators any, a head theirs, a member their own."""
    if not person.is_authenticated or person.organisation_id is None:
        raise Http404
    department = Department.objects.filter(organisation_id=person.organisation_id, pk=_int(pk)).first()
    if department is None or not (person.is_org_admin or department.head_id == person.pk
                                  or person.department_id == department.pk):
        raise Http404
    return department


def departments_of(person):
    """The departments whose list this person may open, their own first."""
    if person.organisation_id is None:
        return []
    qs = Department.objects.filter(organisation_id=person.organisation_id)
    if not person.is_org_admin:
        qs = qs.filter(Q(head=person) | Q(pk=person.department_id))
    return sorted(qs, key=lambda d: (d.pk != person.department_id, d.name))


def project_for_user(person, pk):
    """A project whose list this person may open: its lead, the lead department's head, administrators,
    and anyone who sees one of its meetings or items."""
    if not person.is_authenticated or person.organisation_id is None:
        raise Http404
    project = Project.objects.filter(organisation_id=person.organisation_id, pk=_int(pk)).select_related(
        "department").first()
    if project is None:
        raise Http404
    if person_can_import_into_project(person, project):
        return project
    if meetings_visible_to(person).filter(project=project).exists() or items_visible_to(person).filter(
            project=project).exists():
        return project
    raise Http404


def person_can_import_into_project(person, project):
    return person.is_org_admin or project.lead_id == person.pk or (
        project.department_id is not None and project.department.head_id == person.pk)


def person_can_import(person, scope):
    """Importing a plan adds items to a meeting (its host, recorder, administrators) or a project (its lead…)."""
    if scope.kind == MEETING:
        return scope.obj.state != "cancelled" and person_can_edit(person, scope.obj)
    if scope.kind == PROJECT:
        return person_can_import_into_project(person, scope.obj)
    return False


def scope_for(person, kind, pk=None):
    """The Scope named by a URL or an API call; 404 when the person may not open it."""
    if not person.is_authenticated or person.organisation_id is None:
        raise Http404  # e.g. a superuser made from the console, outside any organisation
    if kind in (MINE, VISIBLE):
        return Scope(kind)
    if kind == DEPARTMENT:
        return Scope(DEPARTMENT, department_for_user(person, pk))
    if kind == MEETING:
        return Scope(MEETING, meeting_for_user(person, pk))
    if kind == PROJECT:
        return Scope(PROJECT, project_for_user(person, pk))
    raise Http404


def scope_items(person, scope):
    """The items of the scope that this person may see."""
    if scope.kind == MINE:
        # One set of ids, read through the owner's and the collaborators' indexes; a person always sees
        # the items they own or collaborate on, so no other test is needed.
        owned = ActionItem.objects.filter(owner=person).order_by().values("pk")
        collaborating = ActionItem.collaborators.through.objects.filter(person=person).order_by().values(
            "actionitem_id")
        return organisation_items(person).filter(pk__in=owned.union(collaborating))
    if scope.kind == DEPARTMENT and scope.obj.head_id == person.pk:
        # The head sees every item assigned to their department: the list reads it through its index.
        return organisation_items(person).filter(department=scope.obj)
    qs = items_visible_to(person)
    if scope.kind == VISIBLE:
        return qs
    field = {DEPARTMENT: "department", MEETING: "meeting", PROJECT: "project"}[scope.kind]
    return qs.filter(**{field: scope.obj})


def apply_query(qs, query, organisation):
    """Filter by status (OPEN, ALL or one status), owner, department, meeting, project, due window, overdue."""
    if query.status == OPEN:
        # The stored flag, compared with `= true`: Django writes `is_open=True` as the bare column, which
        # SQLite does not match against an index's columns (it then counts and walks every item).
        qs = qs.filter(is_open=Value(True))
    elif query.status != ALL:
        qs = qs.filter(status=query.status)
    if query.owner_id is not None:
        qs = qs.filter(owner_id=query.owner_id)
    for name in ("department_id", "meeting_id", "project_id"):
        if getattr(query, name) is not None:
            qs = qs.filter(**{name: getattr(query, name)})
    if query.due_from is not None:
        qs = qs.filter(due__gte=query.due_from)
    if query.due_to is not None:
        qs = qs.filter(due__lte=query.due_to)
    if query.overdue is not None:
        q = overdue_q(local_today(organisation))
        qs = qs.filter(q) if query.overdue else qs.exclude(q)
    if query.timeliness in (ON_TIME, LATE):
        closed_day = TruncDate("closed_at", tzinfo=organisation_tz(organisation))
        qs = qs.annotate(closed_day=closed_day).filter(status=ItemStatus.DONE)
        qs = qs.filter(closed_day__lte=F("due")) if query.timeliness == ON_TIME else qs.filter(closed_day__gt=F("due"))
    return qs


def list_items(person, scope, query):
    """The rows of a list, ready for a page, the API or the export, in a fixed number of queries; sorted by a
    key of SORTS (an unknown key sorts by due date), items without a due date last."""
    rows = apply_query(scope_items(person, scope), query, person.organisation)
    # Read in index order (an administrator's lists, a head's department) a page stops after its rows; read
    # from the visibility's set of ids, every row of the set is sorted anyway, so counting them is free.
    in_index_order = person.is_org_admin or (scope.kind == DEPARTMENT and scope.obj.head_id == person.pk)
    return ItemRows(rows, person, SORTS.get(query.sort, SORTS[DEFAULT_SORT])[1], count_with_page=not in_index_order)


class ItemRows:
    """A sorted list of items read by slices (a Paginator's or the API's page, the export) and counted.

    A slice's ids are picked from the items alone, in the list's order with LIMIT, and only those rows are
    joined and annotated (owner, department, project, meeting visibility, pending change). Joined and
    annotated before the sort, every row the reader may see paid for them: for someone who sees thousands of
    items, most of the page's cost. With `count_with_page`, the ids come with the number of rows (a window
    count over the rows the sort reads anyway) and a count asked after the slice costs no query."""

    ordered = True  # for Paginator: the order is fixed (it ends on id)

    def __init__(self, rows, person, order, *, count_with_page=False):
        self.rows, self.person, self.order = rows, person, order
        self.count_with_page, self.total = count_with_page, None

    def count(self):
        if self.total is None:
            self.total = self.rows.order_by().count()
        return self.total

    def count_up_to(self, limit):
        """How many rows, counting no further than `limit`: the ids alone, no join."""
        if self.total is not None:
            return min(self.total, limit)
        return self.rows.order_by().values("pk")[:limit].count()

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self._decorated(self.rows))

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key:key + 1][0]
        if not self.count_with_page or self.total is not None:
            return list(self.slice_query(key))
        picked = list(self.rows.annotate(total_=Window(Count("pk"))).order_by(*self.order)
                      .values_list("pk", "total_")[key])
        if not picked:
            return []
        self.total = picked[0][1]
        ids = [pk for pk, _total in picked]
        return list(self._decorated(ActionItem.objects.filter(pk__in=ids)))

    def slice_query(self, key):
        """The query of a slice of the list (a `slice`): its ids chosen inside, its rows joined outside."""
        ids = self.rows.order_by(*self.order).values("pk")[key]
        return self._decorated(ActionItem.objects.filter(pk__in=ids))

    def _decorated(self, qs):
        organisation = self.person.organisation
        pending = ChangeRequest.objects.filter(item_id=OuterRef("pk"), state=ChangeState.PENDING)
        qs = with_meeting_visibility(item_list(qs, organisation, page_of_many=True), self.person).annotate(
            has_pending_change=Exists(pending))
        return qs.order_by(*self.order)


def changes_awaiting(person, limit=None):
    """The first `limit` (all when None) of changes_awaiting_qs, as a list."""
    qs = changes_awaiting_qs(person)
    return list(qs if limit is None else qs[:limit])


def changes_awaiting_qs(person):
    """Pending change requests this person decides: as host of the item's meeting, or as the creator of an
    item without a meeting. (The administrators' fallback, when neither exists, is not listed here.)

    Read from the person's side: the meetings they host (participants' person index), those meetings' items
    and the items they created (item indexes), then the pending request of each (its partial unique index),
    so the cost follows what the person hosts and created, not the organisation's number of items."""
    hosted = Participant.objects.filter(role_q(ParticipantRole.HOST), person=person).order_by().values("meeting_id")
    items = ActionItem.objects.order_by()
    decided_by_me = items.filter(meeting_id__in=hosted).values("pk").union(
        items.filter(created_by=person, meeting__isnull=True).values("pk"))
    return (ChangeRequest.objects.filter(state=ChangeState.PENDING, item_id__in=decided_by_me,
                                         item__organisation_id=person.organisation_id)
            .select_related("item", "requested_by").order_by("created_at", "id"))


def owners_in(person, scope):
    """People owning items in this scope that the person may see: the choices of the owner filter.

    A department's list asks each person of the organisation once whether they own an item of it (an index
    probe on (department, owner)), which costs the number of people, not the department's thousands of items."""
    from closeloop.org.models import Person

    people = Person.objects.order_by("display_name", "username")
    if scope.kind == DEPARTMENT and scope.obj.head_id == person.pk:
        owns = ActionItem.objects.filter(department=scope.obj, owner=OuterRef("pk"))
        return list(people.filter(organisation_id=person.organisation_id).filter(Exists(owns)))
    owner_ids = scope_items(person, scope).exclude(owner=None).values("owner_id")
    return list(people.filter(pk__in=owner_ids))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
