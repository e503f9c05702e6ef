"""`closeloop demo [--reset] [--if-empty]`: load the demo organisation 示例科技有限公司."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from closeloop.demo.organisation import ORG_NAME, PASSWORD, PEOPLE, DemoError, demo_load
from closeloop.org.models import Organisation


class Command(BaseCommand):
    help = _("Load the demo organisation with its people and meetings (skipped when it exists).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true",
            help=_("Rebuild the demo's meetings and restore the demo passwords."),
        )
        parser.add_argument(
            "--if-empty", action="store_true",
            help=_("Load only when the database has no organisation at all (used by `make run`)."),
        )

    def handle(self, *args, reset=False, if_empty=False, **options):
        if if_empty and not reset and Organisation.objects.exists():
            self.stdout.write(_("An organisation exists already; the demo was not loaded."))
            return
        try:
            org = demo_load(reset=reset)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if org is None:
            self.stdout.write(
                _("The demo organisation %(org)s exists already; use --reset to rebuild it.") % {"org": ORG_NAME}
            )
            return
        self.stdout.write(self.style.SUCCESS(_("Loaded the demo organisation %(org)s.") % {"org": ORG_NAME}))
        self.stdout.write(_("Log in with one of these usernames and the password %(pw)s:") % {"pw": PASSWORD})
        for username, name, dept, title, _role, _lang in PEOPLE:
            self.stdout.write(f"  {username:<16} {name} · {dept} · {title}")
