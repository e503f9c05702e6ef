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
from contextlib import contextmanager, nullcontext, suppress

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from closeloop.notify import pglane, pipeline
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
    return _max_attempts([message]).get(message.recipient_id) or settings.OUTBOX_MAX_ATTEMPTS


def _max_attempts(messages):
    """{recipient id: their organisation's attempt limit} for these messages, in one query (none without
    recipients)."""
    from closeloop.org.models import Policy

    recipients = {m.recipient_id for m in messages if m.recipient_id is not None}
    if not recipients:
        return {}
    rows = (Policy.objects.filter(organisation__people__pk__in=recipients)
            .values_list("organisation__people__pk", "outbox_max_attempts"))
    return {person: limit for person, limit in rows if limit}


@contextmanager
def _async_commits():
    """On PostgreSQL, the worker's commits during a batch do not wait for the WAL flush. Each row is written and
    visible at once and survives the worker's death (the server holds it); only a crash of the database
    server itself within a fraction of a second could lose the last records, and then those messages are
    sent again with their Message-IDs: duplicates, never a loss. Waiting for the flush at every record
    halved the worker's rate. Other work on the connection (the scans) keeps synchronous commits."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            pass  # the connection broke: the next one starts with the server's setting


def _claim_batch(now, size):
    """Claim up to `size` due messages in one short transaction: ([claimed], how many were given up).

    The batch is the first due message, followed (when it is mail) by more due mail, which goes over one SMTP
    connection; other channels go one at a time (robots fold their own backlog into one post). PostgreSQL
    locks the rows with SKIP LOCKED so that several workers take different messages; on SQLite the
    transaction's write lock (BEGIN IMMEDIATE) serialises claims. Each claimed message's attempt is counted
    and its lease set in one UPDATE … WHERE id IN.
    """
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        qs = qs.filter(claimable_q(now))  # a robot held back by its rate limit: its messages wait unclaimed
        qs = qs.order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        found = list(qs[:max(size, 1)])
        if not found:
            return [], 0
        if found[0].channel == Channel.EMAIL:
            found = [m for m in found if m.channel == Channel.EMAIL]
        else:
            found = found[:1]
        limits = _max_attempts(found)
        claimed, spent = [], 0
        for message in found:
            message.max_attempts = limits.get(message.recipient_id) or settings.OUTBOX_MAX_ATTEMPTS
            if message.attempts >= message.max_attempts:
                # Its last attempt never reported back (the worker died mid-send): give up now.
                _give_up(message, message.last_error or "The worker stopped while delivering this message.")
                spent += 1
                continue
            message.attempts += 1
            message.next_attempt_at = now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
            claimed.append(message)
        if claimed:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                attempts=F("attempts") + 1, next_attempt_at=claimed[0].next_attempt_at)
        return claimed, spent


def _claim_on_lane(now, size):
    """`_claim_batch` in one statement on the worker's own PostgreSQL connection (`pglane`)."""
    found = pglane.claim(now, size)
    limits = _max_attempts(found)
    claimed, spent = [], 0
    for message in found:
        message.max_attempts = limits.get(message.recipient_id) or settings.OUTBOX_MAX_ATTEMPTS
        if message.attempts > message.max_attempts:
            message.attempts -= 1  # the claim counted an attempt that is not made
            _give_up(message, message.last_error or "The worker stopped while delivering this message.")
            spent += 1
            continue
        claimed.append(message)
    return claimed, spent


def _claim(now):
    """One due message claimed (None: none is due; GAVE_UP: the one found had used its last attempt)."""
    claimed, spent = _claim_batch(now, 1)
    if claimed:
        return claimed[0]
    return GAVE_UP if spent else None


def _give_up(message, error):
    message.state = OutboxState.FAILED
    message.last_error = error
    message.save(update_fields=["state", "last_error", "attempts"])


def _record(message, now, error=None, permanent=False):
    """Record one attempt at once, right after the receiver answered: a worker killed at any moment can have
    sent twice only the message whose acceptance it had not recorded yet."""
    if error is None:
        _record_sent(message, now)
        return
    with transaction.atomic():
        DeliveryAttempt.objects.create(message=message, ok=False, error=error)
        _record_failure(message, now, error, permanent)


def _record_sent(message, now):
    """The success path, once per mail: plain SQL in one short transaction (one statement on PostgreSQL)."""
    message.state, message.sent_at, message.last_error = OutboxState.SENT, now, ""
    ops, outbox, attempts = connection.ops, OutboxMessage._meta.db_table, DeliveryAttempt._meta.db_table
    sent_at, at = ops.adapt_datetimefield_value(now), ops.adapt_datetimefield_value(timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH sent AS (UPDATE {outbox} SET state = %s, sent_at = %s, last_error = '' WHERE id = %s "
                f"RETURNING id) INSERT INTO {attempts} (message_id, at, ok, error) SELECT id, %s, true, '' FROM sent",
                [OutboxState.SENT, sent_at, message.pk, at])
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {outbox} SET state = %s, sent_at = %s, last_error = '' WHERE id = %s",
                       [OutboxState.SENT, sent_at, message.pk])
        cursor.execute(f"INSERT INTO {attempts} (message_id, at, ok, error) VALUES (%s, %s, %s, '')",
                       [message.pk, at, True])


def _record_failure(message, now, error, permanent):
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


def close_connections():
    """Close the worker's own database connections: the recording thread's and PostgreSQL's lane (its exit,
    tests; PostgreSQL drops a test database only when nobody is connected)."""
    pipeline.stop()
    pglane.close()


def close_kept(kept):
    """Close the mail connections `handle_batch` kept open (the worker idles, fails or stops)."""
    for transport in kept.values():
        _close(transport)
    kept.clear()


def handle_batch(*, now=None, size=20, stopping=lambda: False, kept=None):
    """Deliver up to `size` due messages: claimed in one transaction, mail sent over one SMTP connection.

    Each message's outcome is recorded in a short transaction of its own as soon as it is known, so a worker
    killed mid-batch can duplicate only the message the receiver accepted and the worker did not record
    (the kill test's guarantee); messages claimed but not reached are due again after the lease (at once after an
    unexpected error that is not the database's: `_give_back`, then the error goes up). Outside a
    transaction, mail outcomes are recorded while the next mail goes out, and that mail's acceptance waits for
    the record: on PostgreSQL over the worker's own connection (`pglane`), on SQLite on a thread of its own
    (`pipeline`). When `stopping()` turns true (SIGTERM), the rest of the batch is given back at once. With
    `kept` (a dict the worker owns, emptied by `close_kept`), a batch's SMTP connection stays open for the next
    batch: opening one costs three round trips. Returns how many messages it handled (0: none was due).
    """
    now = now or timezone.now()
    started = time.monotonic()
    lane = pglane.usable()
    with nullcontext() if lane else _async_commits():
        batch, spent = _claim_on_lane(now, size) if lane else _claim_batch(now, size)
        if not batch:
            return spent
        channel = batch[0].channel
        transport = (kept or {}).pop(channel, None) or transport_for(channel)
        gated, keep = getattr(transport, "gated", False), False
        if lane:
            recorder = pglane.Recorder(_record_outcome) if gated else None
        else:
            piped = len(batch) > 1 and gated and not connection.in_atomic_block
            recorder = pipeline.Recorder(_record_outcome) if piped else None
        begun, in_hand = 0, None  # messages whose attempt began; the one whose outcome is not recorded yet
        try:
            for i, message in enumerate(batch):
                # Stopping, or the lease runs out soon (another worker could take them): give the rest back.
                if stopping() or time.monotonic() - started > settings.OUTBOX_LEASE_SECONDS / 2:
                    if recorder is not None:
                        recorder.wait()
                    _release(batch[i:])
                    return spent + i
                begun, in_hand = i + 1, message
                if recorder is None:
                    _record_outcome(message, now, _attempt(message, transport))
                else:
                    recorder.record(message, now, _attempt(message, transport, gate=recorder.wait))
                in_hand = None
            if recorder is not None:
                recorder.wait()
            keep = kept is not None and gated
        except pipeline.RecordFailed as exc:
            raise exc.__cause__ from exc  # the database error, for the worker's outage handling
        except DatabaseError:
            raise  # the worker's outage handling; the leases give the batch back
        except Exception as exc:
            _give_back(recorder, in_hand, batch[begun:], now, exc)
            raise
        finally:
            if keep:
                kept[channel] = transport
            else:
                _close(transport)
    return spent + len(batch)


def _give_back(recorder, in_hand, untried, now, exc):
    """After an unexpected error mid-batch (a bug, not the database): the record in flight is read to its end (the
    next claim would find the worker's connection busy), the message in hand is due again after the back-off with
    the error as its last, and the messages not tried are due again at once, so none waits for its lease. If the
    database fails as well, the leases give them back."""
    with suppress(pipeline.RecordFailed, DatabaseError):
        if recorder is not None:
            recorder.wait()
        if in_hand is not None:
            OutboxMessage.objects.filter(pk=in_hand.pk, state=OutboxState.PENDING).update(
                last_error=f"{type(exc).__name__}: {exc}", next_attempt_at=now + retry_delay(in_hand.attempts))
        _release(untried)


def _release(messages):
    """Claimed messages not tried: due again at once, their claimed attempt given back."""
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], state=OutboxState.PENDING).update(
        attempts=F("attempts") - 1, next_attempt_at=timezone.now())


def _attempt(message, transport, gate=None):
    """Send one claimed message: None when it was accepted, else the exception that tells why not."""
    try:
        if gate is None:
            transport.send(message)
        else:
            transport.send(message, gate=gate)
    except pipeline.RecordFailed:
        raise
    except TransportError as exc:
        return exc
    except Exception as exc:  # a bug in a transport must not stop the worker; keep it visible instead
        log.exception("Transport crashed on outbox message %s", message.pk)
        return exc
    return None


def _record_outcome(message, now, outcome):
    if outcome is None:
        _record_sent(message, now)
    elif isinstance(outcome, TransportError) and outcome.throttled:
        record_throttled(message, now, outcome)  # the receiver only asked us to slow down: not a failure
    elif isinstance(outcome, TransportError):
        _record(message, now, error=str(outcome), permanent=outcome.permanent)
    else:
        _record(message, now, error=f"{type(outcome).__name__}: {outcome}", permanent=False)


def _deliver(message, transport, now):
    """Send one claimed message and record how it went."""
    _record_outcome(message, now, _attempt(message, transport))


def drain_outbox(*, now=None, limit=10_000):
    """Handle due messages until none is left; returns how many were handled (for tests and commands)."""
    handled = 0
    while handled < limit and handle_one(now=now):
        handled += 1
    return handled
