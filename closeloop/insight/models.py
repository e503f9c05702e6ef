"""Insight's own settings: what an hour of a title costs, and who receives the monthly report.

Everything else insight shows is read from the other apps; it never writes their tables.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.org.models import Organisation


class HourlyCost(models.Model):
    """What one hour of a person with this title (or grade) costs the organisation, for meeting cost."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="hourly_costs")
    title = models.CharField(
        _("title or grade"), max_length=100,
        help_text=_("As written in people's title field; an empty title sets the rate for people without one."),
        blank=True,
    )
    hourly_cost = models.DecimalField(_("cost per hour"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("hourly cost")
        verbose_name_plural = _("hourly costs")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="insight_hourly_cost_unique"),
            models.CheckConstraint(condition=models.Q(hourly_cost__gte=0), name="insight_hourly_cost_positive"),
        ]

    def __str__(self):
        return f"{self.title or '—'}: {self.hourly_cost}"


class InsightSettings(models.Model):
    """Per organisation: how long heads have to sign off minutes, and the management group of the report."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="insight_settings")
    signoff_workdays = models.PositiveSmallIntegerField(
        _("minutes signed off within (working days after distribution)"), default=2)
    currency = models.CharField(_("currency"), max_length=8, default="CNY")
    management = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("management group"),
        help_text=_("Who receives the monthly management report; when empty, the administrators."),
    )

    class Meta:
        verbose_name = _("insight settings")
        verbose_name_plural = _("insight settings")

    def __str__(self):
        return str(self.organisation)
