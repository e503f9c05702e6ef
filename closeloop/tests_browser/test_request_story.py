"""In Chromium, seed 002's story: 市场部 asks 销售部 for help, 销售部 answers with a difficulty and a resource
request, the finance head approves it, 销售部 accepts, the meeting is planned from the request, the memo is
signed by both heads, and the request page shows it all."""

import datetime as dt

import pytest
from django.utils import timezone

from closeloop.collab.models import Memo, Request, ResourceRequest
from closeloop.collab.selectors import collab_policy_for
from closeloop.collab.testing import memos_flushable  # noqa: F401  (fixture)
from closeloop.collab.tests.conftest import parties  # noqa: F401  (fixture)
from closeloop.conftest import make_person
from closeloop.minutes.testing import minutes_flushable  # noqa: F401  (fixture)
from closeloop.org.choices import Role
from closeloop.tests_browser.signin import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


_as = signed_in_page


def _workday(n):
    day = timezone.localdate()
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def test_a_request_from_asking_to_a_signed_memo(browser, live_server, parties, memos_flushable,  # noqa: F811
                                                minutes_flushable):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    org = parties["admin"].organisation
    finance = parties["departments"]["finance"]
    finance.head = make_person(org, "finance_head", finance, role=Role.HEAD, name="钱经理")
    finance.save()
    policy = collab_policy_for(org)
    policy.finance_department = finance
    policy.save()

    # 市场部 asks 销售部.
    host = _as(browser, base, "host")
    host.click("nav a[href='/requests/']")
    host.click("a[href='/requests/new/']")
    host.fill("#id_subject", "Q3推广上线支持")
    host.get_by_label("销售部").check()
    host.fill("#id_what", "7月1日前完成前20大渠道铺货")
    host.fill("#id_why", "新品7月上市")
    host.fill("#id_due", _workday(20).isoformat())
    host.fill("#id_acceptance_standard", "铺货覆盖前20大渠道")
    host.click("form.meetingform button[type=submit]")
    host.wait_for_url(f"{base}/requests/*/")
    request = Request.objects.get(subject="Q3推广上线支持")
    expect(host.locator("#request-state")).to_have_text("待答复")

    # 销售部's head answers with a difficulty, then asks for the resources.
    head = _as(browser, base, "head")
    head.click("nav a[href='/requests/']")
    head.click("a[href='?tab=to_answer']")
    head.click(f"a[href='/requests/{request.pk}/']")
    form = head.locator("form.answer-form")
    form.locator("input[value=difficulty]").check()
    form.locator("input[value=people]").check()
    form.locator("input[value=budget]").check()
    form.locator("textarea[name$=note]").fill("现有人手不足")
    form.locator("textarea[name$=resource_request]").fill("7月临时促销员2名,预算2万元")
    form.locator("button[type=submit]").click()
    expect(head.locator("#request-state")).to_have_text("待解决困难")
    head.click(f"a[href='/requests/{request.pk}/resources/new/']")
    expect(head.locator("#id_reason")).to_have_value("7月临时促销员2名,预算2万元")
    head.fill("#id_title", "Q3铺货临时促销员")
    head.fill("#id_people", "临时促销员, 2, 7月")
    head.fill("#id_budget_amount", "20000")
    head.select_option("#id_budget_category", "personnel")
    head.click("form.meetingform button[type=submit]")
    head.wait_for_url(f"{base}/requests/resources/*/")
    expect(head.locator("#resource-state")).to_have_text("审批中")
    resource = ResourceRequest.objects.get()
    assert resource.chain == ["finance"]  # the head asked: their own step is skipped

    # The finance head approves from the approval page.
    finance_head = _as(browser, base, "finance_head")
    finance_head.goto(f"{base}/requests/resources/{resource.pk}/")
    finance_head.fill("#decide textarea[name=reason]", "在Q3推广预算内")
    finance_head.click("#decide button.primary")
    expect(finance_head.locator("#resource-state")).to_have_text("已批准")

    # 销售部 accepts now that the budget is there.
    head.goto(f"{base}/requests/{request.pk}/")
    form = head.locator("form.answer-form")
    form.locator("input[value=accept]").check()
    form.locator("textarea[name$=note]").fill("预算已批准,接收")
    form.locator("button[type=submit]").click()
    expect(head.locator("#request-state")).to_have_text("已接收")

    # The host plans the meeting from the request, then drafts the memo and sends it for signature.
    host.goto(f"{base}/requests/{request.pk}/")
    day = _workday(5).isoformat()
    host.fill("#id_plan-start", f"{day}T14:00")
    host.fill("#id_plan-end", f"{day}T15:00")
    host.fill("#id_plan-place", "3楼会议室A")
    host.click("#plan-meeting button[type=submit]")
    host.wait_for_url(f"{base}/meetings/*/")
    expect(host.locator("body")).to_contain_text("赵经理")  # 销售部's head invited as decision-maker
    host.goto(f"{base}/requests/{request.pk}/")
    host.click("#memo button[type=submit]")
    host.wait_for_url(f"{base}/requests/memos/*/")
    host.fill("#id_dispute", "分歧由双方负责人协商,3个工作日内未决的提请PMO裁决")
    host.click("#memo-editor button[type=submit]")
    host.click("form[action$='/submit/'] button")
    expect(host.locator("#memo-state")).to_have_text("签署中")
    memo = Memo.objects.get()

    # Both heads sign.
    market_head = _as(browser, base, "market_head")
    for signer in (market_head, head):
        signer.goto(f"{base}/requests/memos/{memo.pk}/")
        signer.click("#signatures button.primary")
    expect(head.locator("#memo-state")).to_have_text("已签署")

    # The request page tells the whole story.
    host.goto(f"{base}/requests/{request.pk}/")
    expect(host.locator("#departments")).to_contain_text("已接收")
    expect(host.locator("#resources")).to_contain_text("已批准")
    expect(host.locator("#meetings")).to_contain_text("Q3推广上线支持")
    expect(host.locator("#memo")).to_contain_text("已签署")
    expect(host.locator("#story")).to_contain_text("说明困难")
    for page in (host, head, finance_head, market_head):
        assert page.errors == []
