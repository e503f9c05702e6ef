"""Delivering the outbox in small steps: claim one due message, send it, record the attempt.

A claim moves the message's next attempt one lease ahead in a short transaction, so the
slow part (talking to the mail server) holds no lock. On PostgreSQL several workers claim
with SKIP LOCKED; on SQLite the write lock serialises claims. A worker killed while sending
leaves the message due again after the lease: delivery is at-least-once, and the re-send
carries the same Message-ID. The attempt limit is the recipient's organisation's policy
(`outbox_max_attempts`), else the OUTBOX_MAX_ATTEMPTS setting.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from closeloop.notify.models import DeliveryAttempt, OutboxMessage, OutboxState
from closeloop.notify.ratelimit import claimable_q, record_throttled
from closeloop.notify.transports import TransportError, transport_for

log = logging.getLogger(__name__)
GAVE_UP = object()


def retry_delay(attempts):
    """Exponential backoff after the n-th failed attempt: base, 2·base, 4·base … capped."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS))


def max_attempts_for(message):
    """The recipient's organisation's policy limit; the OUTBOX_MAX_ATTEMPTS setting without one."""
    from closeloop.org.models import Policy

    limit = None
    if message.recipient_id is not None:
        limit = (Policy.objects.filter(organisation__people__pk=message.recipient_id)
                 .values_list("outbox_max_attempts", flat=True).first())
    return limit or settings.OUTBOX_MAX_ATTEMPTS


def _claim(now):
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        qs = qs.filter(claimable_q(now))  # a robot held back by its rate limit: its messages wait unclaimed
        qs = qs.order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        message = qs.first()
        if message is None:
            return None
        message.max_attempts = max_attempts_for(message)
        if message.attempts >= message.max_attempts:
            # Its last attempt never reported back (the worker died mid-send): give up now.
            _give_up(message, message.last_error or "The worker stopped while delivering this message.")
            return GAVE_UP
        message.attempts += 1
        message.next_attempt_at = now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        message.save(update_fields=["attempts", "next_attempt_at"])
        return message


def _give_up(message, error):
    message.state = OutboxState.FAILED
    message.last_error = error
    message.save(update_fields=["state", "last_error"])


@transaction.atomic
def _record(message, now, error=None, permanent=False):
    DeliveryAttempt.objects.create(message=message, ok=error is None, error=error or "")
    if error is None:
        message.state = OutboxState.SENT
        message.sent_at = now
        message.last_error = ""
        message.save(update_fields=["state", "sent_at", "last_error"])
    elif permanent or message.attempts >= getattr(message, "max_attempts", settings.OUTBOX_MAX_ATTEMPTS):
        _give_up(message, error)
        log.warning("Gave up on outbox message %s after %s attempts: %s", message.pk, message.attempts, error)
    else:
        message.last_error = error
        message.next_attempt_at = now + retry_delay(message.attempts)
        message.save(update_fields=["last_error", "next_attempt_at"])


def handle_one(*, now=None):
    """Deliver one due message. Returns True when it handled one (more may be waiting)."""
    now = now or timezone.now()
    message = _claim(now)
    if message is None:
        return False
    if message is GAVE_UP:
        return True
    try:
        transport_for(message.channel).send(message)
    except TransportError as exc:
        if exc.throttled:  # the receiver only asked us to slow down: not a failed attempt
            record_throttled(message, now, exc)
        else:
            _record(message, now, error=str(exc), permanent=exc.permanent)
    except Exception as exc:  # a bug in a transport must not stop the worker; keep it visible instead
        log.exception("Transport crashed on outbox message %s", message.pk)
        _record(message, now, error=f"{type(exc).__name__}: {exc}", permanent=False)
    else:
        _record(message, now)
    return True


def drain_outbox(*, now=None, limit=10_000):
    """Handle due messages until none is left; returns how many were handled (for tests and commands)."""
    handled = 0
    while handled < limit and handle_one(now=now):
        handled += 1
    return handled
