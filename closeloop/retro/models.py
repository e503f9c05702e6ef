"""Retrospectives of completed requests (seed 002 stage 5) and the progress sync of running ones (stage 4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.org.models import Department, Organisation

from .choices import Cadence, ChangeAnswer, ChangeKind, ChangeState, GoalResult, RetroState


class RetroPolicy(models.Model):
    """The organisation's rules for progress sync and late retrospectives; the retrospective deadline itself
    (`retrospective_workdays`, `retrospective_mode`) stays on the organisation's policy."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="retro_policy")
    progress_cadence = models.CharField(_("progress updates expected"), max_length=6, choices=Cadence.choices,
                                        default=Cadence.WEEKLY)
    escalate_after_workdays = models.PositiveSmallIntegerField(
        _("escalate a retrospective not planned after its deadline (working days)"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("retrospective policy")
        verbose_name_plural = _("retrospective policies")

    def __str__(self):
        return str(self.organisation)


class Retrospective(models.Model):
    """A completed request's retrospective: its deadline, its meeting, the assessment and the 协作复盘报告."""

    request = models.OneToOneField("collab.Request", on_delete=models.CASCADE, related_name="retrospective")
    completed_at = models.DateTimeField(_("completed at"))
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("completed by"))
    due = models.DateField(_("retrospective due by"))
    due_assumed = models.BooleanField(default=False)  # a day counted lies in a year the calendar does not know
    state = models.CharField(_("state"), max_length=10, choices=RetroState.choices, default=RetroState.AWAITING)
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="retrospectives", verbose_name=_("retrospective meeting"))
    went_well = models.TextField(_("what went well (good practices)"), blank=True)
    stuck = models.TextField(_("where it got stuck (bottlenecks)"), blank=True)
    next_time = models.TextField(_("what to change next time"), blank=True)
    facts = models.JSONField(_("facts at sending"), default=dict, blank=True)  # frozen when the report is sent
    sent_at = models.DateTimeField(_("report sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")
        ordering = ["-completed_at", "-id"]
        indexes = [models.Index(fields=["state", "due"])]

    def __str__(self):
        return str(self.request)


class GoalAssessment(models.Model):
    """One goal of the request and what the retrospective found: reached, partly or not, with evidence."""

    retrospective = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=1)
    goal = models.TextField(_("goal"))
    result = models.CharField(_("result"), max_length=8, choices=GoalResult.choices, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    reason = models.TextField(_("reason when not reached"), blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.goal[:80]


class Improvement(models.Model):
    """An improvement measure of a retrospective; on sending it becomes an action item tagged as improvement."""

    retrospective = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="improvements")
    measure = models.TextField(_("improvement measure"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due = models.DateField(_("due date"))
    deliverable = models.TextField(_("deliverable"))
    item = models.OneToOneField("actions.ActionItem", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="improvement", verbose_name=_("action item"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("improvement measure")
        verbose_name_plural = _("improvement measures")
        ordering = ["due", "id"]

    def __str__(self):
        return self.measure[:80]


class ReportReceipt(models.Model):
    """One reader of the sent report (a department head or the management group) and their acknowledgement."""

    retrospective = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="readers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    as_head_of = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(_("read and acknowledged"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["retrospective", "person"], name="retro_reader_unique")]


class ProgressUpdate(models.Model):
    """An executor's progress update on a request: % done, what was done, next steps, risks."""

    request = models.ForeignKey("collab.Request", on_delete=models.CASCADE, related_name="progress_updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("posted by"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("department"))
    percent = models.PositiveSmallIntegerField(_("Percent done"))
    done = models.TextField(_("what was done"))
    next_steps = models.TextField(_("next steps"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    affected_due = models.DateField(_("due date the risk affects"), null=True, blank=True)
    early_warning = models.BooleanField(_("early warning"), null=True)  # None: no risk raised
    day = models.DateField(_("day"))  # the organisation's working date it was posted on
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        ordering = ["-posted_at", "-id"]
        indexes = [models.Index(fields=["request", "department", "day"])]

    def __str__(self):
        return f"{self.request_id} {self.percent}%"


class RequestChange(models.Model):
    """The initiator asks to change the request itself (wanted date or scope); every receiving department agrees
    before it applies (seed 002 stage 4: 双方达成一致后再调整计划)."""

    request = models.ForeignKey("collab.Request", on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change of"), max_length=6, choices=ChangeKind.choices)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))
    old_due = models.DateField(_("wanted date then"), null=True, blank=True)
    new_due = models.DateField(_("new wanted date"), null=True, blank=True)
    old_what = models.TextField(_("what was asked then"), blank=True)
    new_what = models.TextField(_("new scope (what is asked)"), blank=True)
    old_standard = models.TextField(_("acceptance standard then"), blank=True)
    new_standard = models.TextField(_("new acceptance standard"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ChangeState.choices, default=ChangeState.PENDING)
    asked_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["request"], condition=models.Q(state="pending"),
                                               name="retro_request_change_one_pending")]

    def __str__(self):
        return f"{self.request_id} {self.kind} {self.state}"


class RequestChangeAnswer(models.Model):
    """One receiving department's answer to a change of the request."""

    change = models.ForeignKey(RequestChange, on_delete=models.CASCADE, related_name="answers")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=6, choices=ChangeAnswer.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["change", "department"], name="retro_change_answer_unique")]
