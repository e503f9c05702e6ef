"""In Chromium: browse the archive's tree down to a project, then search as you type (htmx, under the strict CSP)."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, person):
    client = Client()
    client.force_login(person)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_a_department_head_browses_the_tree_and_searches_as_they_type(minutes_flushable, page, live_server, people,
                                                                      archive):
    login(page, live_server, people["head"])
    page.goto(f"{live_server.url}/archive/")
    tree = page.locator("#archive-tree")
    tree.get_by_role("link", name="2026").click()
    tree.get_by_role("link", name="销售部").click()
    tree.get_by_role("link", name="Q3推广").click()
    page.wait_for_url("**/archive/?year=2026&department=*&project=*")
    rows = page.locator("table.archive-meetings tbody tr")
    assert rows.count() == 1 and "项目Q3推广跨部门协作会" in rows.first.inner_text()
    assert "人员调整讨论会" not in page.content()  # confidential: not the head's

    page.locator("#archive-q").fill("成本报告")  # the header has its own search box too
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/archive/search/?q=*")
    page.evaluate("window.stillTheSamePage = true")
    box = page.locator("#id_q")
    box.fill("落地页")
    page.locator("#group-items mark", has_text="落地页").first.wait_for()
    assert page.evaluate("window.stillTheSamePage") is True  # htmx swapped the results, no reload
    assert "q=%E8%90%BD%E5%9C%B0%E9%A1%B5" in page.url  # and the address follows the words
    box.fill("没有这个词")
    page.locator("#no-results").wait_for()
    assert page.errors == []
