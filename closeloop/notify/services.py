"""Writes for the outbox: enqueue a message inside the transaction that causes it."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Channel, OutboxMessage


def outbox_enqueue(
    *, key, recipient=None, address, kind, subject, body_text, body_html="", attachments=None, headers=None,
    channel=Channel.EMAIL,
):
    """Queue one message for the worker; a key already queued is a no-op that returns the existing row.

    Call it inside the causing transaction: if that rolls back, nothing is sent.
    """
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    message = OutboxMessage(
        idempotency_key=key, channel=channel, recipient=recipient, address=address, kind=kind,
        subject=subject[:300], body_text=body_text, body_html=body_html or "",
        attachments=list(attachments or []), headers=dict(headers or {}), next_attempt_at=timezone.now(),
    )
    try:
        # A savepoint, so a concurrent insert of the same key does not break the caller's transaction.
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=key)
    return message
