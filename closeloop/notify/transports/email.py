"""Email through Django's configured backend, with the .ics invite as a text/calendar part."""

import base64
import functools
import hashlib
import re
import smtplib
import socket
from email.mime.text import MIMEText
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address

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


def _data_with_gate(smtp, gate, msg):
    """smtplib's DATA, with `gate()` called once the text has gone and before its last line, the lone dot: a
    server accepts a message only at that dot, so nothing is accepted before gate() has returned."""
    code, reply = smtp.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    if isinstance(msg, str):
        msg = smtplib._fix_eols(msg).encode("ascii")
    if smtp.sock is not None:  # the dot goes in a write of its own: Nagle would hold it for the text's ACK
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    text = smtplib._quote_periods(msg)
    smtp.send(text if text.endswith(b"\r\n") else text + b"\r\n")
    try:
        gate()
    except BaseException:
        smtp.close()  # without the dot the server discards the message; QUIT would be read as its text
        raise
    smtp.send(b".\r\n")
    return smtp.getreply()


# A plain address (dot-atom local part, ASCII domain), which Django's sanitize_address returns unchanged.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                            r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*")
_sanitized_sender = functools.lru_cache(maxsize=16)(sanitize_address)


def envelope_address(address, encoding):
    """`sanitize_address(address, encoding)`, without parsing a plain address (a tenth of the worker's CPU)."""
    return address if _PLAIN_ADDRESS.fullmatch(address) else sanitize_address(address, encoding)


def _sendmail(smtp, email):
    """What Django's SMTP backend does for one message over its open connection, without re-parsing the same
    sender for every mail: True once the server accepted it."""
    recipients = email.recipients()
    if not recipients:
        return False
    encoding = email.encoding or settings.DEFAULT_CHARSET
    smtp.sendmail(_sanitized_sender(email.from_email, encoding), [envelope_address(a, encoding) for a in recipients],
                  email.message().as_bytes(linesep="\r\n"))
    return True


class EmailTransport(Transport):
    """Mail through Django's backend. One instance keeps its SMTP connection open from its first send until
    `close()`, so the worker sends a batch over one connection; a connection that failed is not reused.

    `send(message, gate=f)` calls f() just before the server can accept the message (before DATA's last line
    over SMTP, before the send with other backends): the worker records the previous message meanwhile."""

    gated = True

    def __init__(self):
        self.connection = None

    def send(self, message, gate=None):
        smtp = gated = None
        try:
            if self.connection is None:
                self.connection = get_connection(fail_silently=False)
                self.connection.open()  # opened here, the backend leaves it open after each message
            smtp = getattr(self.connection, "connection", None)  # Django's SMTP backend: its smtplib client
            smtp = smtp if isinstance(smtp, smtplib.SMTP) else None
            if gate is not None:
                if smtp is not None:
                    gated = smtp
                    smtp.data = functools.partial(_data_with_gate, smtp, gate)
                else:
                    gate()
            email = build_email(message, self.connection)
            sent = email.send() if smtp is None else _sendmail(smtp, email)
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise _smtp_error(exc) from exc
        finally:
            if gated is not None:
                gated.__dict__.pop("data", None)
        if not sent:
            raise TransportError("The mail backend accepted no message", permanent=False)

    def close(self):
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                pass  # the server already went away
