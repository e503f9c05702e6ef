"""Robots' published rate limits, kept without dropping anything: bursts are folded into one digest post.

DingTalk and WeCom take 20 messages a minute per robot; Feishu 100 a minute and 5 a second.

The contract with the worker (closeloop/notify/worker.py):
1. Claim with `claimable_q(now)` added to the query: a message whose endpoint is held back (its window
   is full, or the platform told us to slow down) is not claimed, so waiting costs no attempt.
2. A robot transport, handed one message, calls `gate_acquire` (one post slot, recorded for every
   worker in EndpointThrottle) and `claim_batch` (every other message already due for the same robot)
   in one transaction; it posts them as one digest, then `mark_folded` (those rows are sent, pointing
   at the carrier) or `release` (they are due again) if the post failed.
3. A transport raises TransportError(throttled=True, retry_after=s) when it got no slot or the platform
   answered "too fast". The worker hands such an error to `record_throttled(message, now, exc)` instead
   of counting a failure: the attempt is logged, the message is due again after `s`, and the attempt
   does not count towards giving up (slowing down is not failing, and nothing is dropped).

Across workers and app servers the limit holds because a post's slot is a reservation in the database: the
endpoint's row is locked, and only then is the time read (from the database's own clock on PostgreSQL, so every
server counts on one clock), checked against every window and recorded, in one transaction committed before the
post goes out. Each window is kept with a safety margin (ROBOT_RATE_MARGIN_MS, 1 s by default) for the time
between the reservation and the post's arrival: 20 posts per 61 s where the platform allows 20 per 60 s.

The arithmetic (`wait_for_slot`, `RateLimiter`) is pure, with an injectable clock.
"""

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef


@dataclass(frozen=True)
class Window:
    count: int
    seconds: float


LIMITS = {
    "dingtalk": (Window(20, 60),),
    "wecom": (Window(20, 60),),
    "feishu": (Window(100, 60), Window(5, 1)),
}
# How long to hold a robot that answered "too fast" without saying for how long. DingTalk blocks a robot
# for 10 minutes after a burst; WeCom and Feishu count per minute.
THROTTLE_PAUSE = {"dingtalk": 600, "wecom": 60, "feishu": 60, "webhook": 60}


def wait_for_slot(sent, now, windows, margin=0.0):
    """Seconds until one more post fits every window (each `margin` seconds longer), given the times of
    earlier posts (0: post now)."""
    wait = 0.0
    for window in windows:
        span = window.seconds + margin
        recent = sorted(t for t in sent if t > now - span)
        if len(recent) >= window.count:
            wait = max(wait, recent[-window.count] + span - now)
    return wait if wait > 1e-6 else 0.0  # float sums of fractions of seconds are not exact


def prune(sent, now, windows, margin=0.0):
    """The post times that still matter for these windows."""
    longest = max((w.seconds for w in windows), default=0) + margin
    return sorted(t for t in sent if t > now - longest)


def margin():
    """The safety margin added to every window, in seconds."""
    return max(settings.ROBOT_RATE_MARGIN_MS, 0) / 1000


class RateLimiter:
    """A sliding-window limiter in memory on an injectable clock; `acquire()` → seconds to wait (0: go)."""

    def __init__(self, windows, clock=time.monotonic):
        self.windows, self.clock, self.sent = tuple(windows), clock, []

    def acquire(self):
        now = self.clock()
        self.sent = prune(self.sent, now, self.windows)
        wait = wait_for_slot(self.sent, now, self.windows)
        if wait <= 0:
            self.sent.append(now)
        return wait


def clock():
    """Now, for reservations: the database's clock on PostgreSQL (one clock for every app server and worker),
    else this server's. Tests replace it (monkeypatch) with a fake clock."""
    from django.utils import timezone

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
    return timezone.now()


def _gate(channel, address):
    from closeloop.notify.models import EndpointThrottle

    try:
        with transaction.atomic():
            EndpointThrottle.objects.get_or_create(channel=channel, address=address)
    except IntegrityError:  # another worker created it in the meantime
        pass
    return EndpointThrottle.objects.select_for_update().get(channel=channel, address=address)


def gate_acquire(*, channel, address, now=None):
    """Take one post slot for this endpoint; returns 0 (granted, recorded) or the seconds to wait.

    Call inside a transaction: the endpoint's row stays locked until it ends, so workers take turns.
    Without `now`, the time is read after the lock is held (see `reserve`). When the slot just taken fills
    a window, the endpoint is held until the next slot frees, so no worker claims its messages meanwhile:
    they pile up and go out as one digest.
    """
    return reserve(channel=channel, address=address, now=now)[0]


def reserve(*, channel, address, now=None):
    """(seconds to wait or 0, the reservation's time): `gate_acquire`, also saying when the slot was taken.

    The time is read only once this endpoint's row is locked: a worker that waited for the lock must not
    record the moment it started waiting, which may be earlier than a post another worker made meanwhile.
    """
    gate = _gate(channel, address)
    now = clock() if now is None else now
    windows, extra = LIMITS.get(channel, ()), margin()
    epoch = now.timestamp()
    wait = max((gate.held_until - now).total_seconds(), 0.0) if gate.held_until else 0.0
    recent = prune(gate.recent or [], epoch, windows, extra)
    wait = max(wait, wait_for_slot(recent, epoch, windows, extra))
    if wait > 0:
        gate.held_until = now + dt.timedelta(seconds=wait)
        gate.recent = recent
        gate.save(update_fields=["held_until", "recent"])
        return wait, now
    recent.append(epoch)
    following = wait_for_slot(recent, epoch, windows, extra)
    gate.recent = recent
    gate.held_until = now + dt.timedelta(seconds=following) if following > 0 else None
    gate.save(update_fields=["held_until", "recent"])
    return 0.0, now


def hold(*, channel, address, now, seconds):
    """Hold the endpoint for `seconds` (the platform asked us to slow down)."""
    with transaction.atomic():
        gate = _gate(channel, address)
        until = now + dt.timedelta(seconds=seconds)
        if gate.held_until is None or gate.held_until < until:
            gate.held_until = until
            gate.save(update_fields=["held_until"])


def claimable_q(now):
    """For the worker's claim: leave out messages whose endpoint is held back at `now`."""
    from closeloop.notify.models import EndpointThrottle

    held = EndpointThrottle.objects.filter(
        channel=OuterRef("channel"), address=OuterRef("address"), held_until__gt=now,
    )
    return ~Exists(held)


def retry_at(exc, now, default):
    """When to try again after TransportError `exc`: as the receiver asked, else `default`."""
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        return now + dt.timedelta(seconds=retry_after)
    return default


def claim_batch(message, *, now, limit=50):
    """Other messages already due for the same endpoint, leased so no other worker takes them.

    Call in the transaction of `gate_acquire`. Their attempt count does not change: they ride along.
    """
    from django.db import connection

    from closeloop.notify.models import OutboxMessage, OutboxState

    qs = (OutboxMessage.objects
          .filter(state=OutboxState.PENDING, channel=message.channel, address=message.address,
                  next_attempt_at__lte=now)
          .exclude(pk=message.pk).order_by("next_attempt_at", "id"))
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    batch = list(qs[:limit])
    if batch:
        lease = now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        OutboxMessage.objects.filter(pk__in=[m.pk for m in batch]).update(next_attempt_at=lease)
    return batch


def release(messages, *, when):
    """Messages taken by `claim_batch` but not posted: due again at `when`."""
    from closeloop.notify.models import OutboxMessage, OutboxState

    if messages:
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], state=OutboxState.PENDING).update(
            next_attempt_at=when)


def mark_folded(messages, *, carrier, now):
    """Messages posted inside `carrier`'s digest: sent, with one successful attempt row each."""
    from closeloop.notify.models import DeliveryAttempt, OutboxMessage, OutboxState

    if not messages:
        return
    with transaction.atomic():
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            state=OutboxState.SENT, sent_at=now, last_error="", folded_into=carrier)
        DeliveryAttempt.objects.bulk_create([DeliveryAttempt(message_id=m.pk, ok=True) for m in messages])


def record_throttled(message, now, exc):
    """The worker's record of a throttled attempt: logged, due again after `exc.retry_after`, not counted."""
    from closeloop.notify.models import DeliveryAttempt, OutboxMessage

    with transaction.atomic():
        DeliveryAttempt.objects.create(message=message, ok=False, error=str(exc))
        message.attempts = max(message.attempts - 1, 0)
        message.last_error = str(exc)
        message.next_attempt_at = retry_at(exc, now, now + dt.timedelta(seconds=THROTTLE_PAUSE["webhook"]))
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts, last_error=message.last_error, next_attempt_at=message.next_attempt_at)
