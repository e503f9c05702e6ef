"""The live record page, the meeting page and the record's API detail at 10, 100 and 1,000 rows.

One meeting per size with as many participants (each a person of the organisation), topics, decisions, notes
and action items as the size says, its record opened and half its people signed in. For each size it prints
the bytes, the median time and the SQL queries of each page as its recorder sees it, and the queries of adding
an item on the live record page (the htmx POST). Issue 17 asks for ≤ 300 KB, flat time and a constant number
of queries whatever the size, and ≤ 15 queries for the item.

    .venv/bin/python bench/record.py                          # a temporary SQLite file, removed afterwards
    .venv/bin/python bench/record.py --sizes 10,100 --repeat 3
    createdb cl_record && DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_record .venv/bin/python bench/record.py
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")


def setup(db_path):
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False)


def fill(size):
    """A meeting of `size` participants, topics, decisions, notes and items; returns (meeting, recorder)."""
    import secrets

    from django.utils import timezone

    from closeloop.actions.models import ActionItem
    from closeloop.meetings.models import Meeting, Participant, Topic
    from closeloop.org.choices import Role
    from closeloop.org.models import Department, Organisation, Person
    from closeloop.record.models import Attendance, Decision, MeetingRecord, Note

    org = Organisation.objects.create(name=f"记录基准{size}", time_zone="Asia/Shanghai", country="CN")
    depts = [Department.objects.create(organisation=org, name=f"部门{i:02d}") for i in range(max(2, size // 50))]
    people = Person.objects.bulk_create([
        Person(username=f"r{size}-{i:05d}", email=f"r{size}-{i:05d}@example.com", organisation=org,
               department=depts[i % len(depts)], display_name=f"员工{i:05d}", password="!",
               role=Role.ADMIN if i == 0 else Role.MEMBER)
        for i in range(size + 2)])
    people = list(Person.objects.filter(organisation=org).order_by("pk"))
    host, recorder = people[0], people[1]
    now = timezone.now()
    meeting = Meeting.objects.create(organisation=org, type="decision", title=f"{size} 行的会议", objective="基准",
                                     start=now - dt.timedelta(minutes=10), end=now + dt.timedelta(hours=2),
                                     created_by=host, state="noticed")
    roles = ["host", "recorder"] + ["executor"] * size
    Participant.objects.bulk_create([
        Participant(meeting=meeting, person=p, roles=r, token=secrets.token_urlsafe(24))
        for p, r in zip(people, roles, strict=True)])
    topics = Topic.objects.bulk_create([
        Topic(meeting=meeting, order=i + 1, title=f"议题{i:04d}：渠道预算与推广节奏", presenter=people[i % len(people)],
              minutes=5, kind="decide" if i % 2 else "discuss", required_outcome="确定预算分配")
        for i in range(size)])
    topics = list(Topic.objects.filter(meeting=meeting).order_by("order"))
    record = MeetingRecord.objects.create(meeting=meeting)
    Attendance.objects.bulk_create([Attendance(record=record, person=p) for p in people[: len(people) // 2]])
    decisions = Decision.objects.bulk_create([
        Decision(record=record, topic=t, text=f"决定{i}：预算按季度拨付", decided_by=host, no_objection=True)
        for i, t in enumerate(topics)])
    decisions = list(Decision.objects.filter(record=record).order_by("pk"))
    Note.objects.bulk_create([
        Note(record=record, topic=t, department=depts[i % len(depts)], text=f"观点{i}：转化率偏低", author=recorder)
        for i, t in enumerate(topics)])
    owners = people[2:] or people
    ActionItem.objects.bulk_create([
        ActionItem(organisation=org, meeting=meeting, topic=t, decision=d if i % 3 else None,
                   task=f"任务{i}：提交渠道数据", owner=owners[i % len(owners)], department=depts[i % len(depts)],
                   deliverable="数据表经财务确认", due=dt.date(2026, 12, 18), created_by=recorder,
                   owner_sort=f"员工{i:05d}", owner_confirmed=bool(i % 2))
        for i, (t, d) in enumerate(zip(topics, decisions, strict=True))])
    return meeting, recorder, topics


class Counter:
    """Counts the statements sent (a wrapper survives the connection being closed after each request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc):
        self._cm.__exit__(*exc)

    def __len__(self):
        return self.count


def measure(client, url, repeat, **extra):
    response = client.get(url, **extra)  # untimed: loads templates and URLs
    assert response.status_code == 200, (url, response.status_code)
    with Counter() as queries:
        response = client.get(url, **extra)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url, **extra)
        times.append((time.perf_counter() - t0) * 1000)
    return len(response.content), statistics.median(times), len(queries)


def add_item_queries(client, meeting, topic, owner):
    from django.urls import reverse

    url = reverse("record:item_add", args=[meeting.pk, topic.pk])
    data = {"task": "补充渠道数据", "owner": owner.pk, "deliverable": "数据表", "due": "2026-12-18"}
    client.post(url, data, HTTP_HX_REQUEST="true")  # the first write fills per-process caches
    with Counter() as queries:
        response = client.post(url, {**data, "task": "确认预算"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content[:300]
    return len(response.content), len(queries)


def analyze():
    """Fresh statistics after a fill, as autovacuum (PostgreSQL) or `PRAGMA optimize` would give a live database:
    without them the planner guesses, and the first size is measured with other plans than the last."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def report(rows, unit, json_path=None):
    """The table of (name, size, bytes, ms, queries) rows; with `json_path`, also as JSON for bench/all.py."""
    if json_path:
        import json

        Path(json_path).write_text(json.dumps([dict(zip(("name", "size", "bytes", "ms", "queries"), row,
                                                         strict=True)) for row in rows]))
    print()
    print(f"| what | {unit} | KB | p50 ms | queries |")
    print("| --- | --- | --- | --- | --- |")
    for name, size, size_b, ms, queries in rows:
        print(f"| {name} | {size:,} | {size_b / 1024:.0f} | {ms:.0f} | {queries} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the rows to this file (for bench/all.py)")
    parser.add_argument("--only", default="live,meeting,api,item",
                        help="what to measure, of live, meeting, api, item (the live page before issue 17 took "
                             "minutes at 1,000 rows)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(str(Path(tmp) / "record.sqlite3"))
        from django.test import Client
        from django.urls import reverse

        rows = []
        for size in [int(s) for s in args.sizes.split(",")]:
            t0 = time.perf_counter()
            meeting, recorder, topics = fill(size)
            analyze()
            print(f"# {size} rows filled in {time.perf_counter() - t0:.1f} s", flush=True)
            client = Client()
            client.force_login(recorder)
            only = set(args.only.split(","))
            pages = (("live", "live record page", reverse("record:live", args=[meeting.pk])),
                     ("meeting", "meeting page", reverse("meetings:detail", args=[meeting.pk])),
                     ("api", "API record detail", f"/api/v1/record/meetings/{meeting.pk}"))
            for key, name, url in pages:
                if key not in only:
                    continue
                size_b, ms, queries = measure(client, url, args.repeat)
                rows.append((name, size, size_b, ms, queries))
                print(f"{name:<22} {size:>5} rows  {size_b / 1024:8.1f} KB  {ms:8.1f} ms  {queries:3d} queries",
                      flush=True)
            if "item" not in only:
                continue
            size_b, queries = add_item_queries(client, meeting, topics[len(topics) // 2], recorder)
            rows.append(("add an item (htmx)", size, size_b, 0.0, queries))
            print(f"{'add an item (htmx)':<22} {size:>5} rows  {size_b / 1024:8.1f} KB  {'':>11}  {queries:3d} queries",
                  flush=True)
        report(rows, "rows", args.json)


if __name__ == "__main__":
    main()
