"""Minutes: one row per version; an approved version never changes (the database refuses it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.minutes.choices import MinutesState
from closeloop.org.models import Department


class Minutes(models.Model):
    """One version of a meeting's minutes, in the seed 001 template's sections."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=12, choices=MinutesState.choices, default=MinutesState.DRAFT)
    # {section key: text} for the keys in choices.SECTIONS. Frozen once approved_at is set.
    content = models.JSONField(_("content"), default=dict)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    due_at = models.DateTimeField(_("draft due"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    distributed_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock for the draft editor.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_number_unique"),
        ]

    def __str__(self):
        return f"{self.meeting} v{self.number}"

    @property
    def is_frozen(self):
        return self.approved_at is not None


class SignOff(models.Model):
    """A participating department's head signing off approved minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="signoffs")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    head = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    token = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["minutes", "department"], name="signoff_unique"),
        ]

    def __str__(self):
        return f"{self.minutes} {self.department}"
