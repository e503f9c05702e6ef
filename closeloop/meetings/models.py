"""Meetings as planned: the meeting, its topics, participants and pre-read materials."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from closeloop.meetings.choices import MeetingState, MeetingType, ParticipantRole, Response, TopicKind
from closeloop.org.models import Organisation, Project

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]


class Series(models.Model):
    """A recurring meeting, such as the weekly follow-up of a project."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="series")
    name = models.CharField(_("name"), max_length=200)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL,
                                verbose_name=_("project"))
    # The recurrence: every `interval_weeks` weeks on `weekday`, moved to the next working day when that is off.
    meeting_type = models.CharField(_("type"), max_length=20, choices=MeetingType.choices,
                                    default=MeetingType.WEEKLY_SYNC)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS, default=0)
    interval_weeks = models.PositiveSmallIntegerField(_("every (weeks)"), default=1)
    start_time = models.TimeField(_("start time"), default=dt.time(10, 0))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("host"))
    recorder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("recorder"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                     verbose_name=_("default participants"))
    member_roles = models.CharField(_("their roles"), max_length=200, blank=True, default="executor")
    default_topics = models.TextField(
        _("default topics"), blank=True,
        help_text=_("One per line, optionally with its minutes after a bar: “Review of open items | 10”."))

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    """A cross-department meeting, from planning to its notice."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="meetings")
    type = models.CharField(_("type"), max_length=20, choices=MeetingType.choices)
    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings",
        verbose_name=_("project"),
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings",
        verbose_name=_("series"),
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Only participants and administrators can see a confidential meeting."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: every save bumps it; a save from a stale copy is refused.
    version = models.PositiveIntegerField(default=1)
    # iCalendar: UID stays, SEQUENCE grows with each notice update.
    ical_uid = models.CharField(max_length=100, unique=True, editable=False)
    notice_sequence = models.PositiveIntegerField(default=0)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    # The meeting's version when the last notice went out; a later change makes that notice outdated.
    notice_version = models.PositiveIntegerField(default=0)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # True once any version of the minutes is approved. Kept by database triggers (minutes 0005), never by code,
    # so the archive counts its meetings along an index instead of testing each meeting for approved minutes.
    archived = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="meeting_end_after_start"),
        ]
        # The lists' order (latest first) read from an index: a page costs the same whatever the number of meetings.
        indexes = [models.Index(fields=["organisation", "start", "id"], name="meeting_org_start"),
                   # The meetings not yet over, which the list shows first (meetings.selectors.UpcomingFirst).
                   models.Index(fields=["organisation", "end"], name="meeting_org_end"),
                   # The archive: a year's archived meetings are one range of this index.
                   # A project's meetings, newest first (an equality more than the organisation's indexes, so
                   # SQLite's planner takes it without statistics).
                   models.Index(fields=["organisation", "project", "start"], name="meeting_org_project_start"),
                   # (partial: it holds only archived meetings, and matches the bare `archived` term Django writes)
                   models.Index(fields=["organisation", "start"], condition=models.Q(archived=True),
                                name="meeting_org_archived_start")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.ical_uid:
            self.ical_uid = f"{secrets.token_hex(16)}@closeloop"
        super().save(*args, **kwargs)

    @property
    def duration_minutes(self):
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def notice_outdated(self):
        """The notice went out, and the meeting changed since (topics, participants, materials…)."""
        return self.state == MeetingState.NOTICED and self.version > self.notice_version


class Topic(models.Model):
    """One agenda topic: who presents it, how long, and the outcome it must reach (必达结论)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("presenter"),
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    presentation_minutes = models.PositiveSmallIntegerField(_("presentation minutes"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=TopicKind.choices, default=TopicKind.DISCUSS)
    required_outcome = models.TextField(_("required outcome"), blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    materials_note = models.TextField(_("materials"), blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class Participant(models.Model):
    """A person invited to a meeting with one or more roles, and their answer to the notice."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations",
        verbose_name=_("person"),
    )
    # Comma-separated ParticipantRole values; read through `role_list`.
    roles = models.CharField(_("roles"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)
    response = models.CharField(
        _("response"), max_length=12, choices=Response.choices, default=Response.PENDING,
    )
    response_reason = models.TextField(_("reason"), blank=True)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("substitute"),
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    # The substitute's own answer (they may not be able to come either); back to pending with a new substitute.
    substitute_response = models.CharField(
        _("substitute's answer"), max_length=12, choices=Response.choices, default=Response.PENDING,
    )
    substitute_reason = models.TextField(_("substitute's reason"), blank=True)
    substitute_responded_at = models.DateTimeField(null=True, blank=True)
    # Secret for the answer link in the notice email.
    token = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="participant_unique"),
        ]
        # Who stands in for whom, for visibility: only the few rows with a substitute, so that the database
        # sees the index as selective (over an index of mostly NULLs SQLite's statistics choose a full scan).
        indexes = [models.Index(fields=["substitute"], condition=models.Q(substitute__isnull=False),
                                name="participant_substitute")]

    def __str__(self):
        return f"{self.person} @ {self.meeting}"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    @property
    def role_list(self):
        return [r for r in self.roles.split(",") if r]

    @role_list.setter
    def role_list(self, values):
        valid = set(ParticipantRole.values)
        self.roles = ",".join(v for v in ParticipantRole.values if v in set(values) & valid)

    def has_role(self, role):
        return role in self.role_list

    def role_labels(self):
        return [ParticipantRole(r).label for r in self.role_list]

    def roles_text(self):
        """The role labels joined the way the active language writes a list ("议题主讲人、执行人"), or '—'."""
        return pgettext("list separator", ", ").join(str(label) for label in self.role_labels()) or "—"


def material_path(instance, filename):
    return f"materials/{instance.meeting_id}/{secrets.token_hex(8)}/{filename}"


class Material(models.Model):
    """A pre-read file for a meeting, optionally tied to one topic."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="materials",
        verbose_name=_("topic"),
    )
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["id"]

    def __str__(self):
        return self.name
