"""The worker's batches: due mail claimed together and sent over one SMTP connection, each outcome recorded on
its own; a refused address does not stop the batch; a stopping worker gives the rest back."""

import pytest
from django.utils import timezone

from closeloop.notify.models import OutboxMessage, OutboxState
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import handle_batch, handle_one

pytestmark = pytest.mark.django_db


def queue(n, prefix="m"):
    return [outbox_enqueue(key=f"{prefix}:{i}", address=f"p{i}@example.com", kind="reminder", subject=f"提醒 {i}",
                           body_text="明天到期", not_before=timezone.now()) for i in range(n)]


def test_a_batch_of_mail_goes_over_one_smtp_connection(smtp_server):  # noqa: F811
    queue(5)
    assert handle_batch(size=20) == 5
    assert OutboxMessage.objects.filter(state=OutboxState.SENT, attempts=1).count() == 5
    assert len(smtp_server.envelopes) == 5 and len(set(smtp_server.peers)) == 1
    assert handle_batch(size=20) == 0


def test_one_message_at_a_time_opens_a_connection_each(smtp_server):  # noqa: F811
    queue(3)
    while handle_one():
        pass
    assert len(set(smtp_server.peers)) == 3


def test_a_batch_takes_no_more_than_its_size(smtp_server):  # noqa: F811
    queue(5)
    assert handle_batch(size=2) == 2
    assert OutboxMessage.objects.filter(state=OutboxState.PENDING, attempts=0).count() == 3


def test_a_refused_address_in_the_middle_fails_alone_and_the_batch_goes_on(smtp_server):  # noqa: F811
    queue(4)
    original = smtp_server.handle_DATA

    async def refuse_p1(server, session, envelope):
        if envelope.rcpt_tos == ["p1@example.com"]:
            return "550 5.1.1 user unknown"
        return await original(server, session, envelope)

    smtp_server.handle_DATA = refuse_p1
    assert handle_batch(size=20) == 4
    states = dict(OutboxMessage.objects.values_list("address", "state"))
    assert states == {"p0@example.com": "sent", "p1@example.com": "failed", "p2@example.com": "sent",
                      "p3@example.com": "sent"}
    assert "550" in OutboxMessage.objects.get(address="p1@example.com").last_error


def test_a_stopping_worker_gives_the_claimed_rest_back_at_once(smtp_server):  # noqa: F811
    queue(3)
    calls = []
    assert handle_batch(size=20, stopping=lambda: calls.append(1) or len(calls) > 1) == 1
    rest = OutboxMessage.objects.filter(state=OutboxState.PENDING)
    assert rest.count() == 2 and set(rest.values_list("attempts", flat=True)) == {0}
    assert all(m.next_attempt_at <= timezone.now() for m in rest)
