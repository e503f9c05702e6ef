"""Issue 12 point 3: each review step tells the person whose turn it is; late sign-offs are chased by the
worker (the head after N working days, then the PMO); a head's substitute signs; a sign-off is announced."""

import datetime as dt

import pytest
from django.urls import reverse

from closeloop.conftest import SHANGHAI
from closeloop.meetings.choices import Response
from closeloop.meetings.services.planning import participant_set
from closeloop.minutes import services
from closeloop.minutes.models import SignOff
from closeloop.minutes.rules import SIGNOFF_REMINDER_WORKDAYS
from closeloop.minutes.scans import scan_signoffs
from closeloop.minutes.signals import minutes_signed
from closeloop.notify.models import InboxItem, OutboxMessage
from closeloop.notify.scans import SCANS
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db


def inbox_of(person, kind):
    return list(InboxItem.objects.filter(recipient=person, kind=kind))


def test_submitting_tells_the_host_returning_tells_the_recorder_why(smtp_server, cast, draft):  # noqa: F811
    services.minutes_submit(actor=cast["recorder"], minutes=draft)
    drain_outbox()
    [to_host] = inbox_of(cast["host"], "minutes.submit")
    assert "待审核" in to_host.title or "review" in to_host.title.lower()
    assert to_host.link.endswith(reverse("minutes:detail", args=[draft.pk]))
    assert not inbox_of(cast["recorder"], "minutes.submit")  # the one who submits is not told
    services.minutes_return(actor=cast["host"], minutes=draft, comment="请补充财务部意见")
    drain_outbox()
    [to_recorder] = inbox_of(cast["recorder"], "minutes.return")
    assert "请补充财务部意见" in to_recorder.body
    mail = [m for m in smtp_server.messages() if "recorder@example.com" in m["To"]][-1]
    assert "请补充财务部意见" in mail.get_body(("plain",)).get_content()


def test_approving_tells_the_recorder(cast, in_review):
    services.minutes_approve(actor=cast["host"], minutes=in_review)
    drain_outbox()
    assert inbox_of(cast["recorder"], "minutes.approve")


def test_the_distribution_and_the_sign_off_request_reach_the_inbox_with_a_link_to_act(cast, distributed):
    drain_outbox()
    [request] = InboxItem.objects.filter(recipient=cast["head"], kind="minutes.signoff")
    signoff = SignOff.objects.get(minutes=distributed.minutes, head=cast["head"])
    assert request.link.endswith(reverse("minutes:signoff_token", args=[signoff.token]))
    assert InboxItem.objects.filter(recipient=cast["member"], kind="minutes.distributed").exists()


def test_a_late_sign_off_is_chased_then_the_pmo_is_told(smtp_server, cast, distributed):  # noqa: F811
    assert "minutes_signoffs" in SCANS
    minutes = distributed.minutes
    sent = dt.datetime(2026, 6, 16, 10, tzinfo=SHANGHAI)  # a Tuesday
    type(minutes).objects.filter(pk=minutes.pk).update(distributed_at=sent)
    assert scan_signoffs(now=sent + dt.timedelta(days=1)) == 0  # one working day: not late yet
    reminder_day = sent + dt.timedelta(days=SIGNOFF_REMINDER_WORKDAYS)
    assert scan_signoffs(now=reminder_day) > 0
    assert scan_signoffs(now=reminder_day) == 0  # once, however often the worker runs it
    drain_outbox()
    [reminder] = inbox_of(cast["head"], "minutes.signoff_reminder")  # one department, one reminder
    assert "会议纪要" in reminder.title or "minutes" in reminder.title
    assert not inbox_of(cast["admin"], "escalation.signoff")
    scan_signoffs(now=sent + dt.timedelta(days=2 * SIGNOFF_REMINDER_WORKDAYS + 6))  # past a weekend and 端午
    drain_outbox()
    to_pmo = inbox_of(cast["admin"], "escalation.signoff")  # one per department that has not signed
    assert len(to_pmo) == len(distributed.signoffs)
    assert any("销售部" in item.title for item in to_pmo)
    assert inbox_of(cast["host"], "escalation.signoff")  # the host sees who has not signed
    assert any("admin@example.com" in m["To"] for m in smtp_server.messages())


def test_a_signed_sign_off_is_not_chased(cast, distributed):
    minutes = distributed.minutes
    for signoff in distributed.signoffs:
        services.minutes_sign_off(signoff=signoff, actor=signoff.head)
    late = minutes.distributed_at + dt.timedelta(days=14)
    assert scan_signoffs(now=late) == 0


def test_the_host_sees_who_has_not_signed(client_for, cast, distributed):
    html = client_for(cast["host"]).get(reverse("minutes:detail", args=[distributed.minutes.pk])).content.decode()
    assert 'data-signed="0"' in html and "赵经理" in html


def test_a_sign_off_sends_the_minutes_signed_signal(cast, distributed):
    heard = []

    def listen(sender, minutes, signoff, all_signed, **kwargs):
        heard.append((minutes.pk, signoff.department_id, all_signed))

    minutes_signed.connect(listen)
    try:
        first, *rest = distributed.signoffs
        services.minutes_sign_off(signoff=first, actor=first.head)
        for signoff in rest:
            services.minutes_sign_off(signoff=signoff, actor=signoff.head)
    finally:
        minutes_signed.disconnect(listen)
    assert heard[0][:2] == (distributed.minutes.pk, first.department_id)
    assert heard[-1][2] is True and len(heard) == len(distributed.signoffs)


def test_the_substitute_of_a_head_signs_for_the_department(cast, meeting, approved, client_for):
    head = cast["head"]
    participant_set(actor=cast["host"], meeting=meeting, person=head, roles=["decision_maker"])
    participant = meeting.participants.get(person=head)
    participant.response, participant.substitute = Response.SUBSTITUTE, cast["zhao"]
    participant.save()
    result = services.minutes_distribute(actor=cast["recorder"], minutes=approved)
    [signoff] = [s for s in result.signoffs if s.department_id == cast["departments"]["sales"].pk]
    assert signoff.head == cast["zhao"]
    client = client_for(cast["zhao"])
    response = client.post(reverse("minutes:signoff", args=[approved.pk]), {"comment": "代王经理签"})
    assert response.status_code in (200, 302)
    signoff.refresh_from_db()
    assert signoff.signed_at is not None
    assert not OutboxMessage.objects.filter(kind="minutes.signoff", recipient=cast["outsider"]).exists()
