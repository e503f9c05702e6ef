"""The outbox and its worker, against a real SMTP server on 127.0.0.1."""

import datetime as dt
import os
import signal
import threading
from io import StringIO

import pytest
from django.core.mail.message import sanitize_address
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from closeloop.lib.lookups import AnyOf
from closeloop.notify.bulk import outbox_enqueue_many
from closeloop.notify.models import DeliveryAttempt, OutboxMessage, OutboxState
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.transports.email import envelope_address, message_id_for
from closeloop.notify.worker import _claim, drain_outbox, handle_one, retry_delay

pytestmark = pytest.mark.django_db


def enqueue(key="test:1", address="wang@example.com", **extra):
    data = {"key": key, "address": address, "kind": "test", "subject": "会议通知 test",
            "body_text": "正文 body", "body_html": "<p>正文</p>", **extra}
    return outbox_enqueue(**data)


def test_enqueueing_the_same_key_twice_keeps_one_row():
    first = enqueue(subject="first")
    second = enqueue(subject="second")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().subject == "first"


def test_a_bulk_enqueue_skips_a_key_a_racing_scan_queued_meanwhile_and_queues_the_rest():
    # The scans leave out the keys already queued (checked=True), then insert; on PostgreSQL in one COPY,
    # which cannot skip a row: a key queued in between makes it fall back to INSERT … ON CONFLICT DO NOTHING.
    enqueue(key="race:1", subject="first")
    rows = [{"key": f"race:{i}", "address": f"p{i}@example.com", "kind": "test", "subject": f"bulk {i}",
             "body_text": "正文", "headers": {"Content-Language": "zh-hans"}} for i in range(3)]
    outbox_enqueue_many(rows, checked=True)
    assert dict(OutboxMessage.objects.values_list("idempotency_key", "subject")) == {
        "race:0": "bulk 0", "race:1": "first", "race:2": "bulk 2"}
    queued = OutboxMessage.objects.get(idempotency_key="race:2")
    assert queued.headers == {"Content-Language": "zh-hans"} and queued.attachments == []
    assert queued.state == OutboxState.PENDING and queued.next_attempt_at <= timezone.now()


def test_the_queued_keys_are_looked_up_as_one_array_on_postgresql():
    for i in range(3):
        enqueue(key=f"any:{i}")
    found = OutboxMessage.objects.filter(AnyOf(F("idempotency_key"), ["any:0", "any:2", "any:9"]))
    assert sorted(found.values_list("idempotency_key", flat=True)) == ["any:0", "any:2"]
    assert not OutboxMessage.objects.filter(AnyOf(F("idempotency_key"), [])).exists()
    sql = str(found.query)
    assert ("= ANY(" in sql) if connection.vendor == "postgresql" else (" IN (" in sql)


@pytest.mark.parametrize("address", [
    "p1@example.com", "Wang.Wei+minutes@Example.COM", "o'neil@mail.example.cn", "a_b-c@x-y.example",
    "王伟@example.com", "wang@例子.中国", "Wang Wei <wang@example.com>", '"a b"@example.com', "a..b@example.com",
    ".a@example.com", "a@b..example.com", "a@-b.example.com"])
def test_the_worker_sends_the_envelope_address_djangos_backend_would(address):
    def outcome(sanitize):
        try:
            return sanitize(address, "utf-8")
        except ValueError as exc:
            return type(exc)

    assert outcome(envelope_address) == outcome(sanitize_address)


def test_a_rolled_back_transaction_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the causing change failed")
    assert not OutboxMessage.objects.exists()


def test_the_worker_delivers_over_smtp_with_a_message_id_from_the_key(smtp_server):  # noqa: F811
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    msg = enqueue(attachments=[{"filename": "invite.ics", "content_type": "text/calendar; method=REQUEST",
                                "content": ics}], headers={"Content-Language": "zh-hans"})
    assert drain_outbox() == 1
    msg.refresh_from_db()
    assert msg.state == OutboxState.SENT and msg.sent_at is not None and msg.attempts == 1
    assert list(msg.attempt_log.values_list("ok", flat=True)) == [True]
    [mail] = smtp_server.messages()
    assert mail["To"] == "wang@example.com"
    assert mail["Subject"] == "会议通知 test"
    assert mail["Message-ID"] == message_id_for("test:1")
    assert mail["Content-Language"] == "zh-hans"
    assert "正文 body" in mail.get_body(("plain",)).get_content()
    assert "<p>正文</p>" in mail.get_body(("html",)).get_content()
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    assert "METHOD:REQUEST" in part.get_content()


def test_nothing_due_means_nothing_handled(smtp_server):  # noqa: F811
    enqueue()
    assert handle_one(now=timezone.now() - dt.timedelta(hours=1)) is False
    assert smtp_server.messages() == []


def test_a_transient_failure_is_retried_with_backoff_then_delivered(smtp_server, settings):  # noqa: F811
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    smtp_server.fail_next = 2
    msg = enqueue()
    now = timezone.now()
    assert handle_one(now=now) is True
    msg.refresh_from_db()
    assert msg.state == OutboxState.PENDING and msg.attempts == 1
    assert "451" in msg.last_error
    assert msg.next_attempt_at == now + dt.timedelta(seconds=60)
    assert handle_one(now=now + dt.timedelta(seconds=59)) is False  # not due yet

    assert handle_one(now=now + dt.timedelta(seconds=60)) is True
    msg.refresh_from_db()
    assert msg.attempts == 2
    assert msg.next_attempt_at == now + dt.timedelta(seconds=60 + 120)  # doubled

    assert handle_one(now=now + dt.timedelta(seconds=180)) is True
    msg.refresh_from_db()
    assert msg.state == OutboxState.SENT and msg.last_error == ""
    assert list(msg.attempt_log.values_list("ok", flat=True)) == [False, False, True]
    assert "451" in msg.attempt_log.first().error
    assert smtp_server.refused == 2 and len(smtp_server.messages()) == 1


def test_it_gives_up_after_the_limit_and_keeps_the_last_error(smtp_server, settings):  # noqa: F811
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.fail_always = True
    msg = enqueue()
    now = timezone.now()
    for _ in range(5):
        handle_one(now=now)
        now += dt.timedelta(days=1)
    msg.refresh_from_db()
    assert msg.state == OutboxState.FAILED
    assert msg.attempts == 3
    assert "451" in msg.last_error
    assert DeliveryAttempt.objects.filter(message=msg, ok=False).count() == 3
    assert smtp_server.refused == 3


def test_a_permanent_refusal_fails_at_once(smtp_server):  # noqa: F811
    smtp_server.fail_always = True
    smtp_server.fail_reply = "550 5.1.1 No such user here"
    msg = enqueue()
    drain_outbox()
    msg.refresh_from_db()
    assert msg.state == OutboxState.FAILED and msg.attempts == 1
    assert "550" in msg.last_error


def test_an_unreachable_server_is_a_transient_error(settings):
    from closeloop.notify.testing.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    msg = enqueue()
    drain_outbox()
    msg.refresh_from_db()
    assert msg.state == OutboxState.PENDING and msg.attempts == 1
    assert "Connection" in msg.last_error or "refused" in msg.last_error.lower()


def test_a_message_claimed_by_a_dead_worker_is_sent_again_after_the_lease(smtp_server, settings):  # noqa: F811
    settings.OUTBOX_LEASE_SECONDS = 600
    msg = enqueue()
    now = timezone.now()
    assert _claim(now).pk == msg.pk  # the worker dies here, before sending
    assert handle_one(now=now + dt.timedelta(seconds=599)) is False
    assert handle_one(now=now + dt.timedelta(seconds=601)) is True
    msg.refresh_from_db()
    assert msg.state == OutboxState.SENT and msg.attempts == 2
    assert smtp_server.messages()[0]["Message-ID"] == message_id_for(msg.idempotency_key)


def test_backoff_doubles_and_is_capped(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 60, 300
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 9)] == [60, 120, 240, 300, 300]


def test_the_worker_command_once_delivers_what_is_due_and_exits(smtp_server):  # noqa: F811
    enqueue("a:1", "a@example.com")
    enqueue("a:2", "b@example.com")
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert sorted(m["To"] for m in smtp_server.messages()) == ["a@example.com", "b@example.com"]
    assert "2 message" in out.getvalue()
    assert not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists()


def test_the_worker_command_stops_cleanly_on_sigterm(smtp_server):  # noqa: F811
    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    out = StringIO()
    started = timezone.now()
    call_command("worker", "--interval", "30", stdout=out)  # would sleep 30 s if the signal were ignored
    timer.cancel()
    assert (timezone.now() - started).total_seconds() < 10
    assert "Stopping" in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) == before


def test_the_admin_shows_a_failed_message_with_its_last_error(client, org):
    from closeloop.conftest import make_person

    boss = make_person(org, "root")
    boss.is_staff = boss.is_superuser = True
    boss.save()
    msg = enqueue()
    OutboxMessage.objects.filter(pk=msg.pk).update(state=OutboxState.FAILED, last_error="SMTP 550: no such user")
    client.force_login(boss)
    page = client.get("/admin/notify/outboxmessage/")
    assert page.status_code == 200
    assert "SMTP 550: no such user" in page.content.decode()
    detail = client.get(f"/admin/notify/outboxmessage/{msg.pk}/change/")
    assert "SMTP 550: no such user" in detail.content.decode()


def test_the_admin_action_queues_a_failed_message_again(client, org):
    from closeloop.conftest import make_person

    boss = make_person(org, "root")
    boss.is_staff = boss.is_superuser = True
    boss.save()
    msg = enqueue()
    OutboxMessage.objects.filter(pk=msg.pk).update(state=OutboxState.FAILED, attempts=8)
    client.force_login(boss)
    client.post("/admin/notify/outboxmessage/", {"action": "retry_now", "_selected_action": [msg.pk]})
    msg.refresh_from_db()
    assert msg.state == OutboxState.PENDING and msg.attempts == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_claim_the_same_message_on_postgresql():
    from django.db import connection, connections

    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite runs one worker")
    first, second = enqueue("k:1"), enqueue("k:2")
    locked, release = threading.Event(), threading.Event()

    def other_worker():  # holds the row lock on the first message, as a worker in the middle of a claim
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        claimed = _claim(timezone.now())
        assert claimed.pk == second.pk
    finally:
        release.set()
        thread.join()
