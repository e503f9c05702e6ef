"""`closeloop worker`: deliver the outbox until stopped (SIGTERM/SIGINT), sleeping when idle."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from closeloop.notify.worker import handle_one

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Deliver queued notifications (email with calendar invites) from the outbox."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Deliver what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds to sleep when idle (default 2).")

    def handle(self, *args, once=False, interval=2.0, **options):
        if interval <= 0:
            interval = 0.1
        stop = threading.Event()

        def on_signal(signum, frame):
            self.stdout.write("Stopping after the current message…")
            stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        handled = 0
        try:
            while not stop.is_set():
                if not connection.in_atomic_block:  # (tests run inside one)
                    close_old_connections()  # honours CONN_MAX_AGE and recovers after a database restart
                try:
                    if handle_one():
                        handled += 1
                        continue
                except DatabaseError:
                    log.exception("Database error in the worker; retrying after %s s", interval)
                    if once:
                        raise
                if once:
                    break
                stop.wait(interval)  # wakes at once on a signal
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Delivered or tried {handled} message(s).")
