"""The lists at the size of a company: does a page of 50 cost the same over 100,000 rows as over 1,000?

Fills a database with an organisation (`--people` people in departments of about 50, an administrator),
meetings (one per ten items, four participants each, one in twenty confidential) and action items
(97 % closed), first `--small` items, then up to `--large`. At each size, in a fresh process, every list
below is requested `--repeat` times through Django's test client (the whole stack: middleware, views,
templates, JSON) and its median time, SQL queries and bytes are kept. Prints each list's median at both
sizes and their ratio (target ≤ 1.3), then the plan of the action-item list's page query on the large set.

    .venv/bin/python bench/lists.py                              # a temporary SQLite file, removed afterwards
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_lists .venv/bin/python bench/lists.py  # makes cl_lists_<size>
    .venv/bin/python bench/lists.py --large 100000 --people 5000  # the company size of issue 17
    .venv/bin/python bench/lists.py --keep /tmp/lists             # fill once, reuse the databases next time
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")

TARGET_RATIO = 1.3


def lists_to_time(org, admin, member, head, busiest):
    """(name, who, url) for each list: the API and the pages, as an administrator, a head and a member."""
    return [
        ("API actions, admin", admin, "/api/v1/actions?page_size=50"),
        ("API actions, member", member, "/api/v1/actions?page_size=50"),
        ("API actions, busiest member", busiest, "/api/v1/actions?page_size=50"),
        # The same reader's first 40: over 1,000 items they see 42, so a page of 50 holds 42 rows there
        # against 50 over the large set; a page of 40 renders the same rows' worth at both sizes.
        ("API actions, busiest member, 40", busiest, "/api/v1/actions?page_size=40"),
        ("API actions by owner, admin", admin, "/api/v1/actions?page_size=50&sort=owner"),
        ("API open actions, admin", admin, "/api/v1/actions?page_size=50&open=true"),
        ("API actions by status, admin", admin, "/api/v1/actions?page_size=50&sort=status"),
        ("page my actions, member", member, "/actions/"),
        ("page department actions, head", head, f"/actions/department/{head.department_id}/"),
        ("API meetings, admin", admin, "/api/v1/meetings?page_size=50"),
        ("API meetings, member", member, "/api/v1/meetings?page_size=50"),
        ("page meetings, member", member, "/meetings/"),
        ("page archive, admin", admin, "/archive/"),
        ("page inbox, member", member, "/notify/inbox/"),
        ("page requests, member", member, "/requests/"),
    ]


def people_for_bench(org):
    """The administrator, a head, the bench's member and the generated member with the most participations.

    The bench's member takes part in 60 meetings and owns 60 items at every size (bench_member_load), so that
    their list is the same list over a bigger table. The busiest generated member's own history grows with
    the data (about 130 visible items over 1,000, 1,500 over 100,000): their row shows that growth."""
    from django.db.models import Count

    from closeloop.org.choices import Role
    from closeloop.org.models import Person

    admin, _ = Person.objects.get_or_create(
        username="bench-admin", defaults={"organisation": org, "role": Role.ADMIN, "display_name": "管理员",
                                          "email": "bench-admin@example.com", "password": "!"})
    head = Person.objects.filter(organisation=org, role=Role.HEAD).order_by("pk").first()
    member, _ = Person.objects.get_or_create(
        username="bench-member", defaults={"organisation": org, "role": Role.MEMBER, "display_name": "基准成员",
                                           "email": "bench-member@example.com", "password": "!",
                                           "department_id": head.department_id})
    busiest = (Person.objects.filter(organisation=org, role=Role.MEMBER).exclude(pk=member.pk)
               .annotate(n=Count("participations")).order_by("-n", "pk").first())
    return admin, member, head, busiest


def serve():
    """A measuring process on one database: reads commands on stdin, answers one JSON line each.
    `time N` times list N once; `figures N` counts its SQL queries and bytes; `explain` gives the plans."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from closeloop.org.models import Organisation

    settings.ALLOWED_HOSTS = ["*"]
    org = Organisation.objects.get(name="基准测试公司")
    admin, member, head, busiest = people_for_bench(org)
    lists = lists_to_time(org, admin, member, head, busiest)
    clients = {}
    for _name, who, _url in lists:
        if who.pk not in clients:
            clients[who.pk] = Client()
            clients[who.pk].force_login(who)
    print(json.dumps([name for name, _who, _url in lists]), flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "explain":
            print(json.dumps({"admin": explain(admin), "member": explain(member)}), flush=True)
            continue
        if command == "profile":
            print(json.dumps(profile(clients[lists[int(arg)][1].pk], lists[int(arg)][2])), flush=True)
            continue
        _name, who, url = lists[int(arg)]
        client = clients[who.pk]
        if command == "time":
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{url} as {who}: {response.status_code}")
            print(json.dumps(elapsed * 1000), flush=True)
        else:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            print(json.dumps({"queries": len(queries), "bytes": len(response.content)}), flush=True)


class Server:
    """One `serve` process, spoken to line by line."""

    def __init__(self, env):
        self.process = subprocess.Popen([sys.executable, __file__, "--serve"], env=env, cwd=ROOT, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.names = self.read()

    def ask(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def read(self):
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"The measuring process stopped (exit {self.process.wait()}); run it with --serve "
                             "to see why.")
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def explain(person):
    """The plan of the action-item list's page query (default filters and sort, first 50 rows)."""
    from django.db import connection

    from closeloop.actions.selectors.lists import VISIBLE, ItemQuery, list_items, scope_for

    rows = list_items(person, scope_for(person, VISIBLE), ItemQuery())
    qs = rows.slice_query(slice(0, 50)) if hasattr(rows, "slice_query") else rows[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [" ".join(str(c) for c in row if c is not None) for row in cursor.fetchall()]


def profile(client, url):
    """Each SQL query of one request: its time (ms), its text and its plan, slowest first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    rows = []
    for q in queries.captured_queries:
        sql = q["sql"]
        plan = []
        if sql.lstrip().upper().startswith("SELECT"):
            prefix = "EXPLAIN (COSTS OFF) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            try:
                with connection.cursor() as cursor:
                    cursor.execute(prefix + sql)
                    plan = [" ".join(str(c) for c in row if c is not None) for row in cursor.fetchall()]
            except Exception as exc:  # a query whose logged text cannot be replayed as it is
                plan = [f"(no plan: {exc})"]
        rows.append({"ms": float(q["time"]) * 1000, "sql": sql, "plan": plan})
    return sorted(rows, key=lambda r: -r["ms"])


def fill(total_items, *, people, seed):
    """In this process: the organisation, one meeting per ten items, and the items (97 % closed)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from generate import ensure_organisation, generate, generate_meetings

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    departments = max(10, people // 50)
    org, persons = ensure_organisation(people, departments)
    meeting_ids = generate_meetings(org, persons, max(10, total_items // 10), seed=seed)
    # Every list must fill its first page at both sizes, so that the two sizes render the same page and
    # only the size of the tables differs: the small set has more open items than life would give it.
    generate(items=total_items, due=20, seed=seed, meeting_ids=meeting_ids, people=people, departments=departments,
             log=lambda *a: None, open_share=0.03 if total_items >= 20_000 else 0.6)
    bench_member_load(org, meeting_ids)
    with connection.cursor() as cursor:  # statistics (and, on PostgreSQL, the visibility map) as autovacuum keeps them
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(json.dumps(time.monotonic() - started))


def bench_member_load(org, meeting_ids, share=60):
    """The member the bench reads as takes part in `share` meetings and owns `share` items at every size."""
    from closeloop.actions.models import ActionItem
    from closeloop.meetings.models import Participant

    _admin, member, _head, _busiest = people_for_bench(org)
    taken = set(Participant.objects.filter(person=member).values_list("meeting_id", flat=True))
    Participant.objects.bulk_create([Participant(meeting_id=pk, person=member, roles="executor", token=f"bm-{pk}")
                                     for pk in meeting_ids[:share] if pk not in taken])
    mine = (ActionItem.objects.filter(organisation=org).exclude(owner=member).order_by("pk")
            .values_list("pk", flat=True)[:share])
    changes = {"owner": member, "department": member.department}
    if any(f.name == "owner_sort" for f in ActionItem._meta.fields):  # absent before issue 17's sort keys
        changes["owner_sort"] = (member.display_name or "").lower()
    ActionItem.objects.filter(pk__in=list(mine)).update(**changes)


def database_env(url, size, folder, *, keep=False):
    """The environment of a process working on this size's own database, and whether that database is already
    filled (only with `--keep`, which leaves the databases in place for the next run)."""
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    filled = False
    if url:
        base, _, name = url.rpartition("/")
        env["DATABASE_URL"] = f"{base}/{name}_{size}"
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{name}_{size}"]).fetchone()
            if exists and keep:
                with psycopg.connect(env["DATABASE_URL"]) as db:
                    filled = bool(db.execute("SELECT 1 FROM pg_tables WHERE tablename = 'bench_filled'").fetchone())
            if not filled:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}_{size}"')
                admin.execute(f'CREATE DATABASE "{name}_{size}"')
    else:
        data = Path(folder) / str(size)
        env["CLOSELOOP_DATA_DIR"] = str(data)
        filled = keep and (data / "filled").exists()
        if not filled:
            shutil.rmtree(data, ignore_errors=True)
            data.mkdir(parents=True)
    return env, filled


def mark_filled(url, env):
    """Remember that this size's database is complete, so that `--keep` reuses it."""
    if url:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as db:
            db.execute("CREATE TABLE IF NOT EXISTS bench_filled (at timestamptz DEFAULT now())")
    else:
        (Path(env["CLOSELOOP_DATA_DIR"]) / "filled").touch()


def migrate_kept(env):
    """A kept database gets the migrations added since it was filled (new indexes), and fresh statistics."""
    code = ("import django; django.setup(); from django.core.management import call_command; "
            "from django.db import connection; call_command('migrate', verbosity=0); "
            "connection.cursor().execute('VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'ANALYZE')")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"Migrating the kept database failed:\n{out.stderr[-3000:]}")


def drop_databases(url, sizes):
    if not url:
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for size in sizes:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}_{size}"')


def run(args):
    """Fill one database per size, then time the lists on both in turn (request by request), so that
    whatever else the machine is doing weighs on both sizes alike."""
    url = os.environ.get("DATABASE_URL")
    folder = args.keep or tempfile.mkdtemp(prefix="closeloop-lists-")
    sizes = (args.small, args.large)
    servers = {}
    try:
        prepared = {size: database_env(url, size, folder, keep=bool(args.keep)) for size in sizes}
        envs = {size: env for size, (env, _filled) in prepared.items()}
        vendor = "PostgreSQL" if url else "SQLite"
        print(f"Closeloop list benchmark on {vendor}: {args.people:,} people, {args.small:,} and {args.large:,} "
              f"action items (one database each), median of {args.repeat} requests taken in turn")
        for size in sizes:
            if prepared[size][1]:
                migrate_kept(envs[size])
                print(f"  {size:,} items: the database kept from an earlier run (migrated, analysed)")
                continue
            out = subprocess.run([sys.executable, __file__, "--fill", str(size), "--people", str(args.people)],
                                 env=envs[size], cwd=ROOT, capture_output=True, text=True)
            if out.returncode:
                raise SystemExit(f"Filling failed:\n{out.stderr[-3000:]}")
            print(f"  {size:,} items generated in {float(out.stdout.strip().splitlines()[-1]):.0f} s")
            if args.keep:
                mark_filled(url, envs[size])
        servers = {size: Server(envs[size]) for size in sizes}
        names = servers[args.small].names
        if args.profile is not None:
            return print_profiles(servers, sizes, names, args.profile)
        times = {size: {i: [] for i in range(len(names))} for size in sizes}
        for attempt in range(args.repeat + 2):  # two untimed rounds first
            for i in range(len(names)):
                for size in sizes:
                    elapsed = servers[size].ask(f"time {i}")
                    if attempt >= 2:
                        times[size][i].append(elapsed)
        figures = {size: [servers[size].ask(f"figures {i}") for i in range(len(names))] for size in sizes}
        rows = []
        for i, name in enumerate(names):
            small, large = (statistics.median(times[size][i]) for size in sizes)
            rows.append({"name": name, "small": small, "large": large, "ratio": large / small,
                         "queries": [figures[size][i]["queries"] for size in sizes],
                         "kb": figures[args.large][i]["bytes"] / 1024})
        print(f"\n| list | p50 {args.small:,} (ms) | p50 {args.large:,} (ms) | ratio | queries | KB |")
        print("| --- | --- | --- | --- | --- | --- |")
        for row in rows:
            flag = "" if row["ratio"] <= TARGET_RATIO else " (over target)"
            print(f"| {row['name']} | {row['small']:.1f} | {row['large']:.1f} | {row['ratio']:.2f}{flag} | "
                  f"{row['queries'][0]} → {row['queries'][1]} | {row['kb']:.0f} |")
        plans = servers[args.large].ask("explain")
        for who in ("admin", "member"):
            print(f"\nPlan of the action-item list's page query ({who}, {args.large:,} items):")
            for line in plans[who]:
                print("   ", line)
        if args.json:
            Path(args.json).write_text(json.dumps({"vendor": vendor, "rows": rows}, indent=1))
        return rows
    finally:
        for server in servers.values():
            server.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            drop_databases(url, sizes)


def print_profiles(servers, sizes, names, which):
    """`--profile`: the SQL of the chosen lists at both sizes, each query's time and plan."""
    chosen = [i for i, name in enumerate(names) if not which or any(w.lower() in name.lower() for w in which)]
    for i in chosen:
        for size in sizes:
            servers[size].ask(f"time {i}")  # warm: templates, URL resolvers
            queries = servers[size].ask(f"profile {i}")
            total = sum(q["ms"] for q in queries)
            print(f"\n## {names[i]}, {size:,} items: {len(queries)} queries, {total:.1f} ms of SQL")
            for q in queries:
                print(f"- {q['ms']:.1f} ms  {q['sql'][:400]}")
                for line in q["plan"]:
                    print(f"      {line}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the databases (SQLite files under DIR; PostgreSQL databases are kept by name) "
                             "and reuse those already filled by an earlier run with the same sizes")
    parser.add_argument("--profile", nargs="*", metavar="LIST",
                        help="instead of timing, print each SQL query of the lists whose names contain one of these "
                             "words (all lists when none is given), with its time and plan, at both sizes")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve()
    if args.fill:
        return fill(args.fill, people=args.people, seed=args.fill)
    run(args)


if __name__ == "__main__":
    main()
