"""`closeloop worker`: deliver the outbox until stopped (SIGTERM/SIGINT), sleeping when idle, and run the
follow-up scans (reminders, escalations, late minutes, digests) when they fall due, between deliveries.

It writes a heartbeat every WORKER_HEARTBEAT_SECONDS (read by /healthz). While the database is unreachable it
backs off exponentially (`outage.Outage`): one log line per try, the full traceback once per outage. An unexpected
error in a step (a bug) does not stop it either: logged the same way (`outage.StepFailures`), the step is tried
again over fresh connections.
"""

import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from closeloop.notify.heartbeat import heartbeat_beat, heartbeat_prune, worker_name
from closeloop.notify.outage import Outage, StepFailures
from closeloop.notify.scheduler import run_due_scans
from closeloop.notify.worker import close_connections, close_kept, handle_batch

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Deliver queued notifications from the outbox and run the scheduled follow-up scans."
    # The system checks import every URLconf, view and API schema (≈ 40 MB the worker never uses); the web
    # process and `closeloop check` run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run due scans, deliver what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds to sleep when idle (default 2).")
        parser.add_argument("--no-scans", action="store_true", help="Only deliver; leave the scans to other workers.")
        parser.add_argument("--batch", type=int, default=20,
                            help="Mail messages claimed at once and sent over one SMTP connection (default 20).")
        parser.add_argument("--scan-check", type=float, default=30.0,
                            help="Seconds between looks at which scans are due (default 30).")

    def handle(self, *args, once=False, interval=2.0, no_scans=False, scan_check=30.0, batch=20, **options):
        if interval <= 0:
            interval = 0.1
        stop = threading.Event()

        def on_signal(signum, frame):
            self.stdout.write("Stopping after the current message…")
            stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        handled = scanned = 0
        next_scan_check = next_beat = 0.0  # monotonic clock; 0 = at once
        name = worker_name()
        outage = Outage(base=max(interval, 0.5), cap=settings.WORKER_DB_RETRY_MAX_SECONDS)
        failing = StepFailures(base=max(interval, 0.5), cap=settings.WORKER_DB_RETRY_MAX_SECONDS)
        kept = {}  # the SMTP connection, open from one batch to the next while mail keeps coming
        try:
            while not stop.is_set():
                try:
                    if time.monotonic() >= next_beat:
                        self._beat(name, handled, first=next_beat == 0.0)
                        next_beat = time.monotonic() + settings.WORKER_HEARTBEAT_SECONDS
                    if not no_scans and time.monotonic() >= next_scan_check:
                        next_scan_check = time.monotonic() + scan_check
                        scanned += self._run_scans()
                    done = handle_batch(size=max(batch, 1), stopping=stop.is_set, kept=kept)
                    outage.recovered()
                    failing.recovered()
                    if done:
                        handled += done
                        continue
                    close_kept(kept)
                except Exception as exc:  # the database's outage, or a bug in a step: back off, then go on
                    close_kept(kept)
                    if once:
                        raise
                    database = isinstance(exc, DatabaseError)
                    if not database:
                        close_connections()  # the worker's own connections too, whatever state the error left
                    self._drop_connection()
                    stop.wait((outage if database else failing).failed(exc))  # wakes at once on a signal
                    continue
                if once:
                    break
                # Between batches, not between messages: with SQLite (CONN_MAX_AGE 0) this reconnects, which
                # costs more than a delivery. It honours CONN_MAX_AGE and recovers after a database restart.
                if not connection.in_atomic_block:  # (tests run inside one)
                    close_old_connections()
                stop.wait(interval)  # wakes at once on a signal
        finally:
            close_kept(kept)
            close_connections()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Delivered or tried {handled} message(s).")
        if scanned:
            self.stdout.write(f"Follow-up scans queued {scanned} notification(s).")

    def _beat(self, name, handled, first):
        now = timezone.now()
        heartbeat_beat(name=name, now=now, handled=handled)
        if first:
            heartbeat_prune(now=now)

    def _drop_connection(self):
        """After a database error, the next try opens a fresh connection."""
        if connection.in_atomic_block:  # (tests run inside one)
            return
        try:
            connection.close()
        except DatabaseError:
            pass

    def _run_scans(self):
        done = run_due_scans()
        for name, count in done.items():
            log.info("Follow-up scan %s queued %s notification(s)", name, count)
        return sum(done.values())
