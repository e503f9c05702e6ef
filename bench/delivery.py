"""Delivery throughput: `closeloop worker` claiming one message at a time (`--batch 1`, a connection per mail)
against claiming a batch (`--batch 20`, one SMTP connection per batch), and a bare smtplib loop over one
connection with no database at all (the ceiling), each to an aiosmtpd receiver on 127.0.0.1.

    .venv/bin/python bench/delivery.py [--messages 1000] [--batches 1,20]

In a temporary SQLite file by default; with DATABASE_URL set, in that database (an empty one made for the
purpose: the benchmark migrates it and queues mail in it). Start-up is excluded: the clock starts at the
first accepted message.
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
    """Messages a second over one smtplib connection: no database, no templates, no records."""
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        started = time.perf_counter()
        for i in range(messages):
            mail = EmailMessage()
            mail["From"], mail["To"], mail["Subject"] = "closeloop@localhost", f"p{i}@example.com", f"提醒 {i}"
            mail["Message-ID"] = f"<bare-{i}@closeloop.local>"
            mail.set_content("明天到期 / due tomorrow")
            smtp.send_message(mail)
    return messages / (time.perf_counter() - started)


def bare_rate(messages, port):
    """`bare_smtplib` in a process of its own, like the worker (the receiver's thread shares this one's GIL)."""
    out = subprocess.run([sys.executable, __file__, "--bare-port", str(port), "--messages", str(messages)],
                         capture_output=True, text=True, check=True, timeout=600).stdout
    return float(out.strip())


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
        first, started = receiver.total, time.perf_counter()
        wait_until(lambda: receiver.total >= before + messages, timeout=900, step=0.01, what="every delivery")
        seconds = time.perf_counter() - started
        peak_mb = peak_rss_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return (before + messages - first) / seconds, peak_mb


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
    parser.add_argument("--bare-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_port:
        print(bare_smtplib(args.messages, args.bare_port))
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
    with counting_smtp() as (receiver, port):
        env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "LOG_LEVEL": "WARNING"}
        print(f"{args.messages} mails to aiosmtpd on 127.0.0.1, {vendor}, one worker process:")
        print(f"  bare smtplib loop, one connection, no database: {bare_rate(args.messages, port):7.0f} mails/s")
        for batch in [int(b) for b in args.batches.split(",")]:
            rate, peak_mb = worker_rate(args.messages, batch, receiver, port, env)
            peak = f"{peak_mb:.1f} MB" if peak_mb else "unknown"
            print(f"  closeloop worker --batch {batch:<3}                    : {rate:7.0f} mails/s, peak RSS {peak}")


if __name__ == "__main__":
    main()
