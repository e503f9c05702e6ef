"""The live record of a held meeting: sign-in, notes by department, disagreements, decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.org.models import Department
from closeloop.record.choices import Presence, RecordState, ResolutionPath


class MeetingRecord(models.Model):
    """The record of one meeting: opened when the recorder starts, closed after the loop check."""

    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.CASCADE, related_name="record")
    state = models.CharField(_("state"), max_length=10, choices=RecordState.choices, default=RecordState.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    # Bumped on every change so open pages can poll cheaply ("has anything changed since N?").
    revision = models.PositiveIntegerField(default=1)
    # {section key: revision of its last change}, so a poll re-renders only the sections that moved.
    section_revisions = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("meeting record")
        verbose_name_plural = _("meeting records")

    def __str__(self):
        return str(self.meeting)


class Attendance(models.Model):
    """Sign-in: present, absent with a reason, or a substitute (代参会) attending instead."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"),
    )
    presence = models.CharField(_("presence"), max_length=12, choices=Presence.choices, default=Presence.PRESENT)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("substitute"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["record", "person"], name="attendance_unique")]

    def __str__(self):
        return f"{self.person} {self.presence}"


class TopicRecord(models.Model):
    """Per-topic state of the live record: the timer, and why a decide topic reached no decision."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="topic_records")
    topic = models.OneToOneField("meetings.Topic", on_delete=models.CASCADE, related_name="record")
    started_at = models.DateTimeField(null=True, blank=True)
    elapsed_seconds = models.PositiveIntegerField(default=0)
    no_decision_reason = models.TextField(_("why no decision"), blank=True)

    def __str__(self):
        return str(self.topic)


class Note(models.Model):
    """A department's viewpoint on a topic (各部门观点)."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="notes")
    topic = models.ForeignKey("meetings.Topic", on_delete=models.CASCADE, related_name="notes")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("department"),
    )
    text = models.TextField(_("viewpoint"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text[:60]


class Disagreement(models.Model):
    """A point the parties did not agree on, and the path to resolve it."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="disagreements")
    topic = models.ForeignKey("meetings.Topic", on_delete=models.CASCADE, related_name="disagreements")
    subject = models.TextField(_("point of disagreement"))
    parties = models.CharField(_("parties"), max_length=300, blank=True)
    positions = models.TextField(_("positions"), blank=True)
    path = models.CharField(_("resolution path"), max_length=10, choices=ResolutionPath.choices, blank=True)
    escalate_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("escalate to"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("who brings the data / follows up"),
    )
    data_needed = models.TextField(_("data needed"), blank=True)
    due = models.DateField(_("by when"), null=True, blank=True)
    action_item = models.ForeignKey(
        "actions.ActionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.subject[:60]


class Decision(models.Model):
    """A decision confirmed in the meeting (决议事项)."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="decisions")
    topic = models.ForeignKey("meetings.Topic", on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("decided by"),
    )
    no_objection = models.BooleanField(_("confirmed with no objection"), default=False)
    no_action_needed = models.BooleanField(_("no action needed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text[:60]
