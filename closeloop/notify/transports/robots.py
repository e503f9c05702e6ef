"""What the group robots share: find the robot, keep its rate limit, fold a burst into one digest post,
post it through the one outbound HTTP call, and interpret the platform's answer.

A platform module (dingtalk, wecom, feishu) says how to sign and shape the post and what its answer
codes mean. Errors never carry the URL, the token in it, the secret or the sign (see `redact`).
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from closeloop.lib import http
from closeloop.notify import ratelimit
from closeloop.notify.allowlist import allowlist_for
from closeloop.notify.redact import scrub, secrets_of
from closeloop.notify.services import LINK_HEADER, absolute_link
from closeloop.notify.transports.answers import Outcome, classify
from closeloop.notify.transports.base import Transport, TransportError

log = logging.getLogger(__name__)


def robot_of(message):
    """The robot a message is addressed to ("robot:<id>"), or a permanent error."""
    from closeloop.notify.models import Robot

    pk = message.address.removeprefix("robot:")
    robot = Robot.objects.select_related("organisation").filter(
        pk=int(pk) if pk.isdigit() else None, platform=message.channel).first()
    if robot is None:
        raise TransportError("The robot this message was addressed to no longer exists.", permanent=True)
    if not robot.enabled:
        raise TransportError(f"The robot “{robot.name}” is switched off.", permanent=True)
    return robot


def link_of(message):
    return absolute_link(message.link or (message.headers or {}).get(LINK_HEADER, ""))


def language_of(message, robot):
    headers = message.headers or {}
    if headers.get("Content-Language"):
        return headers["Content-Language"]
    if message.recipient_id and message.recipient.language:
        return message.recipient.language
    return robot.language or settings.LANGUAGE_CODE


def _plain(text):
    """Text safe inside a markdown link label or a bold run."""
    return " ".join(str(text).replace("[", "(").replace("]", ")").replace("*", "").split())


def render_single(message, robot, max_bytes):
    """(title, markdown) for one message, in the recipient's language; the body is cut to fit."""
    with translation.override(language_of(message, robot)):
        lines = [f"#### {_plain(message.subject)}"]
        if message.recipient_id:
            lines.append(_("For %(name)s") % {"name": _plain(message.recipient)})
        link = link_of(message)
        tail = f"\n\n[{_('Open in Closeloop')}]({link})" if link else ""
        head = "\n\n".join(lines) + "\n\n"
        room = max_bytes - len((head + tail).encode())
        body = message.body_text.strip()
        if len(body.encode()) > room:
            body = body.encode()[:max(room - 3, 0)].decode(errors="ignore") + "…"
        return message.subject, head + body + tail


def render_digest(messages, robot, max_bytes):
    """(title, markdown, carried): as many messages as fit one post, in the robot's language."""
    with translation.override(robot.language or settings.LANGUAGE_CODE):
        carried, lines = [], []
        for message in messages:
            link = link_of(message)
            parts = [f"**{_plain(message.subject)}**"]
            if message.recipient_id:
                parts.append(_plain(message.recipient))
            if link:
                parts.append(f"[{_('Open')}]({link})")
            line = "- " + " · ".join(parts)
            title = ngettext("%(n)d notifications from Closeloop", "%(n)d notifications from Closeloop",
                             len(carried) + 1) % {"n": len(carried) + 1}
            text = f"#### {title}\n\n" + "\n".join([*lines, line])
            if carried and len(text.encode()) > max_bytes:
                break
            carried.append(message)
            lines.append(line)
        title = ngettext("%(n)d notifications from Closeloop", "%(n)d notifications from Closeloop",
                         len(carried)) % {"n": len(carried)}
        return title, f"#### {title}\n\n" + "\n".join(lines), carried


def status_error(response, platform):
    """The TransportError an HTTP status means (None for 2xx): 429 slows down, 5xx retries, 4xx is final."""
    status = response.status
    if 200 <= status < 300:
        return None
    if status == 429:
        wait = response.retry_after() or ratelimit.THROTTLE_PAUSE.get(platform, 60)
        return TransportError(f"HTTP 429: the receiver asks us to slow down ({wait:.0f} s).",
                              throttled=True, retry_after=wait)
    if status >= 500 or status in (408, 425):
        return TransportError(f"HTTP {status} from the receiver; will try again.", retry_after=response.retry_after())
    if 300 <= status < 400:
        return TransportError(f"HTTP {status}: the receiver redirects, and redirects are not followed.",
                              permanent=True)
    return TransportError(f"HTTP {status}: the receiver refused the message.", permanent=True)


def code_error(platform, code, text, response, label):
    """The TransportError for a platform's answer code (not 0), as the one table in `answers` classifies it."""
    outcome = classify(platform, code, text)
    message = f"{label} {code}: {text}"
    if outcome is Outcome.THROTTLED:
        wait = response.retry_after() or ratelimit.THROTTLE_PAUSE.get(platform, 60)
        return TransportError(message, throttled=True, retry_after=wait)
    return TransportError(message, permanent=outcome is Outcome.PERMANENT, retry_after=response.retry_after())


def post(url, payload, *, organisation, headers=None):
    """One POST through closeloop.lib.http, its failures as TransportErrors."""
    try:
        return http.post_json(url, payload, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
                              allowlist=allowlist_for(organisation))
    except http.UnsafeURL as exc:
        raise TransportError(f"Refused to call this address: {exc}.", permanent=True) from None
    except http.RequestFailed as exc:
        raise TransportError(str(exc)) from None


class RobotTransport(Transport):
    """Posts to one department robot; a burst already queued for it goes out as one digest."""

    platform = ""
    max_bytes = 4000
    batch_limit = 50

    def deliver(self, robot, title, text):
        """Sign and post one markdown message; raise TransportError when the platform did not take it."""
        raise NotImplementedError

    def send(self, message):
        robot = robot_of(message)
        with transaction.atomic():  # the reservation is committed before the post goes out
            wait, now = ratelimit.reserve(channel=message.channel, address=message.address)
            riders = [] if wait else ratelimit.claim_batch(message, now=now, limit=self.batch_limit)
        if wait:
            raise TransportError(f"Held back by the robot's rate limit; next slot in {wait:.0f} s.",
                                 throttled=True, retry_after=wait)
        if riders:
            title, text, carried = render_digest([message, *riders], robot, self.max_bytes)
            riders, rest = carried[1:], riders[len(carried) - 1:]
            ratelimit.release(rest, when=now)  # they did not fit this post: the next slot carries them
        else:
            title, text = render_single(message, robot, self.max_bytes)
        secrets = secrets_of(robot.url, robot.secret)
        try:
            self.deliver(robot, title, text)
        except TransportError as exc:
            error = TransportError(scrub(exc, secrets), permanent=exc.permanent, retry_after=exc.retry_after,
                                   throttled=exc.throttled)
            if exc.throttled:
                ratelimit.hold(channel=message.channel, address=message.address, now=now, seconds=exc.retry_after)
            # Not at once: a failing robot is not hammered by the riders while the carrier backs off.
            backoff = now + dt.timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS)
            ratelimit.release(riders, when=ratelimit.retry_at(exc, now, backoff))
            log.warning("Robot %s (%s) did not take message %s: %s", robot.pk, robot.url_display, message.pk, error)
            raise error from None
        except Exception:
            ratelimit.release(riders, when=now)
            raise
        ratelimit.mark_folded(riders, carrier=message, now=now)
