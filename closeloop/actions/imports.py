"""Import an action plan (.xlsx) into a meeting or a project: all rows or none.

Every row is checked first — the owner found by username, email or name, the department by name, the
due date read, the status known, the SMART rules the policy makes blocking — and each problem is
reported with its spreadsheet row and the column's header as written in the file. Only when no row is
wrong are the items created, in one transaction, each with its history and one audit row for the import.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.actions.choices import EventKind, ItemStatus
from closeloop.actions.exports import COLUMNS, SheetError, cell_text, parse_due, parse_status, read_plan
from closeloop.actions.models import ActionItem, ActionItemEvent, owner_sort_key
from closeloop.actions.rules import FINAL_STATUSES, ItemDraft, smart_check
from closeloop.actions.selectors.items import smart_context_for
from closeloop.actions.selectors.lists import person_can_import_into_project
from closeloop.audit.services import audit_record
from closeloop.meetings.selectors import person_can_edit
from closeloop.org.models import Department, Person

# SMART finding field -> import column
_FINDING_COLUMN = {"task": "task", "owner": "owner", "due": "due", "deliverable": "deliverable"}
_DEFAULT_LABELS = {c.key: c.zh for c in COLUMNS}


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # the spreadsheet's row number; None for the file as a whole
    column: str  # the header as written in the file ("截止时间", "Due"), or "" for the file
    field: str  # task, owner, department, deliverable, due, support, status, or file
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}

    def as_dict(self):
        return {"row": self.row, "column": self.column, "field": self.field, "message": self.message,
                "text": str(self)}


@dataclass
class ImportResult:
    items: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # RowProblem of non-blocking SMART findings

    @property
    def created(self):
        return len(self.items)


class ImportRefused(Exception):
    """Some rows are wrong: nothing was imported. `problems` says where and what."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


class _People:
    """Find an owner by username, email, name, or "name (username)" as the export writes a shared name."""

    def __init__(self, organisation):
        self.by_key, self.by_name = {}, defaultdict(list)
        for person in Person.objects.filter(organisation=organisation, is_active=True).select_related("department"):
            self.by_key[person.username.lower()] = person
            if person.email:
                self.by_key.setdefault(person.email.lower(), person)
            self.by_name[str(person).strip().lower()].append(person)

    def find(self, text):
        key = text.strip().lower()
        if key in self.by_key:
            return self.by_key[key], None
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named[0], None
        if len(named) > 1:
            return None, _("Several people are called “%(name)s”: write the username or the email instead.") % {
                "name": text}
        match = re.match(r"^(.*?)\s*[(（]\s*([^()（）]+?)\s*[)）]$", text.strip())
        if match and match.group(2).lower() in self.by_key:
            return self.by_key[match.group(2).lower()], None
        return None, _("Nobody active in your organisation has the username, email or name “%(name)s”.") % {
            "name": text}


def shared_display_names(organisation):
    """Names two or more active people share: the export adds the username to those."""
    rows = (Person.objects.filter(organisation=organisation, is_active=True).exclude(display_name="")
            .values("display_name").annotate(n=Count("pk")).filter(n__gt=1))
    return frozenset(r["display_name"] for r in rows)


def _check_row(number, cells, labels, people, departments, ctx):
    """(data for the item, problems, warnings) of one row."""
    problems, warnings = [], []

    def problem(key, message, into=problems):
        into.append(RowProblem(number, labels.get(key, _DEFAULT_LABELS[key]), key, message))

    task = cell_text(cells.get("task"))
    if not task:
        problem("task", _("Say what has to be done."))
    owner = None
    owner_text = cell_text(cells.get("owner"))
    if not owner_text:
        problem("owner", _("Name the owner (username, email or name)."))
    else:
        owner, message = people.find(owner_text)
        if message:
            problem("owner", message)
    department = None
    department_text = cell_text(cells.get("department"))
    if department_text:
        department = departments.get(department_text.lower())
        if department is None:
            problem("department", _("No department called “%(name)s” in your organisation.") % {
                "name": department_text})
    due, message = parse_due(cells.get("due"))
    if message:
        problem("due", message)
    status, message = parse_status(cells.get("status"))
    if message:
        problem("status", message)
    deliverable = cell_text(cells.get("deliverable"))
    if len(task) > 2000 or len(deliverable) > 2000:
        problem("task" if len(task) > 2000 else "deliverable", _("At most 2000 characters."))
    if task and due is not None:
        draft = ItemDraft(task=task, owner_id=owner.pk if owner else None, due=due, deliverable=deliverable)
        for finding in smart_check(draft, ctx):
            key = _FINDING_COLUMN.get(finding.field, "task")
            if finding.rule in ("owner_missing", "due_missing", "task_missing"):
                continue  # already said above
            problem(key, finding.message, problems if finding.blocking else warnings)
    data = {"task": task, "owner": owner, "department": department or (owner.department if owner else None),
            "deliverable": deliverable, "due": due, "support_needed": cell_text(cells.get("support")),
            "status": status}
    return data, problems, warnings


def _require_importer(actor, organisation, meeting, project):
    if actor.organisation_id != organisation.pk:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if meeting is not None:
        if meeting.state == "cancelled" or not person_can_edit(actor, meeting):
            raise PermissionDenied(_("Only the host, the recorder and administrators import into a meeting."))
    elif project is None or not person_can_import_into_project(actor, project):
        raise PermissionDenied(_("Only the project's lead, the head of its department and administrators "
                                 "import into a project."))


def check_plan(*, organisation, data, meeting=None):
    """Read and check every row; (rows' data, warnings) or ImportRefused with every problem found."""
    try:
        plan = read_plan(data)
    except SheetError as exc:
        raise ImportRefused([RowProblem(None, "", "file", str(exc))]) from None
    if not plan.rows:
        raise ImportRefused([RowProblem(None, "", "file", _("The plan has no rows below its header."))])
    people = _People(organisation)
    departments = {d.name.strip().lower(): d for d in Department.objects.filter(organisation=organisation)}
    ctx = smart_context_for(organisation=organisation, meeting=meeting)
    rows, problems, warnings = [], [], []
    for number, cells in plan.rows:
        row, row_problems, row_warnings = _check_row(number, cells, plan.labels, people, departments, ctx)
        rows.append(row)
        problems += row_problems
        warnings += row_warnings
    if problems:
        raise ImportRefused(problems)
    return rows, warnings


@transaction.atomic
def action_items_import(*, actor, organisation, data, meeting=None, project=None):
    """Create every row of the plan in the meeting (or project), or none and ImportRefused."""
    _require_importer(actor, organisation, meeting, project)
    rows, warnings = check_plan(organisation=organisation, data=data, meeting=meeting)
    now = timezone.now()
    project = project or (meeting.project if meeting is not None else None)
    items = ActionItem.objects.bulk_create([
        ActionItem(
            organisation=organisation, meeting=meeting, project=project, created_by=actor,
            task=row["task"], owner=row["owner"], department=row["department"], deliverable=row["deliverable"],
            due=row["due"], original_due=row["due"], support_needed=row["support_needed"], status=row["status"],
            progress=100 if row["status"] == ItemStatus.DONE else 0,
            closed_at=now if row["status"] in FINAL_STATUSES else None, owner_sort=owner_sort_key(row["owner"]),
        ) for row in rows
    ])
    if any(item.pk is None for item in items):  # a backend that does not return ids on bulk insert
        items = list(ActionItem.objects.filter(organisation=organisation, created_by=actor, created_at__gte=now)
                     .order_by("id"))
    ActionItemEvent.objects.bulk_create([
        ActionItemEvent(item=item, actor=actor, kind=EventKind.CREATED, to_status=item.status, new_due=item.due,
                        note=_("Imported from an action plan (.xlsx)."))
        for item in items
    ])
    audit_record(actor=actor, action="action_item.import", obj=meeting or project, after={
        "created": len(items), "item_ids": [item.pk for item in items]})
    return ImportResult(items=items, warnings=warnings)
