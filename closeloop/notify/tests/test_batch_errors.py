"""An unexpected error (not the database's) in the middle of a batch, outside a transaction, while the record of
the previous mail is in flight: on PostgreSQL sent over the worker's own connection (`pglane`) with its answer not
read yet, on SQLite on the recording thread.

Nothing is lost: each message ends sent or due again, none waits for its lease; nothing is sent twice; the
connection is ready for the next claim; and `closeloop worker` logs the error and goes on with the rest."""

import collections
import logging
import os
import signal
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from closeloop.notify import pglane, worker
from closeloop.notify.models import OutboxMessage, OutboxState
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import close_connections, handle_batch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.OUTBOX_LEASE_SECONDS = 600  # a message left to its lease would not come back during the test
    settings.OUTBOX_RETRY_BASE_SECONDS = 0  # one whose attempt went wrong is due again at once
    yield
    close_connections()


@pytest.fixture
def crash_once(monkeypatch):
    """The worker fails once, unexpectedly, as it turns to the mail to p2: the record of p1 is in flight."""
    attempt, crashed = worker._attempt, []

    def crashing(message, transport, gate=None):
        if message.address == "p2@example.com" and not crashed:
            crashed.append(message.pk)
            raise RuntimeError("unexpected, in the middle of the batch")
        return attempt(message, transport, gate)

    monkeypatch.setattr(worker, "_attempt", crashing)
    return crashed


def queue(n):
    return [outbox_enqueue(key=f"m:{i}", address=f"p{i}@example.com", kind="reminder", subject=f"提醒 {i}",
                           body_text="明天到期", not_before=timezone.now()) for i in range(n)]


def rows():
    return {m.address: m for m in OutboxMessage.objects.all()}


def received(smtp):
    return collections.Counter(address for envelope in smtp.envelopes for address in envelope.rcpt_tos)


def test_the_batch_gives_back_what_it_did_not_send_and_leaves_the_connection_ready(smtp_server, crash_once):  # noqa: F811
    queue(6)
    assert pglane.usable() == (connection.vendor == "postgresql")
    with pytest.raises(RuntimeError):
        handle_batch(size=20)
    now, after = timezone.now(), rows()
    assert [after[f"p{i}@example.com"].state for i in range(6)] == ["sent"] * 2 + ["pending"] * 4
    assert all(after[f"p{i}@example.com"].next_attempt_at <= now for i in range(2, 6))  # none waits for its lease
    assert [after[f"p{i}@example.com"].attempts for i in range(2, 6)] == [1, 0, 0, 0]  # p2's attempt was made
    assert "RuntimeError" in after["p2@example.com"].last_error
    assert handle_batch(size=20) == 4  # the next claim finds the record's answer read
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}
    assert received(smtp_server) == {f"p{i}@example.com": 1 for i in range(6)}


def test_the_worker_logs_the_error_and_goes_on_with_the_rest(smtp_server, crash_once, caplog):  # noqa: F811
    queue(6)
    returned = threading.Event()

    def stop_when_all_arrived():
        deadline = time.monotonic() + 30
        while len(smtp_server.envelopes) < 6 and time.monotonic() < deadline and not returned.is_set():
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    # A SIGTERM that comes after the command has returned (it stopped on its own) must not end the test run.
    before = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    stopper = threading.Thread(target=stop_when_all_arrived)
    stopper.start()
    out = StringIO()
    try:
        with caplog.at_level(logging.ERROR, logger="closeloop.notify.worker"):
            call_command("worker", "--no-scans", "--interval", "0.1", stdout=out)
    finally:
        returned.set()
        stopper.join()
        signal.signal(signal.SIGTERM, before)
    assert crash_once and received(smtp_server) == {f"p{i}@example.com": 1 for i in range(6)}
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [RuntimeError]  # its traceback, once
    assert "Delivered or tried" in out.getvalue()


def test_a_mail_the_transport_cannot_build_is_retried_and_the_batch_goes_on(smtp_server):  # noqa: F811
    # A real unexpected error, no stand-in: base64 that does not decode raises binascii.Error in the transport.
    first, broken, last = queue(3)
    OutboxMessage.objects.filter(pk=broken.pk).update(
        attachments=[{"filename": "纪要.docx", "content_b64": "abc", "content_type": "application/octet-stream"}])
    assert handle_batch(size=20) == 3
    after = rows()
    assert [after[f"p{i}@example.com"].state for i in range(3)] == ["sent", "pending", "sent"]
    assert after["p1@example.com"].attempts == 1 and "Incorrect padding" in after["p1@example.com"].last_error
    assert received(smtp_server) == {"p0@example.com": 1, "p2@example.com": 1}
