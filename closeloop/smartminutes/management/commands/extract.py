"""`closeloop extract [--meeting-start ISO-DATETIME] [--org ORG] [FILE]`: one JSON object per line of notes."""

import datetime as dt
import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.smartminutes.rules import DueContext, extract
from closeloop.smartminutes.rules.directory import match_owner
from closeloop.workcal.rules import WorkingCalendar


def _start(text):
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(_("--meeting-start: “%(value)s” is not a date and time; write it as "
                             "2026-04-28T15:00:00+08:00.") % {"value": text}) from None
    return value


class Command(BaseCommand):
    requires_system_checks = []  # a filter over text; `closeloop check` is where checks run
    help = _("Read meeting notes (one item a line, from FILE or standard input) and print for each line a JSON "
             "object: kind, owner, task, due, vague, flags. Without --org: China's calendar and no directory.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", metavar="FILE", help=_("the notes; standard input when left out"))
        parser.add_argument("--meeting-start", dest="meeting_start", metavar="ISO-DATETIME",
                            help=_("when the meeting started (default: now); due phrases count from it"))
        parser.add_argument("--org", metavar="ORG",
                            help=_("an organisation's id or name: use its working calendar, vague words and "
                                   "directory (adds \"match\")"))

    def handle(self, *args, file=None, meeting_start=None, org=None, **options):
        start = _start(meeting_start) if meeting_start else timezone.now()
        setup = self._setup(org, start)
        lines = self._lines(file)
        out = self.stdout
        for line in lines:
            extraction = extract(line.rstrip("\r\n"), setup["context"], setup["vague_words"])
            data = extraction.as_json()
            if setup["directory"] is not None:
                match = match_owner(extraction.owner, setup["directory"])
                data["match"] = match.as_json() if match else None
            out.write(json.dumps(data, ensure_ascii=False))

    def _setup(self, org, start):
        if not org:
            from closeloop.smartminutes.selectors import local_start  # no database is touched without --org

            local = local_start(start, settings.TIME_ZONE)
            return {"context": DueContext(local, WorkingCalendar("CN")), "vague_words": (), "directory": None}
        from closeloop.smartminutes.selectors import extract_setup, organisation_by_ref

        organisation = organisation_by_ref(org)
        if organisation is None:
            raise CommandError(_("--org: no organisation “%(value)s”; give its id or its name.") % {"value": org})
        setup = extract_setup(organisation, start)
        return {"context": setup.context, "vague_words": setup.vague_words, "directory": setup.directory}

    def _lines(self, file):
        if not file or file == "-":
            return iter(sys.stdin.readline, "")
        try:
            handle = open(file, encoding="utf-8", errors="replace")  # noqa: SIM115  (read to the end below)
        except OSError as exc:
            raise CommandError(_("FILE: cannot read %(file)s (%(error)s).") % {"file": file,
                                                                               "error": exc.strerror}) from None
        return handle
