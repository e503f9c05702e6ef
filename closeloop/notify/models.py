"""The transactional outbox: every notification is a row written with the change that causes it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.notify.redact import redact_url
from closeloop.org.choices import Language


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    INBOX = "inbox", _("In-app inbox")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    WECOM = "wecom", _("WeCom group robot")
    FEISHU = "feishu", _("Feishu custom bot")
    WEBHOOK = "webhook", _("Signed webhook")


# The channels that post to a department's robot rather than to a person's own address.
ROBOT_CHANNELS = (Channel.DINGTALK, Channel.WECOM, Channel.FEISHU, Channel.WEBHOOK)


class Kind(models.TextChoices):
    """What a message is about; a person picks channels per kind, a robot carries some kinds."""

    REMINDER = "reminder", _("Reminders before a due date")
    RISK = "risk", _("Risk warnings")
    ESCALATION = "escalation", _("Escalations of overdue items")
    DIGEST = "digest", _("Weekly digests")
    NOTICE = "notice", _("Meeting notices")
    MINUTES = "minutes", _("Minutes")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """A message waiting for (or done with) delivery by the worker."""

    idempotency_key = models.CharField(max_length=200)  # unique: see Meta.constraints
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    address = models.CharField(_("address"), max_length=300)
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"filename", "content_type", "content" (text)}]; .ics invites are text. Binary files (.docx) carry
    # "content_b64" (base64) instead of "content".
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))  # indexed with the state, in Meta.indexes
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # A robot folds a burst of queued messages into one digest post: the others point at the one that carried them.
    folded_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="folded", verbose_name=_("sent within"),
        db_index=False,  # a partial index (Meta.indexes): only robots' folded messages have one
    )

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["id"]
        # Every index costs each of the scans' inserts and the worker's two updates a message, so only these:
        # the key (a plain unique index; unique=True would add a second one for LIKE on PostgreSQL, which
        # nothing runs), the due messages by state and time (the claim, the outbox's counts), the recipient
        # (their own undelivered mail, the organisation's outbox), and the rare folded messages.
        indexes = [models.Index(fields=["state", "next_attempt_at"]),
                   models.Index(fields=["folded_into"], condition=models.Q(folded_into__isnull=False),
                                name="outbox_folded_into")]
        constraints = [models.UniqueConstraint(fields=["idempotency_key"], name="outbox_idempotency_key_unique")]

    def __str__(self):
        return f"{self.kind} → {self.address}"


class DeliveryAttempt(models.Model):
    """One try at delivering a message, with its error if it failed."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField()
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]


ROBOT_PLATFORMS = [
    ("dingtalk", _("DingTalk group robot")),
    ("wecom", _("WeCom group robot")),
    ("feishu", _("Feishu custom bot")),
    ("webhook", _("Signed webhook")),
]


class InboxItem(models.Model):
    """A message in a person's in-app inbox; unread until they open or mark it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items", verbose_name=_("recipient"),
    )
    # The outbox message's idempotency key: delivering it again finds the same item.
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class NotifyPreference(models.Model):
    """Which channels a person wants for each kind of message, and their quiet hours (in their time zone)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference",
    )
    # {kind: [channel, ...]}; a kind not listed uses the default (email and inbox).
    channels = models.JSONField(default=dict, blank=True)
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")


class Robot(models.Model):
    """A department's group robot or signed webhook: where it posts, its secret, which kinds it carries.

    The URL (it holds the access token) and the secret are write-only: pages, API, admin and errors
    show `url_display`, a redacted form.
    """

    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="robots")
    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, related_name="robots", verbose_name=_("department"),
    )
    platform = models.CharField(_("platform"), max_length=20, choices=ROBOT_PLATFORMS)
    name = models.CharField(_("name"), max_length=100)
    url = models.CharField(_("webhook URL"), max_length=1000)
    secret = models.CharField(_("signing secret"), max_length=300, blank=True)
    kinds = models.JSONField(_("kinds of message"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("department robot")
        verbose_name_plural = _("department robots")
        ordering = ["department__name", "name", "id"]

    def __str__(self):
        return f"{self.name} ({self.get_platform_display()})"

    @property
    def url_display(self):
        return redact_url(self.url)

    @property
    def kinds_display(self):

        return [Kind(k).label if k in Kind.values else k for k in self.kinds or []]

    @property
    def address(self):
        """The outbox address of messages for this robot (the secret stays here, not in the outbox)."""
        return f"robot:{self.pk}"


class EndpointThrottle(models.Model):
    """Rate-limit state of one robot endpoint, shared by every worker: recent posts and a hold."""

    channel = models.CharField(max_length=20)
    address = models.CharField(max_length=300)
    recent = models.JSONField(default=list, blank=True)  # epoch seconds of recent posts
    held_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="endpoint_throttle_unique")]

    def __str__(self):
        return f"{self.channel} {self.address}"


class AllowedWebhookHost(models.Model):
    """A host (name, address or network) an administrator allows webhooks to reach inside the network."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="allowed_hosts")
    host = models.CharField(
        _("host"), max_length=255,
        help_text=_("A host name, an IP address or a network such as 10.1.0.0/16."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allowed webhook host")
        verbose_name_plural = _("allowed webhook hosts")
        ordering = ["host"]
        constraints = [models.UniqueConstraint(fields=["organisation", "host"], name="allowed_host_unique")]

    def __str__(self):
        return self.host


class ScanRun(models.Model):
    """One row per scan: when it is due next, and how its last run went.

    A worker claims a scan by moving `next_run_at` one lease ahead (under SKIP LOCKED on PostgreSQL),
    so only one worker runs it at a time; a worker that dies mid-scan leaves it due again after the lease.
    """

    name = models.CharField(_("scan"), max_length=50, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_count = models.PositiveIntegerField(_("notifications queued by the last run"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        db_table = "followup_scanrun"  # created by the follow-up app, which ran the first scans
        verbose_name = _("scheduled scan")
        verbose_name_plural = _("scheduled scans")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    """A running worker's sign of life, refreshed every few seconds; `/healthz` reads the newest."""

    name = models.CharField(max_length=200, unique=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    handled = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.name
