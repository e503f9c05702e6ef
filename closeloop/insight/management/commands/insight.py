"""`closeloop insight report [--month YYYY-MM] [--output FILE | --send]`: the management report from the command line.

Without --month, last month. --output writes the .docx; --send queues it to the management group (as the worker
does on the first working day of each month); with neither, the report is written to the current folder.
"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from closeloop.insight import dashboard, exports, notifications, rules
from closeloop.lib.apiutil import organisation_tz
from closeloop.org.models import Organisation


class Command(BaseCommand):
    help = "Write or send the monthly management report."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["report"])
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--organisation", type=int, help="Organisation id (default: the first)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--output", help="Where to write the .docx")
        group.add_argument("--send", action="store_true", help="Queue it to the management group")

    def handle(self, *args, action, month=None, organisation=None, output=None, send=False, **options):
        org = (Organisation.objects.filter(pk=organisation) if organisation else Organisation.objects.order_by("pk"))
        org = org.first()
        if org is None:
            raise CommandError("No such organisation." if organisation else "There is no organisation yet.")
        today = timezone.localtime(timezone.now(), organisation_tz(org)).date()
        if month:
            try:
                first = dt.datetime.strptime(month, "%Y-%m").date()
            except ValueError:
                raise CommandError(f"--month must look like 2026-02, not {month!r}.") from None
            period = rules.period_for(rules.MONTH, first)
        else:
            period = rules.previous_month(today)
        if send:
            queued = notifications.report_send(organisation=org, period=period, on_demand=True)
            self.stdout.write(f"Report {period.start} … {period.end}: {len(queued)} message(s) queued")
            return
        board = dashboard.build(None, period, organisation=org)
        path = Path(output or exports.report_filename(board))
        path.write_bytes(exports.report_docx(board, org))
        self.stdout.write(f"Report {period.start} … {period.end} written to {path}")
