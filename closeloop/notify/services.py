"""Writes for the outbox: enqueue a message inside the transaction that causes it; administrators retry
failed messages and hear (in their inbox) when a channel starts failing."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record
from closeloop.org.choices import Role
from closeloop.org.models import Person

from .models import Channel, OutboxMessage, OutboxState
from .rules import alert_period

LINK_HEADER = "X-Closeloop-Link"
ALERT_KIND = "outbox.failing"


def outbox_enqueue(
    *, key, recipient=None, address, kind, subject, body_text, body_html="", attachments=None, headers=None,
    channel=Channel.EMAIL, link="", not_before=None,
):
    """Queue one message for the worker; a key already queued is a no-op that returns the existing row.

    Call it inside the causing transaction: if that rolls back, nothing is sent. `link` leads back to
    the item (SITE_URL + path; an X-Closeloop-Link header is read too). Without `not_before`, a message
    to a recipient waits for the end of their quiet hours, except in the inbox, which is silent.
    """
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    if not_before is None and recipient is not None and channel != Channel.INBOX:
        from .preferences import next_allowed_time

        not_before = next_allowed_time(recipient, now)
    link = link or (headers or {}).get(LINK_HEADER, "")
    message = OutboxMessage(
        idempotency_key=key, channel=channel, recipient=recipient, address=address, kind=kind,
        subject=subject[:300], body_text=body_text, body_html=body_html or "",
        attachments=list(attachments or []), headers=dict(headers or {}), next_attempt_at=not_before or now,
        link=absolute_link(link)[:500],
    )
    try:
        # A savepoint, so a concurrent insert of the same key does not break the caller's transaction.
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=key)
    return message


def absolute_link(path_or_url):
    """SITE_URL + path for a path; a full URL as it is."""
    if not path_or_url or "://" in path_or_url:
        return path_or_url or ""
    return settings.SITE_URL + ("" if path_or_url.startswith("/") else "/") + path_or_url


@transaction.atomic
def outbox_retry(*, actor, message, now=None):
    """Queue a failed (or waiting) message again now, with a fresh count of attempts."""
    if message.state == OutboxState.SENT:
        raise ValidationError({"state": _("This message was delivered; there is nothing to try again.")})
    before = {"state": message.state, "attempts": message.attempts}
    message.state, message.attempts = OutboxState.PENDING, 0
    message.next_attempt_at = now or timezone.now()
    message.save(update_fields=["state", "attempts", "next_attempt_at"])
    audit_record(actor=actor, action="outbox.retry", obj=message, before=before,
                 after={"state": message.state, "attempts": 0})
    return message


@transaction.atomic
def outbox_retry_failed(*, actor, messages, now=None):
    """Queue every failed message of `messages` again now; returns how many."""
    ids = list(messages.filter(state=OutboxState.FAILED).values_list("pk", flat=True))
    if ids:
        OutboxMessage.objects.filter(pk__in=ids).update(
            state=OutboxState.PENDING, attempts=0, next_attempt_at=now or timezone.now())
        audit_record(actor=actor, action="outbox.retry_failed", object_type="notify.outboxmessage",
                     object_id=f"{len(ids)} failed", after={"ids": ids[:1000]})
    return len(ids)


def organisation_id_of(message):
    """The organisation a message belongs to: its recipient's, or its robot's; None when neither says."""
    if message.recipient_id is not None:
        return message.recipient.organisation_id
    if message.address.startswith("robot:"):
        from .models import Robot

        pk = message.address.removeprefix("robot:")
        return Robot.objects.filter(pk=int(pk) if pk.isdigit() else None).values_list(
            "organisation_id", flat=True).first()
    return None


def outbox_alert_failing(*, message, now):
    """Tell the organisation's administrators, in their inbox and language, that messages are failing on
    `message`'s channel; at most once per channel and period (`rules.alert_period`). Returns the queued alerts."""
    if message.kind == ALERT_KIND:
        return []
    organisation_id = organisation_id_of(message)
    if organisation_id is None:
        return []
    admins = Person.objects.filter(organisation_id=organisation_id, role=Role.ADMIN, is_active=True)
    link = f"{reverse('notify:outbox')}?channel={message.channel}"
    queued = []
    for admin in admins:
        with translation.override(admin.language or settings.LANGUAGE_CODE):
            channel = Channel(message.channel).label if message.channel in Channel.values else message.channel
            subject = _("Messages are failing on %(channel)s") % {"channel": channel}
            body = _("Closeloop could not deliver messages on %(channel)s. The last error: %(error)s. "
                     "The outbox page lists what is waiting and what failed, and can try again.") % {
                "channel": channel, "error": message.last_error.splitlines()[0][:300] if message.last_error else "-"}
        queued.append(outbox_enqueue(
            key=f"{ALERT_KIND}:{organisation_id}:{message.channel}:{alert_period(now)}:{admin.pk}",
            recipient=admin, address=str(admin.pk), channel=Channel.INBOX, kind=ALERT_KIND,
            subject=subject, body_text=body, link=link))
    return queued

