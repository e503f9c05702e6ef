"""Email through Django's configured backend, with the .ics invite as a text/calendar part."""

import base64
import hashlib
import smtplib
from email.mime.text import MIMEText
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from closeloop.notify.transports.base import Transport, TransportError


def message_id_for(key):
    """A Message-ID derived from the idempotency key, so a re-send after a crash is the same message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "closeloop.local"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def _calendar_part(attachment):
    content_type = attachment.get("content_type") or "text/calendar; method=REQUEST"
    _maintype, _, rest = content_type.partition("/")
    subtype, *params = [p.strip() for p in rest.split(";")]
    part = MIMEText(attachment["content"], subtype, "utf-8")
    for param in params:
        name, _, value = param.partition("=")
        part.set_param(name.strip(), value.strip())
    part.add_header("Content-Disposition", "attachment", filename=attachment.get("filename", "invite.ics"))
    return part


def build_email(message, connection=None):
    headers = {"Message-ID": message_id_for(message.idempotency_key), **(message.headers or {})}
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body_text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address], headers=headers, connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments or []:
        content_type = attachment.get("content_type", "")
        if content_type.startswith("text/calendar"):
            email.attach(_calendar_part(attachment))
        elif "content_b64" in attachment:  # binary files (.docx) travel through the JSON outbox as base64
            email.attach(attachment.get("filename"), base64.b64decode(attachment["content_b64"]),
                         content_type or "application/octet-stream")
        else:
            email.attach(attachment.get("filename"), attachment.get("content", ""), content_type or None)
    return email


def _smtp_error(exc):
    """4xx answers and lost connections are worth retrying; 5xx answers are final."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        permanent = bool(codes) and all(code >= 500 for code in codes)
        return TransportError(f"Recipient refused: {exc.recipients}", permanent=permanent)
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return TransportError(f"SMTP {exc.smtp_code}: {text}", permanent=exc.smtp_code >= 500)
    return TransportError(f"{type(exc).__name__}: {exc}", permanent=False)


class EmailTransport(Transport):
    """Mail through Django's backend. One instance keeps its SMTP connection open from its first send until
    `close()`, so the worker sends a batch over one connection; a connection that failed is not reused."""

    def __init__(self):
        self.connection = None

    def send(self, message):
        try:
            if self.connection is None:
                self.connection = get_connection(fail_silently=False)
                self.connection.open()  # opened here, the backend leaves it open after each message
            sent = build_email(message, self.connection).send()
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise _smtp_error(exc) from exc
        if not sent:
            raise TransportError("The mail backend accepted no message", permanent=False)

    def close(self):
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                pass  # the server already went away
