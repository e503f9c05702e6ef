"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), collecting what it receives.

Use the `smtp_server` fixture: `from closeloop.notify.testing.smtp import smtp_server  # noqa: F401`.
"""

import email
import socket
from email import policy

import pytest


class Collector:
    """aiosmtpd handler: keeps every accepted envelope; can answer the next N (or all) DATA with an error."""

    def __init__(self):
        self.envelopes = []
        self.fail_next = 0
        self.fail_always = False
        self.fail_reply = "451 4.3.0 Mailbox busy, try again later"
        self.refused = 0
        self.peers = []  # the client's (address, port) of each message: one port per SMTP connection

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        if self.fail_always or self.fail_next > 0:
            self.fail_next = max(self.fail_next - 1, 0)
            self.refused += 1
            return self.fail_reply
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]

    def message_to(self, address):
        found = [m for m in self.messages() if address in m["To"]]
        assert len(found) == 1, f"expected one mail to {address}, got {len(found)}"
        return found[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start aiosmtpd on a free port and point Django's SMTP backend at it."""
    from aiosmtpd.controller import Controller

    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield handler
    finally:
        controller.stop()
