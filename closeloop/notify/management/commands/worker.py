"""`closeloop worker`: deliver the outbox until stopped (SIGTERM/SIGINT), sleeping when idle, and run the
follow-up scans (reminders, escalations, late minutes, digests) when they fall due, between deliveries."""

import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from closeloop.notify.scheduler import run_due_scans
from closeloop.notify.worker import handle_one

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Deliver queued notifications from the outbox and run the scheduled follow-up scans."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run due scans, deliver what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds to sleep when idle (default 2).")
        parser.add_argument("--no-scans", action="store_true", help="Only deliver; leave the scans to other workers.")
        parser.add_argument("--scan-check", type=float, default=30.0,
                            help="Seconds between looks at which scans are due (default 30).")

    def handle(self, *args, once=False, interval=2.0, no_scans=False, scan_check=30.0, **options):
        if interval <= 0:
            interval = 0.1
        stop = threading.Event()

        def on_signal(signum, frame):
            self.stdout.write("Stopping after the current message…")
            stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        handled = scanned = 0
        next_scan_check = 0.0  # monotonic clock; 0 = look at once
        try:
            while not stop.is_set():
                try:
                    if not no_scans and time.monotonic() >= next_scan_check:
                        next_scan_check = time.monotonic() + scan_check
                        scanned += self._run_scans()
                    if handle_one():
                        handled += 1
                        continue
                except DatabaseError:
                    log.exception("Database error in the worker; retrying after %s s", interval)
                    if once:
                        raise
                if once:
                    break
                # Between batches, not between messages: with SQLite (CONN_MAX_AGE 0) this reconnects, which
                # costs more than a delivery. It honours CONN_MAX_AGE and recovers after a database restart.
                if not connection.in_atomic_block:  # (tests run inside one)
                    close_old_connections()
                stop.wait(interval)  # wakes at once on a signal
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Delivered or tried {handled} message(s).")
        if scanned:
            self.stdout.write(f"Follow-up scans queued {scanned} notification(s).")

    def _run_scans(self):
        done = run_due_scans()
        for name, count in done.items():
            log.info("Follow-up scan %s queued %s notification(s)", name, count)
        return sum(done.values())
