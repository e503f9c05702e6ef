"""Reads for the organisation app."""

from .calendar import WorkingCalendar
from .choices import DayKind
from .models import CalendarDay, CalendarYear, Organisation, Policy


def organisation_default():
    """The organisation of a single-organisation install (created on first use)."""
    org = Organisation.objects.order_by("id").first()
    if org is None:
        org = Organisation.objects.create(name="Closeloop")
    return org


def policy_for(organisation):
    policy, _ = Policy.objects.get_or_create(organisation=organisation)
    return policy


def calendar_for(organisation):
    """The organisation's working calendar with its overrides and imported years loaded."""
    overrides = {
        d.date: (d.kind == DayKind.WORKDAY, d.name, "imported" if d.imported else "override")
        for d in CalendarDay.objects.filter(organisation=organisation)
    }
    years = CalendarYear.objects.filter(organisation=organisation).values_list("year", flat=True)
    return WorkingCalendar(organisation.country, overrides, set(years))
