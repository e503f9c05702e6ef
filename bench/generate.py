"""Data for the follow-up benchmark: an organisation, its people, and N action items, mostly closed.

Whatever N is, exactly `--due` open items fall due on the day the reminder scan is asked about (the
working day after `--today`); closed items are spread over three years around it (hundreds of them due
that same day too, as in real life), and a few per cent of open items fall due outside the window.
So 10,000 and 1,000,000 items give the scan the same work, and any difference in its time comes from
the items it should not be reading.

    python bench/generate.py --items 1000000 --due 200      # into the database Django is configured for
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")

BATCH = 5000
TODAY = dt.date(2026, 6, 16)  # a Tuesday in a year the calendar knows; the reminder window is 06-17
OPEN_SHARE = 0.03  # open items outside the window, per item
OPEN = ("not_started", "in_progress", "delayed")
CLOSED = ("done",) * 9 + ("cancelled",)


def setup_django():
    import django

    django.setup()


def ensure_organisation(people=200, departments=10):
    """The organisation with its departments (each with a head) and people; reused when present."""
    from closeloop.org.choices import Role
    from closeloop.org.models import Department, Organisation, Person

    org = Organisation.objects.filter(name="基准测试公司").first()
    if org is not None:
        return org, list(Person.objects.filter(organisation=org).select_related("department"))
    org = Organisation.objects.create(name="基准测试公司", time_zone="Asia/Shanghai", country="CN")
    depts = Department.objects.bulk_create(
        [Department(organisation=org, name=f"部门{i:02d}") for i in range(departments)])
    depts = list(Department.objects.filter(organisation=org).order_by("pk"))
    persons = Person.objects.bulk_create([
        Person(username=f"bench{i:05d}", email=f"bench{i:05d}@example.com", organisation=org,
               department=depts[i % len(depts)], display_name=f"员工{i:05d}",
               role=Role.HEAD if i < len(depts) else Role.MEMBER, password="!")
        for i in range(people)])
    persons = list(Person.objects.filter(organisation=org).select_related("department").order_by("pk"))
    for dept, head in zip(depts, persons, strict=False):
        dept.head = head
    Department.objects.bulk_update(depts, ["head"])
    return org, persons


class TableWriter:
    """Rows of one table written with executemany (COPY on PostgreSQL). bulk_create spends about 0.4 ms a
    row building and compiling model instances, so a million rows would take many minutes; this takes one
    or two. Constant columns are prepared once by their model field, the varying ones per row; generated
    columns are left to the database."""

    def __init__(self, model, constants, varying):
        from django.db import connection

        self.connection = connection
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]
        self.fields = {f.name: f for f in fields}
        self.varying = tuple(varying)
        constants = dict(constants)
        for name in set(self.fields) - set(constants) - set(self.varying):  # a column added later: its default
            field = self.fields[name]
            if not field.has_default() and not field.null:
                raise RuntimeError(f"The generator needs a value for the new column {model.__name__}.{name}; add it.")
            constants[name] = field.get_default()
        self.constant = {name: self.fields[name].get_db_prep_save(value, connection)
                         for name, value in constants.items() if name in self.fields}
        self.order = [f.name for f in fields]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.prepared = {}

    def prep(self, name, value):
        """A varying value as the database takes it (dates and times cached: few distinct ones)."""
        key = (name, value)
        if key not in self.prepared:
            self.prepared[key] = self.fields[name].get_db_prep_save(value, self.connection)
        return self.prepared[key]

    def values(self, varying):
        return [varying[name] if name in varying else self.constant[name] for name in self.order]

    def write(self, rows):
        from django.db import transaction

        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":  # COPY: ten times faster than executemany there
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)


class RowWriter(TableWriter):
    """Rows of actions_actionitem: owner, department, due, status, progress, task (and meeting) vary."""

    VARYING = ("owner", "department", "due", "original_due", "status", "progress", "task", "meeting",
               "owner_sort", "created_by")

    def __init__(self, org):
        from django.utils import timezone

        from closeloop.actions.models import ActionItem

        now = timezone.now()
        constants = {
            "organisation": org.pk, "topic": None, "decision": None, "project": None,
            "deliverable": "数据表经部门负责人确认", "support_needed": "", "owner_confirmed": True,
            "confirmed_at": None, "created_at": now, "updated_at": now, "closed_at": None,
            "version": 1,
        }
        super().__init__(ActionItem, constants, self.VARYING)

    def row(self, owner, due, status, progress, task, meeting_id=None):
        due_value = self.prep("due", due)
        varying = {"owner": owner.pk, "department": owner.department_id, "due": due_value,
                   "original_due": due_value, "status": status, "progress": progress, "task": task,
                   "meeting": meeting_id, "owner_sort": (owner.display_name or "").lower(),
                   # Every item has its creator in life (the query planner's statistics depend on it);
                   # here the owner, as for an item someone adds for themselves.
                   "created_by": owner.pk}
        return self.values(varying)


def generate_meetings(org, people, count, *, seed=1, today=TODAY, participants=4, tag="m"):
    """`count` held meetings over the three years before `today`, each with a host and `participants` - 1
    more people (a confidential one in twenty). Returns their ids."""
    from django.utils import timezone

    from closeloop.meetings.models import Meeting, Participant

    rng = random.Random(seed)
    now = timezone.now()
    meetings = TableWriter(Meeting, {"organisation": org.pk, "type": "weekly_sync", "objective": "", "scope": "",
                                     "place": "3楼会议室", "online_link": "", "project": None, "series": None,
                                     "urgent": False, "state": "noticed", "created_by": None, "created_at": now,
                                     "updated_at": now, "version": 1, "notice_sequence": 1, "notice_sent_at": now,
                                     "notice_version": 1, "cancel_reason": "", "cancelled_at": None},
                           ("title", "start", "end", "ical_uid", "confidential"))
    prefix = f"bench-{tag}-{seed}-"
    rows, hosts = [], []
    for n in range(count):
        start = dt.datetime.combine(today - dt.timedelta(days=rng.randint(1, 1000)), dt.time(2 + n % 8),
                                    tzinfo=dt.UTC)
        rows.append(meetings.values({"title": f"第{n}次跨部门协调会", "start": meetings.prep("start", start),
                                     "end": meetings.prep("end", start + dt.timedelta(hours=1)),
                                     "ical_uid": f"{prefix}{n}", "confidential": n % 20 == 0}))
        hosts.append(people[rng.randrange(len(people))])
        if len(rows) >= BATCH:
            meetings.write(rows)
            rows.clear()
    if rows:
        meetings.write(rows)
    by_uid = dict(Meeting.objects.filter(ical_uid__startswith=prefix).values_list("ical_uid", "pk"))
    ids = [by_uid[f"{prefix}{n}"] for n in range(count)]
    writer = TableWriter(Participant, {"required": True, "response": "accepted", "response_reason": "",
                                       "substitute": None, "substitute_reason": "", "responded_at": None},
                         ("meeting", "person", "roles", "token"))
    rows = []
    for meeting_id, host in zip(ids, hosts, strict=True):
        chosen = {host.pk: "host"}
        while len(chosen) < participants:
            chosen.setdefault(people[rng.randrange(len(people))].pk, "executor")
        for person_id, role in chosen.items():
            rows.append(writer.values({"meeting": meeting_id, "person": person_id, "roles": role,
                                       "token": f"{prefix}{meeting_id}-{person_id}"}))
        if len(rows) >= BATCH:
            writer.write(rows)
            rows.clear()
    if rows:
        writer.write(rows)
    return ids


def generate(*, items, due, today=TODAY, seed=1, in_window=True, log=print, meeting_ids=None, people=200,
             departments=10, open_share=OPEN_SHARE):
    """Add `items` action items; `due` of them (when `in_window`) open and due the working day after `today`.

    Returns (items added, seconds). Called twice (10,000 then 990,000 more with in_window=False), the
    database holds 1,000,000 items with the same `due` open items in the window.
    """
    from closeloop.followup import rules
    from closeloop.workcal.selectors import calendar_for

    rng = random.Random(seed + items)
    org, people = ensure_organisation(people, departments)
    calendar = calendar_for(org)
    target = rules.reminder_window(calendar, today, 1).last
    writer = RowWriter(org)
    started = time.monotonic()
    made = 0
    batch = []
    for n in range(items):
        if in_window and n < due:
            status, day = rng.choice(OPEN), target
        elif rng.random() < open_share:
            # Open, but due outside the window: overdue long ago or weeks ahead.
            status = rng.choice(OPEN)
            day = today + dt.timedelta(days=rng.choice([rng.randint(-1000, -1), rng.randint(10, 700)]))
        else:
            status = CLOSED[n % len(CLOSED)]
            day = today + dt.timedelta(days=rng.randint(-1000, 90))
        progress = 100 if status == "done" else 10 * (n % 9)
        meeting_id = meeting_ids[n % len(meeting_ids)] if meeting_ids and n % 5 else None
        batch.append(writer.row(people[n % len(people)], day, status, progress,
                                f"行动项 {n}：提交第{n % 52 + 1}周推广数据", meeting_id))
        made += 1
        if len(batch) >= BATCH:
            writer.write(batch)
            batch.clear()
            if made % 100_000 == 0:
                log(f"  … {made:,} items ({time.monotonic() - started:.0f} s)")
    if batch:
        writer.write(batch)
    return made, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=200, help="open items due in the reminder window")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    made, seconds = generate(items=args.items, due=args.due)
    print(f"{made:,} action items in {seconds:.1f} s")


if __name__ == "__main__":
    main()
