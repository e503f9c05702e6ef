"""The demo's requests: one that went all the way to a signed memo, and one waiting past its deadline."""

import datetime as dt

import pytest

from closeloop.collab.models import Memo, Request, ResourceRequest
from closeloop.collab.scans import scan_unanswered
from closeloop.demo.organisation import demo_load
from closeloop.demo.requests import LATE_SUBJECT, SUBJECT
from closeloop.notify.models import OutboxMessage

TODAY = dt.date(2026, 9, 30)


@pytest.fixture
def demo(db):
    return demo_load(today=TODAY)


def test_the_q3_request_went_from_a_difficulty_to_a_signed_memo(demo):
    request = Request.objects.get(organisation=demo, subject=SUBJECT)
    assert request.state == "accepted"
    answers = {r.department.name: r for r in request.receipts.select_related("department")}
    assert answers["产品部"].state == answers["销售部"].state == "accepted"
    assert request.events.filter(answer="difficulty", receipt=answers["销售部"]).exists()
    resource = ResourceRequest.objects.get(request=request)
    assert resource.state == "approved" and resource.chain == ["finance"]
    assert resource.approvals.get().approver.username == "qian.finance"
    assert request.meeting_links.get().meeting.title == "项目Q3推广跨部门协作会"
    memo = Memo.objects.get(request=request)
    assert memo.state == "signed" and memo.signatures.filter(signed_at__isnull=False).count() == 3


def test_the_late_request_is_reminded_and_escalated_by_the_worker(demo):
    late = Request.objects.get(organisation=demo, subject=LATE_SUBJECT)
    receipt = late.receipts.get()
    assert receipt.state == "pending" and receipt.answer_due < TODAY
    from closeloop.conftest import SHANGHAI

    assert scan_unanswered(now=dt.datetime(2026, 9, 30, 9, tzinfo=SHANGHAI)) > 0
    assert OutboxMessage.objects.filter(kind="reminder.request", recipient__username="qian.finance").exists()
    assert OutboxMessage.objects.filter(kind="escalation.request", recipient__username="pmo").exists()


def test_reloading_keeps_the_signed_memo_and_rebuilds_the_rest(demo):
    demo_load(reset=True, today=TODAY)
    assert Request.objects.filter(organisation=demo, subject=SUBJECT).count() == 1
    assert Request.objects.filter(organisation=demo, subject=LATE_SUBJECT).count() == 1
    request = Request.objects.get(organisation=demo, subject=SUBJECT)
    assert request.meeting_links.filter(meeting__title="项目Q3推广跨部门协作会").count() == 1
