"""A generic webhook: the message as JSON, signed with HMAC-SHA256, carrying its idempotency key.

Headers: `X-Closeloop-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>` (the
receiver recomputes it over the raw body and should refuse old timestamps), and `Idempotency-Key`:
the message's key, the same on every retry, so a receiver can drop a repeat delivery.
2xx delivered; 429 slows down (Retry-After honoured); 408, 425 and 5xx retry; other answers are final.
"""

import hashlib
import hmac
import json
import logging
import time

from closeloop.notify import ratelimit
from closeloop.notify.redact import scrub, secrets_of
from closeloop.notify.transports.base import Transport, TransportError
from closeloop.notify.transports.robots import language_of, link_of, post, robot_of, status_error

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Closeloop-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def webhook_signature(secret, timestamp, body):
    """The signature header's value for `body` (bytes) sent at `timestamp` (unix seconds)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def webhook_body(message, robot):
    recipient = message.recipient if message.recipient_id else None
    return json.dumps({
        "id": message.idempotency_key,
        "kind": message.kind,
        "subject": message.subject,
        "text": message.body_text,
        "html": message.body_html,
        "link": link_of(message),
        "language": language_of(message, robot),
        "recipient": {"id": recipient.pk, "name": str(recipient)} if recipient else None,
        "created_at": message.created_at.isoformat() if message.created_at else None,
    }, ensure_ascii=False).encode("utf-8")


class WebhookTransport(Transport):
    def send(self, message):
        robot = robot_of(message)
        body = webhook_body(message, robot)
        headers = {IDEMPOTENCY_HEADER: message.idempotency_key, "X-Closeloop-Event": message.kind}
        if robot.secret:
            headers[SIGNATURE_HEADER] = webhook_signature(robot.secret, int(time.time()), body)
        secrets = secrets_of(robot.url, robot.secret)
        try:
            error = status_error(post(robot.url, body, organisation=robot.organisation, headers=headers), "webhook")
        except TransportError as exc:
            error = exc
        if error is None:
            return
        if error.throttled:
            ratelimit.hold(channel=message.channel, address=message.address, now=ratelimit.clock(),
                           seconds=error.retry_after)
        error = TransportError(scrub(error, secrets), permanent=error.permanent, retry_after=error.retry_after,
                               throttled=error.throttled)
        log.warning("Webhook %s (%s) did not take message %s: %s", robot.pk, robot.url_display, message.pk, error)
        raise error
