"""The insight benchmark: the quarter page over a large organisation, against hand-written SQL for its figures.

Generates 500 people in 30 departments, 20,000 meetings over two years (each with host, recorder and three more
participants, three topics, a record with two decisions and a timer, minutes and two sign-offs), 200,000
action items (with delays, risks and change requests) and 1,000 collaboration requests (each answered or not by
one department; half of them completed, with their retrospective and, when its report was sent, two improvement
measures), then prints:

- the SQL queries the quarter page runs (it must stay ≤ 15 whatever the size: run it with --scale 0.1 too),
- the page's time (Django test client, best and median of --repeat),
- the time of hand-written SQL aggregates for the same figures, and the ratio of the two.

By default it works in a temporary SQLite file (removed afterwards); with DATABASE_URL set it uses that database,
which must be an empty one made for the purpose.

    .venv/bin/python bench/insight.py [--scale 1.0] [--repeat 5]
"""

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 6, 16)
QUARTER_ON = dt.date(2026, 5, 15)  # the quarter 2026-04-01 … 2026-06-30
FIRST_DAY = dt.date(2025, 1, 1)
DAYS = 730
TITLES = ["部门经理", "主管", "高级专员", "专员", "助理"]
RATES = {"部门经理": 400, "主管": 250, "高级专员": 180, "专员": 120}  # 助理: no rate


class Writer:
    """Rows of one model written with executemany (COPY on PostgreSQL), ids chosen here so rows can refer to
    each other without reading back. Values go through each field's get_db_prep_save; missing ones take the
    field's default."""

    def __init__(self, model):
        from django.db import connection

        self.model, self.connection = model, connection
        self.fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]  # computed
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(self.fields))})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.rows = []

    def add(self, **values):
        row = []
        for f in self.fields:
            value = values.get(f.attname, values.get(f.name, self.defaults[f.attname]))
            row.append(f.get_db_prep_save(value, self.connection))
        self.rows.append(row)

    def flush(self):
        from django.db import transaction

        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{self.model._meta.db_table}', 'id'), "
                               f"(SELECT MAX(id) FROM {self.model._meta.db_table}))")
            else:
                cursor.executemany(self.sql, self.rows)
        written, self.rows = len(self.rows), []
        return written


def at(day, hour, minute=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def generate(*, people=500, departments=30, meetings=20_000, items=200_000, seed=13):
    """Fill the database; returns the administrator who looks at the page."""
    from django.utils import timezone

    from closeloop.actions.models import ActionItem, ActionItemEvent, ChangeRequest
    from closeloop.insight.models import HourlyCost
    from closeloop.meetings.models import Meeting, Participant, Topic
    from closeloop.minutes.models import Minutes, SignOff
    from closeloop.org.choices import Role
    from closeloop.org.models import Department, Organisation, Person
    from closeloop.record.models import Decision, MeetingRecord, TopicRecord

    rnd = random.Random(seed)
    org = Organisation.objects.create(name="洞察基准公司", time_zone="Asia/Shanghai", country="CN")
    depts = Department.objects.bulk_create([Department(organisation=org, name=f"部门{i:02d}")
                                            for i in range(departments)])
    depts = list(Department.objects.filter(organisation=org).order_by("pk"))
    Person.objects.bulk_create([
        Person(username=f"p{i:04d}", email=f"p{i:04d}@example.com", organisation=org, password="!",
               department=depts[i % departments], display_name=f"员工{i:04d}", title=TITLES[min(i // departments, 4)
                                                                                           if i < 5 * departments
                                                                                           else rnd.randrange(1, 5)],
               role=Role.ADMIN if i == people - 1 else (Role.HEAD if i < departments else Role.MEMBER))
        for i in range(people)])
    staff = list(Person.objects.filter(organisation=org).order_by("pk"))
    for dept, head in zip(depts, staff, strict=False):
        dept.head = head
    Department.objects.bulk_update(depts, ["head"])
    HourlyCost.objects.bulk_create([HourlyCost(organisation=org, title=t, hourly_cost=r) for t, r in RATES.items()])
    now = timezone.now()

    meeting_w, part_w, topic_w = Writer(Meeting), Writer(Participant), Writer(Topic)
    record_w, trec_w, dec_w = Writer(MeetingRecord), Writer(TopicRecord), Writer(Decision)
    min_w, sign_w = Writer(Minutes), Writer(SignOff)
    decisions = []  # (decision id, meeting id)
    meeting_days = []
    for m in range(1, meetings + 1):
        day = FIRST_DAY + dt.timedelta(days=rnd.randrange(DAYS))
        start = at(day, rnd.choice([9, 10, 14, 15]))
        end = start + dt.timedelta(minutes=rnd.choice([30, 60, 90, 120]))
        meeting_days.append((m, day))
        meeting_w.add(id=m, organisation_id=org.pk, type=rnd.choice(["decision", "weekly_sync", "kickoff",
                                                                       "problem_analysis"]),
                      title=f"会议{m}", objective="目标" if rnd.random() < 0.9 else "", start=start, end=end,
                      state="noticed", created_at=now, updated_at=now, ical_uid=f"bench-{m}@closeloop",
                      notice_sent_at=start - dt.timedelta(days=rnd.choice([1, 3, 5, 7])))
        chosen = rnd.sample(staff, 5)
        for j, person in enumerate(chosen):
            part_w.add(id=5 * m + j, meeting_id=m, person_id=person.pk,
                       roles=["host", "recorder", "decision_maker", "executor", "informed"][j],
                       response="declined" if j == 4 and rnd.random() < 0.2 else "accepted", token=f"t{m}-{j}")
        record_w.add(id=m, meeting_id=m, state="closed", opened_at=start, section_revisions={})
        for j in range(3):
            topic_w.add(id=3 * m + j, meeting_id=m, order=j + 1, title=f"议题{j + 1}", minutes=20,
                        kind="decide" if j == 2 else "discuss", required_outcome="结论" if j == 2 else "")
        trec_w.add(id=m, record_id=m, topic_id=3 * m, elapsed_seconds=rnd.randrange(600, 2400))
        for j in range(2):
            dec_w.add(id=2 * m + j, record_id=m, topic_id=3 * m + 2, text="决议", created_at=start,
                      no_action_needed=j == 1 and rnd.random() < 0.5)
            decisions.append((2 * m + j, m))
        approved = end + dt.timedelta(hours=rnd.choice([5, 20, 30]))
        min_w.add(id=m, meeting_id=m, number=1, state="distributed", content={}, created_at=end, updated_at=end,
                  submitted_at=approved - dt.timedelta(hours=2), approved_at=approved,
                  distributed_at=approved + dt.timedelta(minutes=rnd.choice([10, 30, 90])))
        for j in range(2):
            signed = approved + dt.timedelta(hours=rnd.randrange(2, 72)) if rnd.random() < 0.9 else None
            sign_w.add(id=2 * m + j, minutes_id=m, department_id=depts[(m + j) % departments].pk,
                       signed_at=signed, token=f"s{m}-{j}")
    for writer in (meeting_w, part_w, topic_w, record_w, trec_w, dec_w, min_w, sign_w):
        writer.flush()

    item_w, event_w, change_w = Writer(ActionItem), Writer(ActionItemEvent), Writer(ChangeRequest)
    event_ids, change_ids = iter(range(1, 10 * items)), iter(range(1, 10 * items))
    for i in range(1, items + 1):
        owner = staff[rnd.randrange(people)]
        due = FIRST_DAY + dt.timedelta(days=rnd.randrange(DAYS))
        roll = rnd.random()
        status = "cancelled" if roll < 0.05 else ("done" if roll < 0.75 or due < TODAY - dt.timedelta(days=60)
                                                   else rnd.choice(["not_started", "in_progress", "delayed"]))
        closed = None
        if status in ("done", "cancelled"):
            closed = at(due + dt.timedelta(days=rnd.choice([-3, -1, 0, 0, 1, 2, 5, 12])), 17)
        decision_id, meeting_id = decisions[rnd.randrange(len(decisions))] if rnd.random() < 0.8 else (None, None)
        item_w.add(id=i, organisation_id=org.pk, meeting_id=meeting_id, decision_id=decision_id,
                   owner_id=owner.pk, department_id=owner.department_id, task=f"任务{i}",
                   deliverable="" if rnd.random() < 0.1 else "报表", due=due, original_due=due, status=status,
                   owner_confirmed=True, created_at=now, updated_at=now, closed_at=closed)
        if rnd.random() < 0.05:
            event_w.add(id=next(event_ids), item_id=i, at=at(due - dt.timedelta(days=2), 10), kind="delay",
                        new_due=due, reason="延期")
        if rnd.random() < 0.03:
            event_w.add(id=next(event_ids), item_id=i, at=at(due - dt.timedelta(days=rnd.choice([0, 1, 4])), 11),
                        kind="progress", note="[risk] 风险")
        if rnd.random() < 0.03:
            change_w.add(id=next(change_ids), item_id=i, kind=rnd.choice(["date", "scope", "both"]), reason="变更",
                         state=rnd.choice(["accepted", "refused", "withdrawn"]), created_at=now)
        if len(item_w.rows) >= 20_000:
            item_w.flush()
    for writer in (item_w, event_w, change_w):
        writer.flush()
    _requests(org, depts, staff, rnd, round(meetings / 20), items, now)
    return staff[-1]


def _requests(org, depts, staff, rnd, count, items, now):
    """Collaboration requests, one receiving department each; every other one completed with its retrospective
    (to plan, planned or sent) and, when sent, two improvement measures whose items are among the items above."""
    from closeloop.collab.models import Receipt, Request
    from closeloop.retro.models import Improvement, Retrospective

    request_w, receipt_w = Writer(Request), Writer(Receipt)
    retro_w, improvement_w = Writer(Retrospective), Writer(Improvement)
    for r in range(1, count + 1):
        day = FIRST_DAY + dt.timedelta(days=rnd.randrange(DAYS))
        initiator = staff[rnd.randrange(len(staff) - 1)]
        receiver = depts[(depts.index(next(d for d in depts if d.pk == initiator.department_id)) + 1) % len(depts)]
        request_w.add(id=r, organisation_id=org.pk, subject=f"需求{r}", initiator_id=initiator.pk,
                      initiating_department_id=initiator.department_id, what="支持", why="项目", due=day,
                      acceptance_standard="完成", state="agreed", sent_at=at(day, 10), created_at=now, updated_at=now)
        answered = rnd.random() < 0.8
        receipt_w.add(id=r, request_id=r, department_id=receiver.pk, state="accepted" if answered else "pending",
                      answer_due=day + dt.timedelta(days=1), answered_at=at(day, 16) if answered else None,
                      token=f"r{r}")
        if r % 2:
            continue
        due = day + dt.timedelta(days=7)
        state = rnd.choice(["awaiting", "planned", "sent"])
        retro_w.add(id=r, request_id=r, completed_at=at(day, 17), due=due, state=state, facts={},
                    sent_at=at(due, 11) if state == "sent" else None)
        if state == "sent":
            for j in range(2):
                improvement_w.add(id=2 * r + j, retrospective_id=r, measure=f"改进{r}-{j}", owner_id=initiator.pk,
                                  due=due + dt.timedelta(days=20), deliverable="制度", item_id=(7 * r + j) % items + 1,
                                  created_at=now)
    for writer in (request_w, receipt_w, retro_w, improvement_w):
        writer.flush()


def page_figures(client, repeat):
    """Queries and times of the quarter page (one untimed visit first, which also creates the policy)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/insight/?period=quarter&on={QUARTER_ON.isoformat()}"
    assert client.get(url).status_code == 200
    connection.queries_log.clear()  # a full log (9,000 entries) would hide the new ones
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return len(captured.captured_queries), min(times), statistics.median(times)


def hand_sql(vendor):
    """Hand-written aggregates for the page's figures: items by department and outcome, the weekly overdue
    trend, the late items' dates, history counts, and per-meeting facts grouped by the host's department."""
    if vendor == "postgresql":
        day = "(i.closed_at AT TIME ZONE 'Asia/Shanghai')::date"
        hours = "EXTRACT(EPOCH FROM (m.\"end\" - m.start)) / 3600.0"
    else:
        day = "date(i.closed_at, '+8 hours')"
        hours = "(julianday(m.\"end\") - julianday(m.start)) * 24"
    start, end, today = "'2026-04-01'", "'2026-06-30'", f"'{TODAY.isoformat()}'"
    weeks = [dt.date(2026, 3, 30) + dt.timedelta(days=7 * k + 6) for k in range(14)]
    trend = ", ".join(f"SUM(CASE WHEN i.due < '{w}' AND (i.status IN ('not_started','in_progress','delayed') OR "
                      f"(i.status = 'done' AND {day} > '{w}')) THEN 1 ELSE 0 END)" for w in weeks)
    open_ = "i.status IN ('not_started','in_progress','delayed')"
    in_period = f"i.due BETWEEN {start} AND {end}"
    return [
        f"""SELECT i.department_id,
              SUM(CASE WHEN {in_period} THEN 1 ELSE 0 END),
              SUM(CASE WHEN {in_period} AND {open_} THEN 1 ELSE 0 END),
              SUM(CASE WHEN {in_period} AND {open_} AND i.due < {today} THEN 1 ELSE 0 END),
              SUM(CASE WHEN {in_period} AND i.status = 'done' AND {day} <= i.due THEN 1 ELSE 0 END),
              SUM(CASE WHEN {in_period} AND i.status = 'done' AND {day} > i.due THEN 1 ELSE 0 END),
              SUM(CASE WHEN {in_period} AND i.owner_id IS NOT NULL AND i.deliverable <> '' THEN 1 ELSE 0 END),
              {trend}
            FROM actions_actionitem i
            WHERE i.status <> 'cancelled' AND i.due <= {end} AND (i.closed_at IS NULL OR {day} >= '2026-03-30')
            GROUP BY i.department_id""",
        f"""SELECT i.department_id, i.due, {day} FROM actions_actionitem i
            WHERE {in_period} AND i.status = 'done' AND {day} > i.due""",
        f"""SELECT i.department_id, e.kind, COUNT(*) FROM actions_actionitemevent e
            JOIN actions_actionitem i ON i.id = e.item_id
            WHERE {in_period} AND i.status <> 'cancelled' AND (e.kind = 'delay' OR e.note LIKE '[risk] %')
            GROUP BY i.department_id, e.kind""",
        f"""SELECT i.department_id, c.kind, c.state, COUNT(*) FROM actions_changerequest c
            JOIN actions_actionitem i ON i.id = c.item_id
            WHERE {in_period} AND i.status <> 'cancelled' GROUP BY i.department_id, c.kind, c.state""",
        f"""SELECT h.department_id, COUNT(*), SUM({hours}),
              SUM({hours} * (SELECT COUNT(*) FROM meetings_participant p WHERE p.meeting_id = m.id
                                                     AND p.response <> 'declined')),
              SUM((SELECT COUNT(*) FROM record_decision d JOIN record_meetingrecord r ON r.id = d.record_id
                   WHERE r.meeting_id = m.id)),
              SUM((SELECT COUNT(*) FROM actions_actionitem a WHERE a.meeting_id = m.id)),
              SUM((SELECT COUNT(*) FROM meetings_topic t WHERE t.meeting_id = m.id)),
              SUM((SELECT COUNT(*) FROM minutes_signoff s JOIN minutes_minutes n ON n.id = s.minutes_id
                   WHERE n.meeting_id = m.id AND s.signed_at IS NULL))
            FROM meetings_meeting m
            JOIN meetings_participant hp ON hp.meeting_id = m.id AND hp.roles LIKE 'host%'
            JOIN org_person h ON h.id = hp.person_id
            WHERE m.start >= '2026-03-31 16:00:00' AND m.start < '2026-06-30 16:00:00' AND m.state <> 'cancelled'
            GROUP BY h.department_id""",
        f"""SELECT COUNT(*) FROM retro_retrospective r
            WHERE r.state = 'awaiting' AND r.due BETWEEN {start} AND {end} AND r.due < {today}""",
        f"""SELECT i.department_id, COUNT(*) FROM retro_improvement m
            JOIN retro_retrospective r ON r.id = m.retrospective_id JOIN actions_actionitem i ON i.id = m.item_id
            WHERE {open_} AND r.sent_at < '2026-06-30 16:00:00' GROUP BY i.department_id""",
    ]


def time_hand_sql(repeat):
    from django.db import connection

    statements = hand_sql(connection.vendor)
    times = []
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        if attempt:
            times.append(time.perf_counter() - started)
    return len(statements), min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description="Insight page benchmark")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the default sizes")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = None
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="closeloop-bench-")
        os.environ["CLOSELOOP_DATA_DIR"] = folder
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    connection.force_debug_cursor = False  # no query log while generating and timing
    try:
        call_command("migrate", verbosity=0)
        sizes = {"people": 500, "departments": 30, "meetings": round(20_000 * args.scale),
                 "items": round(200_000 * args.scale)}
        started = time.perf_counter()
        admin = generate(**sizes)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"Closeloop insight benchmark on {connection.vendor}: {sizes} generated in "
              f"{time.perf_counter() - started:.0f} s")
        client = Client()
        client.force_login(admin)
        queries, best, median = page_figures(client, args.repeat)
        n, sql_best, sql_median = time_hand_sql(args.repeat)
        print(f"  quarter page: {queries} SQL queries; best {best * 1000:.0f} ms, median {median * 1000:.0f} ms "
              f"of {args.repeat}")
        print(f"  hand-written SQL ({n} aggregate queries): best {sql_best * 1000:.0f} ms, "
              f"median {sql_median * 1000:.0f} ms")
        print(f"  ratio page / SQL: {best / sql_best:.2f} (best), {median / sql_median:.2f} (median)")
    finally:
        connection.close()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
