"""In Chromium: mail to an address the server refuses fails; the administrator (role PMO, no Django staff account)
hears of it in the inbox, finds it on the outbox page with its error, narrows the list to email and tries it
again once the address works; the recipient sees it on their preferences page meanwhile."""

import pytest
from django.utils import timezone

from closeloop.conftest import PASSWORD
from closeloop.notify.models import OutboxMessage, OutboxState
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox
from closeloop.tests_browser.conftest import audit_flushable, browser, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base, username):  # noqa: F811
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/meetings/")


def test_an_administrator_finds_a_failed_mail_and_sends_it_again(page, live_server, people, smtp_server):  # noqa: F811
    from playwright.sync_api import expect

    assert not people["admin"].is_staff
    smtp_server.fail_always, smtp_server.fail_reply = True, "550 5.1.1 <wang@example.com>: user unknown"
    message = outbox_enqueue(key="browser:bounce", recipient=people["member"], address="wang@example.com",
                             kind="reminder", subject="行动项明天到期", body_text="提交预算明细表",
                             not_before=timezone.now())
    drain_outbox()
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED

    base = live_server.url
    _log_in(page, base, "member")
    page.goto(f"{base}/notify/preferences/")
    expect(page.locator("#undelivered")).to_contain_text("行动项明天到期")
    expect(page.locator("#undelivered")).to_contain_text("user unknown")
    page.context.clear_cookies()

    _log_in(page, base, "admin")
    page.goto(f"{base}/notify/inbox/")
    expect(page.locator("main")).to_contain_text("邮件渠道的消息开始发送失败")
    page.click("#nav-outbox")
    page.wait_for_url(f"{base}/notify/outbox/")
    expect(page.locator("#count-failed")).to_have_text("1")
    row = page.locator(f"#message-{message.pk}")
    expect(row).to_contain_text("user unknown")
    expect(row).to_contain_text("wang@example.com")
    page.select_option("#id_channel", "email")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"{base}/notify/outbox/?**channel=email**")

    smtp_server.fail_always = False
    row.get_by_role("button", name="立即重试").click()
    page.wait_for_url(f"{base}/notify/outbox/?**channel=email**")
    expect(page.locator("#count-failed")).to_have_text("0")
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxState.PENDING
    drain_outbox()
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxState.SENT
    assert [m["To"] for m in smtp_server.messages()] == ["wang@example.com"]
    assert page.errors == []
