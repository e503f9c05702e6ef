"""The follow-up benchmark, in one run:

1. the reminder scan's time over 10,000 and over 1,000,000 action items (mostly closed) with the same
   number due in its window, and their ratio;
2. the delivery rate of one `closeloop worker` process to a local SMTP receiver (messages per second).

By default it works in a temporary SQLite file (removed afterwards); with DATABASE_URL set it uses that
database, which must be an empty one made for the purpose. See bench/README.md.

    .venv/bin/python bench/run.py [--large 1000000] [--due 200] [--messages 1000]
"""

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")

SCAN_AT = dt.datetime(2026, 6, 16, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def time_scan(repeat):
    """Best and median seconds of the reminder scan (each run rolled back, so each does the full work), best
    time of its item query alone, what the scan queued and how many items the query found. One run first,
    untimed, loads the URLs and templates. The best of several runs is the figure least disturbed by
    whatever else the machine is doing."""
    from django.db import transaction

    from closeloop.followup.scans import open_items_due, scan_reminders

    class Rollback(Exception):
        pass

    day = SCAN_AT.date() + dt.timedelta(days=1)
    scans, queries, queued, found = [], [], 0, 0
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                queued = scan_reminders(now=SCAN_AT)
                elapsed = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        started = time.perf_counter()
        found = len(list(open_items_due(day, day)))
        if attempt:
            scans.append(elapsed)
            queries.append(time.perf_counter() - started)
    return min(scans), statistics.median(scans), min(queries), queued, found


def measure_child(repeat):
    """In a process of its own: time the scan and print the figures as JSON for the parent."""
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    print(json.dumps(time_scan(repeat)))


def measure_in_fresh_process(repeat):
    """The scan is timed in a fresh process for each size: the one that just generated a million rows
    carries their garbage and memory, which slowed its scans by a third in trials and says nothing
    about the scan."""
    from django.db import connection

    connection.close()  # SQLite: let the child see every committed row without waiting on us
    out = subprocess.run([sys.executable, __file__, "--measure", "--repeat", str(repeat)], env=os.environ.copy(),
                         cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def query_plan():
    from django.db import connection

    from closeloop.followup.scans import open_items_due

    day = SCAN_AT.date() + dt.timedelta(days=1)
    sql, params = open_items_due(day, day).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(("EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN ") + sql, params)
        return " | ".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def delivery_rate(messages):
    """Messages a second from one worker process to an SMTP receiver on 127.0.0.1 (start-up excluded)."""
    from django.db import transaction

    from closeloop.notify.services import outbox_enqueue
    from closeloop.notify.testing.workers import MANAGE, counting_smtp, wait_until

    with transaction.atomic():
        for i in range(messages):
            outbox_enqueue(key=f"bench:{time.time_ns()}:{i}", address=f"p{i}@example.com", kind="reminder",
                           subject=f"提醒 {i}", body_text="明天到期 / due tomorrow")
    with counting_smtp() as (receiver, port):
        env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "LOG_LEVEL": "WARNING"}
        worker = subprocess.Popen([sys.executable, str(MANAGE), "worker", "--no-scans", "--interval", "0.1"],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        try:
            wait_until(lambda: receiver.total >= 1, timeout=60, what="the first delivery")
            first, started = receiver.total, time.perf_counter()
            wait_until(lambda: receiver.total >= messages, timeout=600, step=0.01, what="every delivery")
            seconds = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    return (messages - first) / seconds, seconds


def main():
    parser = argparse.ArgumentParser(description="Follow-up scan and delivery benchmark")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=200, help="open items due in the reminder window")
    parser.add_argument("--messages", type=int, default=1000, help="messages for the delivery rate")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--delivery-only", action="store_true", help="skip the scan part")
    parser.add_argument("--json", help="also write the figures to this file (for bench/all.py)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args()
    if args.measure:
        return measure_child(args.repeat)

    folder = None
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="closeloop-bench-")
        os.environ["CLOSELOOP_DATA_DIR"] = folder
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from generate import generate

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # nothing leaves this process
    try:
        call_command("migrate", verbosity=0)
        where = connection.vendor + (f" ({folder})" if folder else "")
        print(f"Closeloop follow-up benchmark on {where}; scan at {SCAN_AT:%Y-%m-%d %H:%M %Z}")
        best, median, figures = {}, {}, {"vendor": connection.vendor, "scans": {}}
        total = 0
        for size in () if args.delivery_only else (args.small, args.large):
            made, seconds = generate(items=size - total, due=args.due, in_window=(total == 0), seed=size)
            total += made
            analyze()
            best[size], median[size], query, queued, found = measure_in_fresh_process(args.repeat)
            figures["scans"][total] = {"best_ms": best[size] * 1000, "median_ms": median[size] * 1000,
                                       "query_ms": query * 1000, "queued": queued}
            print(f"{total:>10,} items: generated +{made:,} in {seconds:.1f} s; reminder scan best "
                  f"{best[size] * 1000:.0f} ms, median {median[size] * 1000:.0f} ms of {args.repeat} "
                  f"(item query {query * 1000:.1f} ms; {found} open items due, {queued} messages queued)")
        if best:
            print(f"  query plan: {query_plan()}")
            print(f"Ratio {args.large:,} / {args.small:,} items: {best[args.large] / best[args.small]:.2f} (best), "
                  f"{median[args.large] / median[args.small]:.2f} (median)")
        rate, seconds = delivery_rate(args.messages)
        figures["delivery_rate"] = rate
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=1))
        print(f"Delivery: one worker, {args.messages} mails to SMTP on 127.0.0.1: {rate:.0f} messages/s "
              f"({seconds:.1f} s)")
    finally:
        connection.close()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
