"""`closeloop directory sync [--dry-run]`: bring people, departments and heads in line with LDAP."""

from django.core.management.base import BaseCommand, CommandError

from closeloop.directory.describe import describe
from closeloop.directory.services import directory_sync


class Command(BaseCommand):
    help = "Synchronise people, departments and department heads from the LDAP directory."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sync = sub.add_parser("sync", help="read the directory and apply (or with --dry-run, print) the changes")
        sync.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")

    def handle(self, *args, action, dry_run=False, **options):
        run = directory_sync(dry_run=dry_run)
        if not run.ok:
            raise CommandError(f"directory sync failed: {run.error}")
        for change in run.changes:
            self.stdout.write(describe(change))
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{run.people_seen} people in the directory; {verb} {len(run.changes)} things.")
