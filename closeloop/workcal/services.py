"""Writes to the working calendar: one day's override, a toggle, a whole year imported from a file.

Each is one transaction, refuses anyone but an administrator and writes the audit row. `actor=None`
means the command line, run by whoever operates the server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.org.selectors import organisation_default
from closeloop.workcal.choices import DayKind
from closeloop.workcal.imports import NAME_MAX, CalendarFileError, check_year, parse_file
from closeloop.workcal.models import CalendarDay, CalendarYear
from closeloop.workcal.rules import WorkingCalendar
from closeloop.workcal.selectors import calendar_for

# A year of holidays is a few kilobytes; anything far larger is the wrong file.
IMPORT_MAX_BYTES = getattr(settings, "CALENDAR_IMPORT_MAX_BYTES", 2 * 1024 * 1024)


@dataclass(frozen=True)
class ImportOutcome:
    year: int
    source: str
    holidays: int
    workdays: int
    removed: int  # days of the year deleted first (with replace)


def organisation_of(person):
    """The person's organisation; the default one for a superuser who belongs to none."""
    if person is not None and getattr(person, "organisation_id", None):
        return person.organisation
    return organisation_default()


def person_can_edit_calendar(person):
    return person is not None and person.is_authenticated and person.is_org_admin


def _require_admin(actor):
    if actor is not None and not person_can_edit_calendar(actor):
        raise PermissionDenied(_("Only administrators can change the working calendar."))


def _clean_day(date, kind, name):
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise ValidationError({"date": _("Give a date as YYYY-MM-DD.")})
    if kind not in DayKind.values:
        raise ValidationError({"kind": _("Choose holiday or workday.")})
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("At most %(max)s characters.") % {"max": NAME_MAX}})
    return name


@transaction.atomic
def calendar_day_set(*, actor, organisation, date, kind, name=""):
    """Make one date a working day or a holiday for the organisation, whatever the sources say."""
    _require_admin(actor)
    name = _clean_day(date, kind, name)
    day = CalendarDay.objects.select_for_update().filter(organisation=organisation, date=date).first()
    before = snapshot(day)
    if day is None:
        day = CalendarDay(organisation=organisation, date=date)
    day.kind, day.name, day.imported = kind, name, False
    day.save()
    audit_record(actor=actor, action="calendar.day_set", obj=day, before=before, after=snapshot(day))
    return day


@transaction.atomic
def calendar_day_clear(*, actor, organisation, date):
    """Remove the organisation's entry for a date, so the sources decide again. True when there was one."""
    _require_admin(actor)
    if not isinstance(date, dt.date):
        raise ValidationError({"date": _("Give a date as YYYY-MM-DD.")})
    day = CalendarDay.objects.select_for_update().filter(organisation=organisation, date=date).first()
    if day is None:
        return False
    audit_record(actor=actor, action="calendar.day_clear", obj=day, before=snapshot(day))
    day.delete()
    return True


def calendar_day_toggle(*, actor, organisation, date, name=""):
    """Flip a date between working day and day off, keeping only the entries that differ from the sources."""
    _require_admin(actor)
    with transaction.atomic():
        calendar = calendar_for(organisation)
        current = calendar.day(date)
        others = {d: v for d, v in calendar.overrides.items() if d != date}
        underneath = WorkingCalendar(calendar.country, others, calendar.known_years).day(date)
        if underneath.working != current.working:
            calendar_day_clear(actor=actor, organisation=organisation, date=date)
        else:
            kind = DayKind.HOLIDAY if current.working else DayKind.WORKDAY
            # Keep the day's name ("National Day") so the switched day still says what it belongs to.
            calendar_day_set(actor=actor, organisation=organisation, date=date, kind=kind, name=name or current.name)
        return calendar_for(organisation).day(date)


@transaction.atomic
def calendar_year_import(*, actor, organisation, calendar_file, source, replace=False):
    """Store a parsed year (see calendar_import) and mark the year known. With replace, its old days go first."""
    _require_admin(actor)
    year = calendar_file.year
    existing = CalendarDay.objects.filter(organisation=organisation, date__year=year)
    before = {"days": existing.count(), "year_source": (
        CalendarYear.objects.filter(organisation=organisation, year=year).values_list("source", flat=True).first())}
    removed = existing.delete()[0] if replace else 0
    CalendarDay.objects.bulk_create(
        [CalendarDay(organisation=organisation, date=d.date, kind=d.kind, name=d.name, imported=True)
         for d in calendar_file.days],
        update_conflicts=True, unique_fields=["organisation", "date"], update_fields=["kind", "name", "imported"],
    )
    record, _created = CalendarYear.objects.update_or_create(
        organisation=organisation, year=year, defaults={"source": (source or "")[:200]})
    outcome = ImportOutcome(year, record.source, calendar_file.holidays, calendar_file.workdays, removed)
    audit_record(actor=actor, action="calendar.import", obj=record, before=before, after={
        "year": year, "source": record.source, "holidays": outcome.holidays, "workdays": outcome.workdays,
        "replace": bool(replace), "removed": removed,
    })
    return outcome


def calendar_file_import(*, actor, organisation, filename, data, year=None, replace=False):
    """Read a CSV/.ics file and import it; every problem comes back as ValidationError on "file" or "year"."""
    _require_admin(actor)
    if len(data) > IMPORT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than %(max)s kB.") % {"max": IMPORT_MAX_BYTES // 1024}})
    if year not in (None, ""):
        try:
            year = check_year(year)
        except ValueError as exc:
            raise ValidationError({"year": str(exc)}) from None
    else:
        year = None
    try:
        calendar_file = parse_file(filename, data, year)
    except CalendarFileError as exc:
        raise ValidationError({"file": [str(e) for e in exc.errors]}) from None
    return calendar_year_import(actor=actor, organisation=organisation, calendar_file=calendar_file,
                                source=filename, replace=replace)
