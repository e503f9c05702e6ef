"""Collaboration requests (seed 002, stage 1): the request, its receiving departments' answers, its story."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.org.choices import RuleMode
from closeloop.org.models import Department, Organisation, Project

from .choices import (
    ApprovalDecision,
    ApprovalRole,
    BudgetCategory,
    EventKind,
    MemoState,
    Priority,
    ReceiptState,
    RequestState,
    ResourceState,
    Scenario,
    SignMethod,
)


class CollabPolicy(models.Model):
    """The organisation's rules for requests that the general policy does not hold (defaults from seed 002).

    The answer deadline itself (`request_answer_workdays`, `request_mode`) stays on the organisation's policy.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="collab_policy")
    materials_lead_workdays = models.PositiveSmallIntegerField(
        _("request materials sent before the wanted start (working days)"), default=2)
    materials_mode = models.CharField(
        _("request materials rule"), max_length=5, choices=RuleMode.choices, default=RuleMode.WARN)
    escalate_after_workdays = models.PositiveSmallIntegerField(
        _("escalate an unanswered request after its deadline (working days)"), default=1)
    management = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("management group"),
        help_text=_("Told at once of a request that asks for leadership support; "
                    "administrators are told when nobody is named."),
    )
    finance_threshold = models.DecimalField(
        _("budgets above this amount (CNY) also need the finance head"), max_digits=12, decimal_places=2,
        default=10000)
    management_threshold = models.DecimalField(
        _("budgets above this amount (CNY) also need management"), max_digits=12, decimal_places=2, default=50000)
    finance_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("finance department"), help_text=_("Its head approves budgets above the finance amount."))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("collaboration policy")
        verbose_name_plural = _("collaboration policies")

    def __str__(self):
        return str(_("Collaboration policy of %(org)s") % {"org": self.organisation})


class Request(models.Model):
    """A department asks others for help: what, why, by when, to what standard (协作需求)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="collab_requests")
    subject = models.CharField(_("subject"), max_length=200)  # 沟通主题
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="collab_requests",
        verbose_name=_("initiator"))
    initiating_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("initiating department"))
    scenario = models.CharField(_("scenario"), max_length=12, choices=Scenario.choices, default=Scenario.PROJECT)
    background = models.TextField(_("background"), blank=True)  # 沟通背景
    goal = models.TextField(_("goal"), blank=True)  # 沟通目标
    what = models.TextField(_("what is asked"))
    why = models.TextField(_("why"))
    due = models.DateField(_("wanted by"))
    acceptance_standard = models.TextField(_("acceptance standard"))
    priority = models.CharField(_("priority"), max_length=20, choices=Priority.choices, default=Priority.IMPORTANT)
    needs_leadership = models.BooleanField(_("needs leadership support"), default=False)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="collab_requests",
        verbose_name=_("project"))
    wanted_start = models.DateField(
        _("wanted meeting or start"), null=True, blank=True,
        help_text=_("The background materials should reach the receivers this many working days before "
                    "(policy)."))
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Only the people named on it and administrators can see a confidential request."))
    viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("named people"))
    state = models.CharField(_("state"), max_length=12, choices=RequestState.choices, default=RequestState.AWAITING)
    sent_at = models.DateTimeField(_("sent at"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("collaboration request")
        verbose_name_plural = _("collaboration requests")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state"])]

    def __str__(self):
        return self.subject


class Receipt(models.Model):
    """One receiving department of a request and where its answer stands."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="receipts")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("receiving department"))
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("answers for the head"))
    state = models.CharField(_("state"), max_length=12, choices=ReceiptState.choices, default=ReceiptState.PENDING)
    # The answer is due by the end of this working day; None while the clock waits for the initiator.
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    # Working days left when the question went to the initiator; the clock resumes with them.
    paused_workdays = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    missing = models.CharField(_("missing"), max_length=100, blank=True)  # comma-separated Missing values
    proposed_date = models.DateField(_("proposed date"), null=True, blank=True)
    resource_request = models.TextField(_("resources asked for"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("receiving department")
        verbose_name_plural = _("receiving departments")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["request", "department"], name="collab_receipt_unique")]
        indexes = [models.Index(fields=["state", "answer_due"])]

    def __str__(self):
        return f"{self.request} → {self.department}"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    @property
    def missing_list(self):
        return [m for m in self.missing.split(",") if m]


class RequestEvent(models.Model):
    """One step of a request's story, shown as its timeline."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    receipt = models.ForeignKey(Receipt, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    answer = models.CharField(_("answer"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    late = models.BooleanField(_("after the deadline"), default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request} {self.kind}"


def material_path(instance, filename):
    return f"requests/{instance.request_id}/{secrets.token_hex(8)}/{filename}"


class RequestMaterial(models.Model):
    """A background material of a request (project plan, problem statement, data)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class RequestMeeting(models.Model):
    """A meeting planned from (or attached to) a request: its minutes and items belong to the request's story."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="meeting_links")
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="collab_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "meeting"], name="collab_request_meeting_unique")]


class Memo(models.Model):
    """One version of a request's 跨部门协作备忘录. Once every party's head has signed it, the database
    refuses to change or delete it; an amendment is a new version."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="memos")
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=MemoState.choices, default=MemoState.DRAFT)
    # {clause key: text} for MEMO_CLAUSE_KEYS, and "parties": {department id: {"rights": …, "duties": …}}.
    content = models.JSONField(_("content"), default=dict)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="amendments")
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(_("signed by every party"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("collaboration memo")
        verbose_name_plural = _("collaboration memos")
        ordering = ["request", "-number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="collab_memo_number_unique")]

    def __str__(self):
        return f"{self.request} v{self.number}"

    @property
    def is_frozen(self):
        return self.signed_at is not None


class MemoSignature(models.Model):
    """One party's signature on a memo version: the head of the initiating or a receiving department."""

    memo = models.ForeignKey(Memo, on_delete=models.PROTECT, related_name="signatures")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    head = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(_("sign-off method"), max_length=10, choices=SignMethod.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["memo", "department"], name="collab_memo_signature_unique")]

    def __str__(self):
        return f"{self.memo} {self.department}"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


class ResourceRequest(models.Model):
    """A 资源申请表 / 预算审批单: people, equipment and budget a department needs for a request, on the
    policy's approval chain (department head → finance head above an amount → management above a second)."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="resource_requests")
    decision = models.ForeignKey("record.Decision", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("decision"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("requesting department"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    title = models.CharField(_("title"), max_length=200)
    reason = models.TextField(_("reason"))
    # [{"role": str, "count": int, "period": str}]
    people = models.JSONField(_("people"), default=list, blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    budget_amount = models.DecimalField(_("budget (CNY)"), max_digits=12, decimal_places=2, default=0)
    budget_category = models.CharField(_("budget category"), max_length=12, choices=BudgetCategory.choices,
                                       blank=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ResourceState.choices,
                             default=ResourceState.IN_APPROVAL)
    chain = models.JSONField(_("approval chain"), default=list)  # ApprovalRole values, in order
    step = models.PositiveSmallIntegerField(default=0)  # index in chain of the step awaiting a decision
    round = models.PositiveSmallIntegerField(default=1)  # a resubmission after a return starts a new round
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def current_role(self):
        if self.state != ResourceState.IN_APPROVAL or self.step >= len(self.chain):
            return ""
        return self.chain[self.step]

    def get_current_role_display(self):
        role = self.current_role
        return ApprovalRole(role).label if role else ""


class ResourceApproval(models.Model):
    """One decision on a resource request's chain: who, at which step, approve or return, and why."""

    resource_request = models.ForeignKey(ResourceRequest, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveSmallIntegerField(default=1)
    step = models.PositiveSmallIntegerField()
    role = models.CharField(_("role"), max_length=12, choices=ApprovalRole.choices)
    decision = models.CharField(_("decision"), max_length=8, choices=ApprovalDecision.choices)
    reason = models.TextField(_("reason"), blank=True)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
