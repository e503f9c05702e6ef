"""In Chromium, seed 003's problem analysis: the record page asks the recorder for each corrective action's problem,
root cause and verification standard; the minutes are approved; the 问题整改清单 lists the action items themselves
and shows an item's status as soon as its owner marks it done."""

import pytest

from closeloop.minutes import services as minutes_services
from closeloop.minutes.testing import minutes_flushable  # noqa: F401  (fixture)
from closeloop.outputs.models import ItemColumns
from closeloop.outputs.tests.conftest import cast, held, items, scenario  # noqa: F401  (fixtures)
from closeloop.tests_browser.signin import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


_as = signed_in_page


def test_a_problem_analysis_from_the_record_to_a_live_rectification_list(  # noqa: F811
        browser, live_server, cast, scenario, items, meeting, minutes_flushable):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    scenario("problem_analysis")
    cost, landing = items["cost"], items["page"]

    # The recorder fills the columns the scenario needs from the record page, item by item.
    recorder = _as(browser, base, "recorder")
    recorder.goto(f"{base}/record/meetings/{meeting.pk}/")
    expect(recorder.locator("#output-panel")).to_contain_text("验证标准")
    for item, problem, cause, check in ((cost, "客户投诉激增", "产品功能与宣传不符", "投诉量下降50%"),
                                        (landing, "转化率低于目标", "落地页引导不清晰", "转化率≥5%")):
        form = recorder.locator(f"#columns-{item.pk}")
        form.locator('[name="problem"]').fill(problem)
        form.locator('[name="root_cause"]').fill(cause)
        form.locator('[name="verification"]').fill(check)
        form.locator("button[type=submit]").click()
        recorder.wait_for_url(f"{base}/record/meetings/{meeting.pk}/*")
    assert ItemColumns.objects.get(item=cost).root_cause == "产品功能与宣传不符"

    # The minutes are drafted and submitted; the host approves them on their page.
    draft = minutes_services.minutes_create_draft(actor=cast["recorder"], meeting=meeting)
    minutes = minutes_services.minutes_submit(actor=cast["recorder"], minutes=draft)
    host = _as(browser, base, "host")
    host.goto(f"{base}/minutes/{minutes.pk}/")
    host.click("#approve-form button[type=submit]")
    expect(host.locator("#scenario-output-link")).to_be_visible()
    host.click("#scenario-output-link")
    expect(host.locator("h1")).to_contain_text("问题整改清单")
    expect(host.locator(f"#output-item-{cost.pk}")).to_contain_text("产品功能与宣传不符")
    expect(host.locator(f"#output-item-{cost.pk}")).to_have_class("status-row-not_started")
    expect(host.locator("body")).to_contain_text("未关闭 2 / 共 2 项")
    output_url = host.url

    # The owner marks the item done from their item page; the list shows it on the next look.
    owner = _as(browser, base, "member")
    owner.goto(f"{base}/actions/{cost.pk}/")
    status = owner.locator('form[action$="/status/"]')
    status.locator('select[name="status"]').select_option("done")
    status.locator('textarea[name="note"]').fill("成本报告已提交")
    status.locator("button[type=submit]").click()
    expect(owner.locator("#item")).to_contain_text("成本报告已提交")
    host.goto(output_url)
    expect(host.locator(f"#output-item-{cost.pk}")).to_have_class("status-row-done")
    expect(host.locator("body")).to_contain_text("未关闭 1 / 共 2 项")
    for page in (recorder, host, owner):
        assert page.errors == []
