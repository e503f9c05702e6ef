"""The outbox for the organisation's administrators (role administrator / PMO, no Django staff account needed):
the page, the API and the command line; a person's own undelivered messages; the alert when a channel fails."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from closeloop.audit.models import AuditEntry
from closeloop.conftest import make_person
from closeloop.notify.models import InboxItem, OutboxMessage, OutboxState
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox
from closeloop.org.choices import Role
from closeloop.org.models import Organisation

pytestmark = pytest.mark.django_db
BOUNCE = "Recipient refused: {'nobody@example.com': (550, b'5.1.1 <nobody@example.com>: user unknown')}"


def message(person, key, *, state=OutboxState.FAILED, channel="email", error=BOUNCE, attempts=8, age_minutes=30):
    m = outbox_enqueue(key=key, recipient=person, address=person.email, kind="reminder", channel=channel,
                       subject=f"提醒 {key}", body_text="明天到期", not_before=timezone.now())
    created = timezone.now() - dt.timedelta(minutes=age_minutes)
    OutboxMessage.objects.filter(pk=m.pk).update(state=state, last_error=error, attempts=attempts, created_at=created)
    m.refresh_from_db()
    return m


@pytest.fixture
def backlog(people):
    return {
        "bounced": message(people["member"], "b:1"),
        "waiting": message(people["host"], "w:1", state=OutboxState.PENDING, error="SMTP 451: busy", attempts=2,
                           age_minutes=90),
        "inbox_failed": message(people["head"], "i:1", channel="inbox", error="no active recipient"),
        "sent": message(people["host"], "s:1", state=OutboxState.SENT, error="", attempts=1),
    }


@pytest.fixture
def elsewhere(db):
    other = Organisation.objects.create(name="别的公司")
    stranger = make_person(other, "stranger")
    return message(stranger, "x:1")


# --- the page ----------------------------------------------------------------------------------------------

def test_the_administrator_sees_failed_and_pending_messages_with_their_last_error(client, people, backlog, elsewhere):
    client.force_login(people["admin"])
    response = client.get("/notify/outbox/")
    assert response.status_code == 200
    page = response.content.decode()
    shown = {m.pk for m in response.context["page"].object_list}
    assert shown == {backlog["bounced"].pk, backlog["waiting"].pk, backlog["inbox_failed"].pk}
    assert elsewhere.pk not in shown  # another organisation's outbox is not this administrator's
    assert "user unknown" in page and "SMTP 451: busy" in page
    summary = response.context["summary"]
    assert (summary["failed"], summary["pending"]) == (2, 1)
    assert dt.timedelta(minutes=89) < summary["oldest_pending_age"] < dt.timedelta(minutes=92)
    assert 'id="nav-outbox"' in page


@pytest.mark.parametrize("who", ["head", "member", "host", "outsider"])
def test_anyone_but_an_administrator_gets_404_on_the_page_and_its_actions(client, people, backlog, who):
    client.force_login(people[who])
    assert client.get("/notify/outbox/").status_code == 404
    assert client.post(f"/notify/outbox/{backlog['bounced'].pk}/retry/").status_code == 404
    assert client.post("/notify/outbox/retry-failed/").status_code == 404
    assert OutboxMessage.objects.filter(state=OutboxState.FAILED).count() == 2


def test_the_page_filters_by_channel_recipient_and_state(client, people, backlog):
    client.force_login(people["admin"])
    listed = lambda query: {m.pk for m in client.get(f"/notify/outbox/?{query}").context["page"].object_list}  # noqa: E731
    assert listed("channel=inbox") == {backlog["inbox_failed"].pk}
    assert listed("recipient=member") == {backlog["bounced"].pk}
    assert listed("state=pending") == {backlog["waiting"].pk}
    assert listed("state=sent") == {backlog["sent"].pk}
    assert listed("state=bogus") == {backlog["bounced"].pk, backlog["waiting"].pk, backlog["inbox_failed"].pk}


def test_the_page_takes_the_same_few_queries_for_many_messages(client, people, django_assert_max_num_queries):
    for i in range(40):
        message(people["member"] if i % 2 else people["host"], f"many:{i}")
    client.force_login(people["admin"])
    with django_assert_max_num_queries(14):
        assert client.get("/notify/outbox/").status_code == 200


def test_retrying_one_message_queues_it_again_with_fresh_attempts_and_an_audit_row(client, people, backlog):
    client.force_login(people["admin"])
    bounced = backlog["bounced"]
    response = client.post(f"/notify/outbox/{bounced.pk}/retry/", {"next": "/notify/outbox/?channel=email"})
    assert response.status_code == 302 and response["Location"] == "/notify/outbox/?channel=email"
    bounced.refresh_from_db()
    assert bounced.state == OutboxState.PENDING and bounced.attempts == 0
    assert bounced.next_attempt_at <= timezone.now()
    assert AuditEntry.objects.filter(action="outbox.retry", object_id=str(bounced.pk), actor=people["admin"]).exists()
    assert client.post(f"/notify/outbox/{backlog['sent'].pk}/retry/").status_code == 302  # refused with a message
    assert OutboxMessage.objects.get(pk=backlog["sent"].pk).state == OutboxState.SENT


def test_retrying_every_failed_message_of_a_channel_leaves_the_others(client, people, backlog, elsewhere):
    client.force_login(people["admin"])
    client.post("/notify/outbox/retry-failed/", {"channel": "inbox"})
    states = dict(OutboxMessage.objects.values_list("idempotency_key", "state"))
    assert states["i:1"] == "pending" and states["b:1"] == "failed"
    client.post("/notify/outbox/retry-failed/")
    assert OutboxMessage.objects.get(pk=backlog["bounced"].pk).state == "pending"
    assert OutboxMessage.objects.get(pk=elsewhere.pk).state == "failed"  # not this organisation's


def test_another_organisations_message_is_not_found(client, people, elsewhere):
    client.force_login(people["admin"])
    assert client.post(f"/notify/outbox/{elsewhere.pk}/retry/").status_code == 404
    assert client.post(f"/api/v1/notify/outbox/{elsewhere.pk}/retry").status_code == 404


# --- the API -----------------------------------------------------------------------------------------------

def test_the_api_lists_failed_messages_for_the_administrator(client, people, backlog):
    client.force_login(people["admin"])
    data = client.get("/api/v1/notify/outbox?state=failed").json()
    assert {m["id"] for m in data["items"]} == {backlog["bounced"].pk, backlog["inbox_failed"].pk}
    bounced = next(m for m in data["items"] if m["id"] == backlog["bounced"].pk)
    assert bounced["last_error"] == BOUNCE and bounced["attempts"] == 8 and bounced["recipient_name"] == "王销售"
    summary = client.get("/api/v1/notify/outbox/summary").json()
    assert summary["failed"] == 2 and summary["pending"] == 1 and summary["oldest_pending_age_seconds"] > 5000


def test_the_api_retries_one_message_and_every_failed_one(client, people, backlog):
    client.force_login(people["admin"])
    response = client.post(f"/api/v1/notify/outbox/{backlog['bounced'].pk}/retry")
    assert response.status_code == 200 and response.json()["state"] == "pending" and response.json()["attempts"] == 0
    response = client.post(f"/api/v1/notify/outbox/{backlog['sent'].pk}/retry")
    assert response.status_code == 422 and "state" in response.json()["errors"]
    response = client.post("/api/v1/notify/outbox/retry-failed", {"channel": "inbox"}, content_type="application/json")
    assert response.json() == {"queued": 1}


def test_the_api_names_a_bad_filter(client, people):
    client.force_login(people["admin"])
    response = client.get("/api/v1/notify/outbox?state=lost")
    assert response.status_code == 422 and "state" in response.json()["errors"]


@pytest.mark.parametrize("who", ["head", "member"])
def test_the_api_answers_404_to_anyone_but_an_administrator(client, people, backlog, who):
    client.force_login(people[who])
    assert client.get("/api/v1/notify/outbox?state=failed").status_code == 404
    assert client.get("/api/v1/notify/outbox/summary").status_code == 404
    assert client.post(f"/api/v1/notify/outbox/{backlog['bounced'].pk}/retry").status_code == 404
    assert client.post("/api/v1/notify/outbox/retry-failed", {}, content_type="application/json").status_code == 404
    assert OutboxMessage.objects.get(pk=backlog["bounced"].pk).state == OutboxState.FAILED


# --- the command line --------------------------------------------------------------------------------------

def run(*args):
    out = StringIO()
    call_command("outbox", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_failed_messages_with_their_first_error_line(backlog):
    output = run("list", "--failed")
    assert output.startswith("2 failed, 1 pending (1 due), oldest pending 1 h")
    lines = output.splitlines()[1:]
    assert len(lines) == 2 and any("user unknown" in line and "nobody@example.com" in line for line in lines)
    assert "SMTP 451" in run("list", "--pending")


def test_the_command_retries_one_or_every_failed_message(backlog):
    assert run("retry", str(backlog["bounced"].pk)) == f"Message {backlog['bounced'].pk} queued again.\n"
    assert OutboxMessage.objects.get(pk=backlog["bounced"].pk).state == "pending"
    assert run("retry", "--all-failed") == "1 failed message(s) queued again.\n"
    assert not OutboxMessage.objects.filter(state="failed").exists()
    with pytest.raises(CommandError, match="No outbox message"):
        run("retry", "999999")
    with pytest.raises(CommandError, match="delivered|已送达"):  # in the server's language
        run("retry", str(backlog["sent"].pk))


# --- one's own undelivered messages ------------------------------------------------------------------------

def test_a_person_sees_their_own_undelivered_messages_on_their_preferences_page(client, people, backlog):
    client.force_login(people["member"])
    response = client.get("/notify/preferences/")
    assert [m.pk for m in response.context["undelivered"]] == [backlog["bounced"].pk]
    assert "user unknown" in response.content.decode()
    client.force_login(people["outsider"])
    assert list(client.get("/notify/preferences/").context["undelivered"]) == []


# --- administrators are told when a channel starts failing -------------------------------------------------

def test_administrators_hear_in_their_inbox_once_when_mail_starts_failing(people, smtp_server, settings):  # noqa: F811
    second_admin = make_person(people["admin"].organisation, "pmo2", role=Role.ADMIN, language="en")
    smtp_server.fail_always = True
    smtp_server.fail_reply = "550 5.1.1 user unknown"
    for i in range(3):
        outbox_enqueue(key=f"bounce:{i}", recipient=people["member"], address=f"gone{i}@example.com", kind="reminder",
                       subject=f"提醒 {i}", body_text="明天到期", not_before=timezone.now())
    drain_outbox()
    assert OutboxMessage.objects.filter(kind="reminder", state=OutboxState.FAILED).count() == 3
    alerts = InboxItem.objects.filter(kind="outbox.failing").order_by("recipient__username")
    assert [a.recipient.username for a in alerts] == ["admin", "pmo2"]  # one each, not one per failed message
    assert alerts[0].title == "邮件渠道的消息开始发送失败"
    assert alerts[1].title == "Messages are failing on Email"
    assert "550" in alerts[1].body and alerts[1].link.endswith("/notify/outbox/?channel=email")
    assert second_admin.inbox_items.count() == 1
    assert not InboxItem.objects.filter(recipient__in=[people["head"], people["member"]]).exists()


def test_a_single_hiccup_that_will_be_retried_alerts_nobody(people, smtp_server):  # noqa: F811
    smtp_server.fail_next = 1
    outbox_enqueue(key="hiccup", recipient=people["member"], address="m@example.com", kind="reminder",
                   subject="提醒", body_text="明天到期", not_before=timezone.now())
    drain_outbox()
    assert not InboxItem.objects.filter(kind="outbox.failing").exists()
