"""Writes for the outbox: enqueue a message inside the transaction that causes it."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Channel, OutboxMessage

LINK_HEADER = "X-Closeloop-Link"


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
