"""The working calendar's stored facts: an organisation's day overrides and the years it declared complete."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.org.models import Organisation
from closeloop.workcal.choices import DayKind


class CalendarDay(models.Model):
    """An administrator's override or an imported day: this date is a working day or a holiday."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        db_table = "org_calendarday"
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="calendar_day_unique"),
        ]

    def __str__(self):
        return f"{self.date} {self.kind}"


class CalendarYear(models.Model):
    """A year the organisation declared complete (imported or edited), so it counts as known."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="calendar_years")
    year = models.PositiveIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        db_table = "org_calendaryear"
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="calendar_year_unique"),
        ]
