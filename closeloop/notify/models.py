"""The transactional outbox: every notification is a row written with the change that causes it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    idempotency_key = models.CharField(max_length=200, unique=True)
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
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # A robot folds a burst of queued messages into one digest post: the others point at the one that carried them.
    folded_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="folded", verbose_name=_("sent within"),
    )

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

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


from .models_channels import (  # noqa: E402,F401  (the channels' models live beside the outbox's)
    AllowedWebhookHost,
    EndpointThrottle,
    InboxItem,
    NotifyPreference,
    Robot,
)


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
