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
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from closeloop.notify.models import Channel, DeliveryAttempt, OutboxMessage, OutboxState
from closeloop.notify.ratelimit import claimable_q, record_throttled
from closeloop.notify.rules import is_failing
from closeloop.notify.services import outbox_alert_failing
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
        return
    gave_up = permanent or message.attempts >= getattr(message, "max_attempts", settings.OUTBOX_MAX_ATTEMPTS)
    if gave_up:
        _give_up(message, error)
        log.warning("Gave up on outbox message %s after %s attempts: %s", message.pk, message.attempts, error)
    else:
        message.last_error = error
        message.next_attempt_at = now + retry_delay(message.attempts)
        message.save(update_fields=["last_error", "next_attempt_at"])
    if is_failing(channel=message.channel, attempts=message.attempts, gave_up=gave_up):
        outbox_alert_failing(message=message, now=now)


def handle_one(*, now=None):
    """Deliver one due message. Returns True when it handled one (more may be waiting)."""
    now = now or timezone.now()
    message = _claim(now)
    if message is None:
        return False
    if message is GAVE_UP:
        return True
    transport = transport_for(message.channel)
    try:
        _deliver(message, transport, now)
    finally:
        _close(transport)
    return True


def _close(transport):
    close = getattr(transport, "close", None)  # a transport holding a connection (mail) lets it go
    if close is not None:
        close()


def _claim_mail(first, now, limit):
    """Up to `limit` more due mail messages, claimed in `first`'s transaction (SKIP LOCKED on PostgreSQL)."""
    qs = (OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now, channel=Channel.EMAIL)
          .exclude(pk=first.pk).order_by("next_attempt_at", "id"))
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    claimed = []
    for message in qs[:limit]:
        message.max_attempts = max_attempts_for(message)
        if message.attempts >= message.max_attempts:
            _give_up(message, message.last_error or "The worker stopped while delivering this message.")
            continue
        message.attempts += 1
        claimed.append(message)
    lease = now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
        attempts=F("attempts") + 1, next_attempt_at=lease)
    return claimed


def handle_batch(*, now=None, size=20, stopping=lambda: False):
    """Deliver up to `size` due messages: claimed in one transaction, mail sent over one SMTP connection.

    Each message's outcome is still recorded in its own short transaction right after its send, so a worker
    killed mid-batch can duplicate only the message the receiver accepted and the worker did not record
    (the kill tests' guarantee); messages claimed but not reached are due again after the lease. When
    `stopping()` turns true (SIGTERM), the rest of the batch is given back at once. Returns how many messages
    it handled (0: none was due).
    """
    now = now or timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        first = _claim(now)
        if first is None:
            return 0
        if first is GAVE_UP:
            return 1
        batch = [first, *(_claim_mail(first, now, size - 1) if size > 1 and first.channel == Channel.EMAIL else [])]
    transport = transport_for(first.channel)
    try:
        for i, message in enumerate(batch):
            # Stopping, or the lease runs out soon (another worker could take them meanwhile): give the rest back.
            if stopping() or time.monotonic() - started > settings.OUTBOX_LEASE_SECONDS / 2:
                _release(batch[i:])
                return i
            _deliver(message, transport, now)
    finally:
        _close(transport)
    return len(batch)


def _release(messages):
    """Claimed messages not tried: due again at once, their claimed attempt given back."""
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], state=OutboxState.PENDING).update(
        attempts=F("attempts") - 1, next_attempt_at=timezone.now())


def _deliver(message, transport, now):
    """Send one claimed message and record how it went."""
    try:
        transport.send(message)
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


def drain_outbox(*, now=None, limit=10_000):
    """Handle due messages until none is left; returns how many were handled (for tests and commands)."""
    handled = 0
    while handled < limit and handle_one(now=now):
        handled += 1
    return handled
