"""The scenario outputs of seed 003 §一: the columns a scenario adds to action items, and the output issued with
the minutes. The output's rows are the meeting's action items themselves, read live."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.outputs.choices import OutputKind


class ItemColumns(models.Model):
    """The columns of one action item that only its meeting's scenario asks for (root cause, priority, …)."""

    item = models.OneToOneField(
        "actions.ActionItem", on_delete=models.CASCADE, primary_key=True, related_name="scenario_columns",
    )
    # Problem analysis (问题整改清单): the item is the corrective action.
    problem = models.TextField(_("problem"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    verification = models.TextField(_("verification standard"), blank=True)
    # Kickoff (分工与里程碑): the item is a milestone when named.
    milestone = models.CharField(_("milestone"), max_length=200, blank=True)
    # Resource review (资源分配确认表): the request compared, and what was allocated to it.
    requested_by = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("requesting department"),
    )
    need = models.TextField(_("request"), blank=True)
    value = models.TextField(_("value"), blank=True)
    resources = models.TextField(_("resources needed"), blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    allocation = models.TextField(_("allocation decided"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # Retrospective / phase review (下阶段行动计划).
    goal = models.TextField(_("next phase goal"), blank=True)
    adjustment = models.TextField(_("adjustment decided"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic lock: a save from a stale form is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("scenario columns")
        verbose_name_plural = _("scenario columns")

    def __str__(self):
        return f"{self.item_id}"


class Output(models.Model):
    """The written output issued with one version of the minutes: when it was generated and sent."""

    minutes = models.OneToOneField("minutes.Minutes", on_delete=models.CASCADE, related_name="output")
    kind = models.CharField(_("kind"), max_length=30, choices=OutputKind.choices)
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scenario output")
        verbose_name_plural = _("scenario outputs")

    def __str__(self):
        return f"{self.minutes} {self.kind}"
