"""In Chromium: the owner finds their item, confirms it, reports progress and records a delay, in place; the host
sees the delay's history; a change of date asked by the owner and accepted by the host."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from closeloop.actions.choices import ItemStatus
from closeloop.actions.models import ActionItem
from closeloop.actions.tests.conftest import later

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, person):
    client = Client()
    client.force_login(person)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def in_language_of(person, message, **values):
    """The text as `person` reads it: pages follow the person's language."""
    with translation.override(person.language):
        return _(message) % values if values else _(message)


def second_page(browser):
    """Another person's browser, collecting JavaScript errors like the `page` fixture."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return context, page


def test_the_owner_confirms_reports_progress_and_delays_in_place(page, live_server, people, item, today):
    login(page, live_server, people["member"])
    page.goto(f"{live_server.url}/actions/")
    page.get_by_role("link", name=item.task).click()
    page.wait_for_url(f"**/actions/{item.pk}/")
    page.evaluate("window.stillTheSamePage = true")

    page.locator("form[action$='/confirm/'] button").click()
    page.locator('#item li[data-kind="confirmed"]').wait_for()

    progress = page.locator("form[action$='/progress/']")
    progress.locator("input[name=percent]").fill("40")
    progress.locator("input[name=note]").fill("初稿完成")
    progress.locator("button").click()
    page.locator('#item li[data-kind="progress"]').wait_for()

    delay = page.locator("form[action$='/delay/']")
    delay.locator("button").click()  # nothing filled in: the browser's own check stops it
    assert ActionItem.objects.get(pk=item.pk).status == ItemStatus.IN_PROGRESS
    new_due = later(today, 8)
    delay.locator("input[name=new_due]").fill(new_due.isoformat())
    delay.locator("textarea[name=reason]").fill("供应商报价延迟")
    page.locator("form[action$='/delay/'] button").click()
    page.locator('#item li[data-kind="delay"]').wait_for()

    history = page.locator("#item ol.history").inner_text()
    assert "供应商报价延迟" in history and new_due.isoformat() in history and "40%" in history
    saved = ActionItem.objects.get(pk=item.pk)
    assert (saved.status, saved.due, saved.progress, saved.owner_confirmed) == (
        ItemStatus.DELAYED, new_due, 40, True)
    assert page.evaluate("window.stillTheSamePage") is True  # no reloads: htmx swapped the panel each time
    assert page.errors == []


def test_the_owner_delays_with_a_reason_and_the_host_sees_the_history(page, browser, live_server, people, item,
                                                                       today):
    login(page, live_server, people["member"])
    page.goto(f"{live_server.url}/actions/{item.pk}/")
    new_due = later(today, 10)
    delay = page.locator("form[action$='/delay/']")
    delay.locator("input[name=new_due]").fill(new_due.isoformat())
    delay.locator("textarea[name=reason]").fill("供应商报价延迟两周")
    delay.locator("button").click()
    page.locator('#item li[data-kind="delay"]').wait_for()

    # The host, in a browser of their own, finds the item from the meeting's list of action items.
    host_context, host = second_page(browser)
    try:
        login(host, live_server, people["host"])
        originally = in_language_of(people["host"], "originally %(d)s", d="2026-06-18")
        host.goto(f"{live_server.url}/meetings/{item.meeting_id}/")
        host.get_by_role("link", name=in_language_of(people["host"], "Action items"), exact=True).click()
        host.wait_for_url(f"**/actions/meeting/{item.meeting_id}/")
        row = host.locator(f'tr[data-item="{item.pk}"]')
        assert originally in row.inner_text() and new_due.isoformat() in row.inner_text()
        row.get_by_role("link", name=item.task).click()
        host.wait_for_url(f"**/actions/{item.pk}/")
        entry = host.locator('#item li[data-kind="delay"]')
        text = entry.inner_text()
        assert f"2026-06-18 → {new_due.isoformat()}" in text and "供应商报价延迟两周" in text
        assert str(people["member"]) in text  # who delayed it
        facts = host.locator("#item dl.facts").inner_text()
        assert new_due.isoformat() in facts and originally in facts
        assert host.locator("form[action$='/delay/']").count() == 1  # the host may change it too
        assert host.errors == []
    finally:
        host_context.close()
    assert page.errors == []


def test_the_owner_asks_for_a_new_date_and_the_host_accepts_it(page, browser, live_server, people, item, today):
    login(page, live_server, people["member"])
    page.goto(f"{live_server.url}/actions/{item.pk}/")
    page.locator("#changes summary").click()
    ask = page.locator("form[action$='/change/']")
    new_due = later(today, 12)
    ask.locator("input[name=new_due]").fill(new_due.isoformat())
    ask.locator("textarea[name=reason]").fill("需求范围扩大")
    ask.get_by_role("button").click()
    page.locator('#changes [data-state="pending"]').wait_for()

    host_context, host = second_page(browser)
    try:
        login(host, live_server, people["host"])
        host.goto(f"{live_server.url}/actions/")
        host.locator("#changes-awaiting").get_by_role("link", name=item.task).click()
        host.wait_for_url(f"**/actions/{item.pk}/")
        host.locator("form[action$='/decide/'] textarea[name=comment]").fill("同意, 请同步财务部")
        host.locator("form[action$='/decide/'] button[value=accept]").click()
        host.locator('#changes [data-state="accepted"]').wait_for()
        history = host.locator("#item ol.history").inner_text()
        assert f"2026-06-18 → {new_due.isoformat()}" in history and "需求范围扩大" in history
        assert host.errors == []
    finally:
        host_context.close()
    saved = ActionItem.objects.get(pk=item.pk)
    assert (saved.due, saved.status) == (new_due, ItemStatus.DELAYED)
    page.reload()
    assert page.locator('#changes [data-state="accepted"]').count() == 1
    assert page.errors == []
