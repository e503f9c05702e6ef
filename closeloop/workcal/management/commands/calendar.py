"""`closeloop calendar import FILE [--year Y] [--replace]` and `closeloop calendar show YEAR`."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from closeloop.org.selectors import organisation_default
from closeloop.workcal.imports import check_year
from closeloop.workcal.selectors import calendar_for, calendar_year_view
from closeloop.workcal.services import calendar_file_import

# One mark after each day number in `show`: a legend is printed under the table.
MARK_OFF, MARK_ADJUSTED, MARK_UNKNOWN = "*", "+", "?"


def _mark(day):
    if not day.known:
        return MARK_UNKNOWN
    if day.adjusted:
        return MARK_ADJUSTED
    if not day.working and (not day.weekend or day.name):
        return MARK_OFF
    return " "


def _year(text):
    try:
        return check_year(text)
    except ValueError as exc:
        raise CommandError(_("year: %(error)s") % {"error": exc}) from None


class Command(BaseCommand):
    help = _("Import a year of holidays and adjusted working days (CSV or .ics), or show a year.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,show}")
        imp = actions.add_parser("import", help=_("import a year from a CSV or .ics file"))
        imp.add_argument("file", metavar="FILE", help=_("CSV rows date,kind,name (kind: holiday/workday or 休/班), "
                                                       "or an .ics file"))
        imp.add_argument("--year", help=_("the year to import; other years in an .ics file are left out"))
        imp.add_argument("--replace", action="store_true",
                         help=_("delete the year's existing days first (otherwise they are kept unless the file "
                                "gives the same date)"))
        show = actions.add_parser("show", help=_("print a year month by month"))
        show.add_argument("year", metavar="YEAR")

    def handle(self, *args, action, **options):
        if action == "import":
            return self.import_file(options["file"], options.get("year"), options.get("replace", False))
        return self.show(_year(options["year"]))

    def import_file(self, file, year, replace):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            message = _("file: cannot read %(path)s: %(error)s") % {"path": file, "error": exc.strerror}
            raise CommandError(message) from None
        try:
            outcome = calendar_file_import(actor=None, organisation=organisation_default(), filename=path.name,
                                           data=data, year=year, replace=replace)
        except ValidationError as exc:
            lines = [_("Nothing was imported.")]
            for field, messages in exc.message_dict.items():
                lines += [f"{field}: {m}" for m in messages]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(_("Imported %(year)s from %(source)s: holidays %(holidays)s, working days %(workdays)s.")
                          % {"year": outcome.year, "source": outcome.source, "holidays": outcome.holidays,
                             "workdays": outcome.workdays})
        if outcome.removed:
            self.stdout.write(_("%(count)s earlier entries of the year were removed.") % {"count": outcome.removed})

    def show(self, year):
        org = organisation_default()
        view = calendar_year_view(org, year, calendar_for(org))
        if not view.known:
            self.stderr.write(_("%(year)s is not in the working calendar: counted Monday–Friday.") % {"year": year})
        names = []
        for month in view.months:
            self.stdout.write(f"\n{year}-{month.month:02d}")
            self.stdout.write(" ".join(f"{d:>3} " for d in (_("Mo"), _("Tu"), _("We"), _("Th"), _("Fr"),
                                                               _("Sa"), _("Su"))))
            cells = ["    "] * month.blanks
            for day in month.days:
                cells.append(f"{day.date.day:>3}{_mark(day)}")
                if day.name or day.off or day.adjusted:
                    names.append(day)
            for week in range(0, len(cells), 7):
                self.stdout.write(" ".join(cells[week:week + 7]).rstrip())
        self.stdout.write("\n" + _("%(off)s holiday  %(adjusted)s working weekend  %(unknown)s year unknown") % {
            "off": MARK_OFF, "adjusted": MARK_ADJUSTED, "unknown": MARK_UNKNOWN})
        for day in names:
            kind = _("working day") if day.working else _("holiday")
            self.stdout.write(f"{day.date.isoformat()}  {kind}  {day.name}  ({day.source})")
