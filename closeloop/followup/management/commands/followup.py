"""`closeloop followup [scan …] [--at ISO]`: run follow-up scans now (the worker runs them on its own).

Useful to see what a day would send: `closeloop followup reminders --at 2026-10-08T10:00`.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from closeloop.notify.scans import SCANS


class Command(BaseCommand):
    help = "Run follow-up scans (reminders, escalations, minutes_late, digests) at once."

    def add_arguments(self, parser):
        parser.add_argument("scans", nargs="*", help=f"Which scans (default: all): {', '.join(SCANS)}.")
        parser.add_argument("--at", help="Run as if it were this time (ISO 8601, local time if no offset).")

    def handle(self, *args, scans=(), at=None, **options):
        unknown = [name for name in scans if name not in SCANS]
        if unknown:
            raise CommandError(f"Unknown scan(s): {', '.join(unknown)}. Choose from: {', '.join(SCANS)}.")
        now = timezone.now()
        if at:
            try:
                now = dt.datetime.fromisoformat(at)
            except ValueError:
                raise CommandError(f"--at must be an ISO 8601 date and time, not {at!r}.") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        for name in scans or SCANS:
            count = SCANS[name](now=now)
            self.stdout.write(f"{name}: {count} message(s) queued")
