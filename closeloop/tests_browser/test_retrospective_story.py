"""In Chromium, seed 002 stage 5: the initiator completes the request, the worker's reminder leads to planning the
retrospective, the meeting is held, the findings and an improvement measure are recorded, the report is approved and
sent, and the measure appears in its owner's list of action items."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from closeloop.collab.testing import memos_flushable  # noqa: F401  (fixture)
from closeloop.collab.tests.conftest import parties, sent, with_meeting  # noqa: F401  (fixtures)
from closeloop.minutes.testing import minutes_flushable  # noqa: F401  (fixture)
from closeloop.notify.models import OutboxMessage
from closeloop.notify.services import LINK_HEADER
from closeloop.retro.models import Retrospective
from closeloop.retro.scans import scan_retrospectives_due
from closeloop.retro.tests.conftest import accepted, done, items  # noqa: F401  (fixtures)
from closeloop.tests_browser.signin import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


_as = signed_in_page


def test_a_completed_request_goes_to_a_sent_report_and_improvement_items(  # noqa: F811
        browser, live_server, parties, done, accepted, memos_flushable, minutes_flushable):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    host = _as(browser, base, "host")
    host.goto(f"{base}/requests/{accepted.pk}/")
    host.click("#complete-request button[type=submit]")
    host.wait_for_url(f"{base}/retrospectives/*/")
    expect(host.locator("#retro-state")).to_have_text("待安排复盘")
    retro = Retrospective.objects.get(request=accepted)

    # The worker reminds the initiator on the working day before the deadline; the message links to the page.
    scan_retrospectives_due(now=timezone.now() + dt.timedelta(days=(retro.due - timezone.localdate()).days))
    reminder = OutboxMessage.objects.filter(kind="reminder.retrospective", recipient=parties["host"]).first()
    assert reminder is not None and "复盘" in reminder.subject
    host.goto(base + urlsplit(reminder.headers[LINK_HEADER]).path)

    # Planned for earlier today, so it has been held when the findings are recorded.
    start = timezone.localtime() - dt.timedelta(hours=2)
    host.fill("#id_plan-start", start.strftime("%Y-%m-%dT%H:%M"))
    host.fill("#id_plan-end", (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    host.fill("#id_plan-place", "301会议室")
    host.click("#plan-retro button[type=submit]")
    expect(host.locator("#retro-state")).to_have_text("复盘会已安排")
    expect(host.locator("#retro-meeting")).to_be_visible()

    host.select_option("#id_as-result_1", "partly")
    host.fill("#id_as-evidence_1", "手册按期，铺货晚2个工作日")
    host.fill("#id_as-reason_1", "促销员到岗晚")
    host.fill("#id_as-went_well", "需求说明清楚，答复及时")
    host.fill("#id_as-stuck", "人手到位晚")
    host.click("#assess button[type=submit]")
    expect(host.locator("#goals")).to_contain_text("部分达成")
    expect(host.locator("#facts-items")).to_contain_text("促销员到岗晚两天")  # the delay's reason, prefilled

    host.fill("#id_im-measure", "铺货排期提前两周锁定人手")
    host.select_option("#id_im-owner", str(parties["head"].pk))
    host.fill("#id_im-due", (timezone.localdate() + dt.timedelta(days=14)).isoformat())
    host.fill("#id_im-deliverable", "人力排期表")
    host.click("#add-improvement button[type=submit]")
    expect(host.locator("#improvements")).to_contain_text("铺货排期提前两周锁定人手")

    host.click("#send-report button[type=submit]")
    expect(host.locator("#retro-state")).to_have_text("报告已发送")
    expect(host.locator("#readers")).to_contain_text("赵经理")

    # The owner (销售部's head) finds the measure among their action items and acknowledges the report.
    head = _as(browser, base, "head")
    head.goto(f"{base}/actions/")
    expect(head.locator("body")).to_contain_text("铺货排期提前两周锁定人手")
    head.goto(f"{base}/retrospectives/{retro.pk}/")
    head.click("#acknowledge button[type=submit]")
    expect(head.locator("#readers")).to_contain_text("已确认阅读")
    head.goto(f"{base}/retrospectives/")
    expect(head.locator("#improvement-list")).to_contain_text("铺货排期提前两周锁定人手")
    for page in (host, head):
        assert page.errors == []
