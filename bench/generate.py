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


class RowWriter:
    """Rows of actions_actionitem written with executemany (COPY on PostgreSQL). bulk_create spends about
    0.4 ms a row building and compiling model instances, so a million rows would take many minutes; this
    takes one or two. Constant columns are prepared once by their model field, the varying ones per row."""

    VARYING = ("owner", "department", "due", "original_due", "status", "progress", "task")

    def __init__(self, org):
        from django.db import connection
        from django.utils import timezone

        from closeloop.actions.models import ActionItem

        self.connection = connection
        fields = [f for f in ActionItem._meta.concrete_fields if not f.primary_key]
        self.fields = {f.name: f for f in fields}
        now = timezone.now()
        constants = {
            "organisation": org.pk, "meeting": None, "topic": None, "decision": None, "project": None,
            "deliverable": "数据表经部门负责人确认", "support_needed": "", "owner_confirmed": True,
            "confirmed_at": None, "created_by": None, "created_at": now, "updated_at": now, "closed_at": None,
            "version": 1,
        }
        for name in set(self.fields) - set(constants) - set(self.VARYING):  # a column added later: its default
            field = self.fields[name]
            if not field.has_default() and not field.null:
                raise RuntimeError(f"The generator needs a value for the new column {name!r}; add it.")
            constants[name] = field.get_default()
        self.constant = {name: self.fields[name].get_db_prep_save(value, connection)
                         for name, value in constants.items()}
        self.order = [f.name for f in fields]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(ActionItem._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.date_field = self.fields["due"]
        self.dates = {}

    def row(self, owner, due, status, progress, task):
        due_value = self.dates.get(due)
        if due_value is None:
            due_value = self.dates[due] = self.date_field.get_db_prep_save(due, self.connection)
        varying = {"owner": owner.pk, "department": owner.department_id, "due": due_value,
                   "original_due": due_value, "status": status, "progress": progress, "task": task}
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


def generate(*, items, due, today=TODAY, seed=1, in_window=True, log=print):
    """Add `items` action items; `due` of them (when `in_window`) open and due the working day after `today`.

    Returns (items added, seconds). Called twice (10,000 then 990,000 more with in_window=False), the
    database holds 1,000,000 items with the same `due` open items in the window.
    """
    from closeloop.followup import rules
    from closeloop.workcal.selectors import calendar_for

    rng = random.Random(seed + items)
    org, people = ensure_organisation()
    calendar = calendar_for(org)
    target = rules.reminder_window(calendar, today, 1).last
    writer = RowWriter(org)
    started = time.monotonic()
    made = 0
    batch = []
    for n in range(items):
        if in_window and n < due:
            status, day = rng.choice(OPEN), target
        elif rng.random() < OPEN_SHARE:
            # Open, but due outside the window: overdue long ago or weeks ahead.
            status = rng.choice(OPEN)
            day = today + dt.timedelta(days=rng.choice([rng.randint(-1000, -1), rng.randint(10, 700)]))
        else:
            status = CLOSED[n % len(CLOSED)]
            day = today + dt.timedelta(days=rng.randint(-1000, 90))
        progress = 100 if status == "done" else 10 * (n % 9)
        batch.append(writer.row(people[n % len(people)], day, status, progress,
                                f"行动项 {n}：提交第{n % 52 + 1}周推广数据"))
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
