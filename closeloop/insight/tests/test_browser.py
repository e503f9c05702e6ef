"""In Chromium: the PMO opens insight, filters by 销售部, clicks the overdue number and lands on those items."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, person):
    client = Client()
    client.force_login(person)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_the_pmo_filters_by_sales_and_follows_the_overdue_number(minutes_flushable, page, live_server, people, world):
    login(page, live_server, people["admin"])
    page.goto(f"{live_server.url}/insight/?period=custom&start=2026-02-01&end=2026-02-28")
    assert page.locator("#chart-on_time svg").count() == 1
    page.select_option("#id_department", label="销售部")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/insight/?*department=*")
    rows = page.locator("#table-departments tbody tr")
    assert rows.count() == 1 and "销售部" in rows.first.inner_text()
    overdue = rows.first.locator("td[data-key=items_overdue] a")
    assert overdue.inner_text() == "2"
    overdue.click()
    page.wait_for_url(f"**/actions/department/{world['sales'].pk}/?*overdue=yes*")
    items = page.locator("table.items tbody tr")
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    assert len(texts) == 2
    assert any("尽快整理渠道数据" in t for t in texts) and any("更新报价" in t for t in texts)
    assert page.errors == []
