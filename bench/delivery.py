"""Delivery throughput: `closeloop worker` claiming one message at a time (`--batch 1`, a connection per mail)
against claiming a batch (`--batch 20`, one SMTP connection per batch), and a bare smtplib loop over one
connection with no database at all (the ceiling), each to an aiosmtpd receiver on 127.0.0.1.

    .venv/bin/python bench/delivery.py [--messages 1000] [--batches 1,20] [--repeat 3]

In a temporary SQLite file by default; with DATABASE_URL set, in that database (an empty one made for the
purpose: the benchmark migrates it and queues mail in it). Start-up is excluded: the clock starts at the
first accepted message. The bare loop and the workers run in turn `--repeat` times and the best rate of each
is kept: on a shared machine the best run is the one least slowed by other work. It also prints the CPU time
a mail costs each process and the worker's peak resident memory (VmHWM).
"""

import argparse
import os
import re
import smtplib
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")


def bare_smtplib(messages, port):
    """(messages a second, CPU ms a message) over one smtplib connection: no database, no templates, no records."""
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(messages):
            mail = EmailMessage()
            mail["From"], mail["To"], mail["Subject"] = "closeloop@localhost", f"p{i}@example.com", f"提醒 {i}"
            mail["Message-ID"] = f"<bare-{i}@closeloop.local>"
            mail.set_content("明天到期 / due tomorrow")
            smtp.send_message(mail)
    return messages / (time.perf_counter() - started), (time.process_time() - cpu) * 1000 / messages


def bare_rate(messages, port):
    """`bare_smtplib` in a process of its own, like the worker (the receiver's thread shares this one's GIL)."""
    out = subprocess.run([sys.executable, __file__, "--bare-port", str(port), "--messages", str(messages)],
                         capture_output=True, text=True, check=True, timeout=600).stdout
    rate, cpu_ms = out.split()
    return float(rate), float(cpu_ms)


def cpu_seconds(pid):
    """User + system CPU time of a process so far (Linux /proc), 0.0 where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_rate(messages, batch, receiver, port, env):
    """Messages a second from one worker process with `--batch batch` (start-up excluded)."""
    from django.db import transaction

    from closeloop.notify.services import outbox_enqueue
    from closeloop.notify.testing.workers import MANAGE, wait_until

    with transaction.atomic():
        for i in range(messages):
            outbox_enqueue(key=f"bench:{batch}:{time.time_ns()}:{i}", address=f"p{i}@example.com", kind="reminder",
                           subject=f"提醒 {i}", body_text="明天到期 / due tomorrow")
    before = receiver.total
    worker = subprocess.Popen([sys.executable, str(MANAGE), "worker", "--no-scans", "--interval", "0.1",
                               "--batch", str(batch)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_until(lambda: receiver.total > before, timeout=120, what="the first delivery")
        first, started, cpu = receiver.total, time.perf_counter(), cpu_seconds(worker.pid)
        wait_until(lambda: receiver.total >= before + messages, timeout=900, step=0.01, what="every delivery")
        seconds = time.perf_counter() - started
        cpu_ms = (cpu_seconds(worker.pid) - cpu) * 1000 / max(before + messages - first, 1)
        peak_mb = peak_rss_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return (before + messages - first) / seconds, cpu_ms, peak_mb


def peak_rss_mb(pid):
    """The process's peak resident memory so far (VmHWM), in MB; None where /proc is not there."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s*(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def main():
    parser = argparse.ArgumentParser(description="Delivery throughput benchmark")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--batches", default="1,20", help="worker --batch sizes to compare")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each; the best of each is kept")
    parser.add_argument("--bare-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_port:
        print(*bare_smtplib(args.messages, args.bare_port))
        return
    folder = tempfile.mkdtemp(prefix="cl-bench-delivery-")
    os.environ.setdefault("CLOSELOOP_DATA_DIR", folder)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from closeloop.notify.testing.workers import counting_smtp

    call_command("migrate", "--noinput", verbosity=0)
    vendor = "PostgreSQL" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "SQLite"
    batches = [int(b) for b in args.batches.split(",")]
    bare, workers = [], {batch: [] for batch in batches}
    with counting_smtp() as (receiver, port):
        env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "LOG_LEVEL": "WARNING"}
        print(f"{args.messages} mails to aiosmtpd on 127.0.0.1, {vendor}, one worker process, "
              f"{args.repeat} alternating runs:")
        for run in range(1, args.repeat + 1):
            bare.append(bare_rate(args.messages, port))
            line = f"bare {bare[-1][0]:.0f}"
            for batch in batches:
                workers[batch].append(worker_rate(args.messages, batch, receiver, port, env))
                line += f", worker --batch {batch} {workers[batch][-1][0]:.0f}"
            print(f"  run {run}: {line} mails/s (load average {os.getloadavg()[0]:.1f})", flush=True)
    best_bare = max(bare)
    print(f"  bare smtplib loop, one connection, no database: {best_bare[0]:7.0f} mails/s, "
          f"{best_bare[1]:.2f} ms CPU a mail")
    for batch, runs in workers.items():
        rate, cpu_ms, _peak = max(runs)
        peak = max((p for _r, _c, p in runs if p), default=None)
        print(f"  closeloop worker --batch {batch:<3}                    : {rate:7.0f} mails/s, {cpu_ms:.2f} ms CPU "
              f"a mail, peak RSS {f'{peak:.1f} MB' if peak else 'unknown'}; ratio to bare {rate / best_bare[0]:.2f}")

if __name__ == "__main__":
    main()
