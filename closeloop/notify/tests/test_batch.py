"""The worker's batches: due mail claimed together and sent over one SMTP connection, each outcome recorded on
its own; a refused address does not stop the batch; a stopping worker gives the rest back. Outside a transaction
the records run on their own thread while the next mail goes out, and each mail's acceptance waits for the
previous record (the gate)."""

import pytest
from django.utils import timezone

from closeloop.notify import pipeline
from closeloop.notify.models import DeliveryAttempt, OutboxMessage, OutboxState
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.transports.email import EmailTransport
from closeloop.notify.worker import close_connections, close_kept, handle_batch, handle_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorder():
    """The worker's own connections closed after the test (PostgreSQL drops the test database at the end)."""
    yield
    close_connections()


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


def test_a_gated_mail_is_accepted_only_after_its_gate_has_returned(smtp_server):  # noqa: F811
    # The worker records mail k while mail k+1 goes out, and holds k+1's last line until that record is in:
    # when the gate runs, the server has accepted exactly the mails before this one.
    transport, seen = EmailTransport(), []
    for message in queue(3):
        transport.send(message, gate=lambda: seen.append(len(smtp_server.envelopes)))
    transport.close()
    assert seen == [0, 1, 2] and len(smtp_server.envelopes) == 3
    assert len(set(smtp_server.peers)) == 1


def test_a_failing_gate_leaves_the_mail_unaccepted(smtp_server):  # noqa: F811
    first, second = queue(2)

    def record_failed():
        raise pipeline.RecordFailed("database gone")

    transport = EmailTransport()
    with pytest.raises(pipeline.RecordFailed):
        transport.send(first, gate=record_failed)
    transport.close()
    fresh = EmailTransport()
    fresh.send(second)
    fresh.close()
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["p1@example.com"]]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_each_mail_is_recorded_beside_the_next_send(smtp_server, recorder):  # noqa: F811
    queue(6)
    assert handle_batch(size=20) == 6
    assert OutboxMessage.objects.filter(state=OutboxState.SENT, attempts=1, sent_at__isnull=False).count() == 6
    assert DeliveryAttempt.objects.filter(ok=True).count() == 6
    assert len(smtp_server.envelopes) == 6 and len(set(smtp_server.peers)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_refusal_in_a_pipelined_batch_is_recorded_as_a_failure(smtp_server, recorder):  # noqa: F811
    queue(3)
    original = smtp_server.handle_DATA

    async def refuse_p1(server, session, envelope):
        if envelope.rcpt_tos == ["p1@example.com"]:
            return "550 5.1.1 user unknown"
        return await original(server, session, envelope)

    smtp_server.handle_DATA = refuse_p1
    assert handle_batch(size=20) == 3
    states = dict(OutboxMessage.objects.values_list("address", "state"))
    assert states == {"p0@example.com": "sent", "p1@example.com": "failed", "p2@example.com": "sent"}
    assert list(DeliveryAttempt.objects.order_by("message__address").values_list("ok", flat=True)) == [
        True, False, True]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_message_whose_last_attempt_never_reported_is_given_up(
        smtp_server, recorder, settings):  # noqa: F811
    # On PostgreSQL the claim counts the attempt in the same statement: a message already at its limit is
    # failed with its count as it was, and the rest of the batch goes out.
    settings.OUTBOX_MAX_ATTEMPTS = 3
    stuck, fresh = queue(2)
    OutboxMessage.objects.filter(pk=stuck.pk).update(attempts=3, last_error="SMTP 451: try later")
    assert handle_batch(size=20) == 2
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.state, stuck.attempts, stuck.last_error) == (OutboxState.FAILED, 3, "SMTP 451: try later")
    assert (fresh.state, fresh.attempts) == (OutboxState.SENT, 1)
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["p1@example.com"]]


@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_its_smtp_connection_from_one_batch_to_the_next(smtp_server, recorder):  # noqa: F811
    queue(5)
    kept = {}
    assert handle_batch(size=2, kept=kept) == 2
    assert handle_batch(size=2, kept=kept) == 2
    assert kept  # still open for the next batch
    close_kept(kept)
    assert not kept
    assert handle_batch(size=2, kept=kept) == 1
    close_kept(kept)
    assert len(smtp_server.envelopes) == 5 and len(set(smtp_server.peers)) == 2
