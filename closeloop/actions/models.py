"""Action items: who does what by when, and their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.org.models import Department, Organisation, Project

from .choices import EventKind, ItemStatus


class ActionItem(models.Model):
    """A task agreed in a meeting (or imported), owned by one person, due on a working day."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("meeting"),
    )
    topic = models.ForeignKey(
        "meetings.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("topic"),
    )
    decision = models.ForeignKey(
        "record.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("decision"),
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("project"),
    )
    task = models.TextField(_("task"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="action_items",
        verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("owner's department"),
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="collaborations", verbose_name=_("collaborators"),
    )
    deliverable = models.TextField(_("deliverable / acceptance standard"), blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    original_due = models.DateField(_("original due date"), null=True, blank=True)
    support_needed = models.TextField(_("support needed"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    owner_confirmed = models.BooleanField(_("confirmed by the owner"), default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self):
        return self.task[:80]


class ActionItemEvent(models.Model):
    """One entry of an item's history: a status change, progress, a delay with its reason and new date."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
    )
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    old_due = models.DateField(null=True, blank=True)
    new_due = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.item_id} {self.kind}"
