"""In Chromium: the owner finds their item, confirms it, reports progress and asks for a new date, in place."""

import pytest
from django.test import Client

from closeloop.actions.choices import ItemStatus
from closeloop.actions.models import ActionItem

from .conftest import later

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, person):
    client = Client()
    client.force_login(person)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


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
