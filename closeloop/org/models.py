"""Organisation: departments, people, projects, policy, API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.org.choices import Language, Role, RuleMode


class Organisation(models.Model):
    """The company running this Closeloop; holds its time zone and calendar country."""

    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    country = models.CharField(
        _("calendar country"), max_length=2, default="CN",
        help_text=_("CN uses China's statutory holidays and adjusted working days."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Department(models.Model):
    """A department in the organisation's tree, with its head."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent department"),
    )
    head = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="headed_departments",
        verbose_name=_("head"),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_name_unique"),
        ]

    def __str__(self):
        return self.name


class Person(AbstractUser):
    """A person who signs in: their department, title, language and time zone."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people",
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
        verbose_name=_("department"),
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS,
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_org_admin(self):
        return self.is_superuser or self.role == Role.ADMIN


class Project(models.Model):
    """A project that meetings, minutes and action items are archived under."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects",
        verbose_name=_("lead department"),
    )
    lead = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_projects",
        verbose_name=_("project lead"),
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("participating departments"),
    )
    members = models.ManyToManyField(
        Person, blank=True, related_name="projects", verbose_name=_("members"),
        help_text=_("Invited together to the project's meetings."),
    )
    version = models.PositiveIntegerField(default=1)  # a change from a stale copy is refused (409)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]

    def __str__(self):
        return self.name


DEFAULT_VAGUE_WORDS = "\n".join([
    "尽快", "研究一下", "后续讨论", "再看看", "待定", "再说", "适当", "抓紧", "酌情", "有空",
    "ASAP", "look into", "follow up", "TBD", "as soon as possible", "when possible", "at some point",
])


def _mode_field(label):
    return models.CharField(label, max_length=5, choices=RuleMode.choices, default=RuleMode.WARN)


class Policy(models.Model):
    """The organisation's rules; the defaults are DESIGN.md's policy table. Each rule warns or blocks."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="policy")
    notice_lead_workdays = models.PositiveSmallIntegerField(_("notice lead time (working days)"), default=3)
    notice_lead_urgent_workdays = models.PositiveSmallIntegerField(
        _("notice lead time for urgent meetings (working days)"), default=1)
    notice_lead_mode = _mode_field(_("notice lead time rule"))
    preread_lead_workdays = models.PositiveSmallIntegerField(
        _("pre-read materials sent before (working days)"), default=1)
    preread_max_pages = models.PositiveSmallIntegerField(_("pre-read pages advised at most"), default=5)
    preread_mode = _mode_field(_("pre-read rule"))
    topics_min = models.PositiveSmallIntegerField(_("topics per meeting, at least"), default=3)
    topics_max = models.PositiveSmallIntegerField(_("topics per meeting, at most"), default=5)
    topics_mode = _mode_field(_("topic count rule"))
    topic_max_minutes = models.PositiveSmallIntegerField(_("one topic, minutes at most"), default=30)
    presentation_max_minutes = models.PositiveSmallIntegerField(
        _("presentation, minutes at most"), default=10)
    topic_minutes_mode = _mode_field(_("topic length rule"))
    meeting_max_minutes = models.PositiveSmallIntegerField(_("whole meeting, minutes at most"), default=90)
    meeting_minutes_mode = _mode_field(_("meeting length rule"))
    buffer_min_minutes = models.PositiveSmallIntegerField(_("buffer, minutes at least"), default=10)
    buffer_max_minutes = models.PositiveSmallIntegerField(_("buffer, minutes at most"), default=15)
    buffer_mode = _mode_field(_("buffer rule"))
    roles_mode = models.CharField(
        _("host, recorder and decision-maker rule"), max_length=5, choices=RuleMode.choices,
        default=RuleMode.BLOCK)
    minutes_draft_hours = models.PositiveSmallIntegerField(_("minutes drafted within (hours)"), default=24)
    minutes_distribute_hours = models.PositiveSmallIntegerField(
        _("minutes distributed within (hours after approval)"), default=1)
    minutes_mode = _mode_field(_("minutes deadline rule"))
    request_answer_workdays = models.PositiveSmallIntegerField(
        _("request answered within (working days)"), default=1)
    request_mode = _mode_field(_("request answer rule"))
    reminder_workdays = models.PositiveSmallIntegerField(_("reminder before due (working days)"), default=1)
    risk_warning_workdays = models.PositiveSmallIntegerField(
        _("risk warning at least (working days before due)"), default=1)
    risk_mode = _mode_field(_("risk warning rule"))
    disagreement_followup_hours = models.PositiveSmallIntegerField(
        _("disagreement data within (hours)"), default=24)
    disagreement_mode = _mode_field(_("disagreement follow-up rule"))
    retrospective_workdays = models.PositiveSmallIntegerField(
        _("retrospective within (working days after completion)"), default=5)
    retrospective_mode = _mode_field(_("retrospective rule"))
    followup_interval_days = models.PositiveSmallIntegerField(_("follow-up meeting every (days)"), default=7)
    followup_min_minutes = models.PositiveSmallIntegerField(_("follow-up meeting, minutes at least"), default=15)
    followup_max_minutes = models.PositiveSmallIntegerField(_("follow-up meeting, minutes at most"), default=30)
    followup_mode = _mode_field(_("follow-up meeting rule"))
    # Live record and minutes (issue: meeting day).
    vague_words = models.TextField(
        _("vague words in action items"), default=DEFAULT_VAGUE_WORDS,
        help_text=_("One per line; an action item containing one is flagged as not specific."),
    )
    smart_vague_mode = _mode_field(_("vague wording rule"))
    smart_missing_mode = models.CharField(
        _("missing owner, due date or deliverable rule"), max_length=5, choices=RuleMode.choices,
        default=RuleMode.BLOCK)
    smart_due_mode = _mode_field(_("due date rule (before the meeting or not a working day)"))
    smart_owner_mode = _mode_field(_("owner neither present nor informed rule"))
    close_loop_mode = _mode_field(_("closing the meeting with open points rule"))
    overdue_escalation_workdays = models.PositiveSmallIntegerField(
        _("escalate overdue items after (working days)"), default=1)
    outbox_max_attempts = models.PositiveSmallIntegerField(_("delivery attempts before giving up"), default=8)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self):
        return str(_("Policy of %(org)s") % {"org": self.organisation})


class ApiToken(models.Model):
    """A personal API token; only its hash is stored, the secret is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @staticmethod
    def hash(secret):
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def new_secret(cls):
        return "cl_" + secrets.token_urlsafe(32)
