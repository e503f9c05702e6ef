"""`closeloop workdays 2026-09-30 +3`: the date N working days after (or before, with -N) a date."""

import argparse
import datetime as dt

from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils.translation import gettext as _

from closeloop.org.selectors import organisation_default
from closeloop.workcal.imports import parse_date
from closeloop.workcal.rules import WorkingCalendar
from closeloop.workcal.selectors import calendar_for


def _date(text):
    value = parse_date(text)
    if value is None or not text.strip()[:4].isdigit():
        raise argparse.ArgumentTypeError(_("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text})
    return value


def _count(text):
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a whole number of working days such as +3 or -2.") % {"value": text}) from None


def unknown_years_warning(calendar, start, result):
    """The stderr line for a result that depended on years no source knows, or ""."""
    if not result.assumed:
        return ""
    step = dt.timedelta(days=1 if result.date >= start else -1)
    years = calendar.unknown_years(start + step, result.date)
    if len(years) == 1:
        return _("%(year)s is not in the working calendar: counted Monday–Friday.") % {"year": years[0]}
    return _("%(years)s are not in the working calendar: counted Monday–Friday.") % {
        "years": ", ".join(str(y) for y in years) or _("Some years")}


class Command(BaseCommand):
    requires_system_checks = []  # a quick question; `closeloop check` is where checks run
    help = _("Print the date N working days after (+N) or before (-N) DATE, counted on the default "
             "organisation's working calendar.")

    def add_arguments(self, parser):
        # "-3" reads as a value, not an option: argparse allows that while no option of ours looks like a number.
        parser.add_argument("date", type=_date, metavar="DATE", help=_("the date to count from, YYYY-MM-DD"))
        parser.add_argument("n", type=_count, metavar="N", help=_("working days: +3 after, -3 before"))

    def handle(self, *args, date, n, **options):
        try:
            calendar = calendar_for(organisation_default())
        except DatabaseError:
            # Before `closeloop migrate` there are no overrides to read: the built-in calendar still answers.
            calendar = WorkingCalendar("CN")
            self.stderr.write(_("The database is not set up yet (run `closeloop migrate`): counted on China's "
                                "statutory calendar without your organisation's overrides."))
        result = calendar.add_working_days(date, n)
        warning = unknown_years_warning(calendar, date, result)
        if warning:
            self.stderr.write(warning)
        self.stdout.write(result.date.isoformat())
