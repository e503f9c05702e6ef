"""In Chromium, issue 12's day in the life: 王强 declines and sends 陈静; 张伟 (host) sees it in his inbox and in
the agenda check; 陈静 gets the invite over real SMTP, opens the pre-read, accepts to stand in (王强 is told), is
signed in at the meeting and later signs the minutes; a late sign-off is chased; an escalated disagreement lands
as an item for the decider, who records the ruling from its page, and the minutes show it."""

import datetime as dt
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from closeloop.conftest import make_person
from closeloop.meetings.choices import ParticipantRole, TopicKind
from closeloop.meetings.services.notice import notice_send
from closeloop.meetings.services.planning import material_add, meeting_create, participant_set, topic_add
from closeloop.minutes import services as minutes_services
from closeloop.minutes.models import SignOff
from closeloop.minutes.scans import scan_signoffs
from closeloop.minutes.testing import minutes_flushable  # noqa: F401
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import drain_outbox
from closeloop.org.choices import Role
from closeloop.org.models import Department
from closeloop.tests_browser.conftest import ARGS, CHROMIUM, audit_flushable  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 15000  # ms: page loads and htmx swaps on a loaded machine
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def browser(live_server, audit_flushable, minutes_flushable, monkeypatch):  # noqa: F811
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test thread reads the database meanwhile
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_as(browser, live_server, person):
    """A page in its own context, signed in as `person`, collecting script errors and CSP violations."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    client = Client()
    client.force_login(person)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: page.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return page


def deliver(*pages):
    """Run the worker once the pages are quiet (SQLite's in-memory test database takes one writer at a time)."""
    from django.db import OperationalError

    for page in pages:
        page.wait_for_load_state("networkidle")
    for attempt in range(10):
        try:
            return drain_outbox()
        except OperationalError:  # a request of the live server still holds the table
            time.sleep(0.3 * (attempt + 1))
    return drain_outbox()


@pytest.fixture
def cast(org):
    market = Department.objects.create(organisation=org, name="市场部")
    sales = Department.objects.create(organisation=org, name="销售部")
    office = Department.objects.create(organisation=org, name="总经办")
    p = {
        "zhang": make_person(org, "zhang.market", market, Role.HEAD, name="张伟"),
        "liu": make_person(org, "liu.market", market, name="刘洋"),
        "wang": make_person(org, "wang.sales", sales, Role.HEAD, name="王强"),
        "chen": make_person(org, "chen.sales", sales, name="陈静"),
        "zhou": make_person(org, "zhou.office", office, Role.HEAD, name="周总"),
        "pmo": make_person(org, "pmo", role=Role.ADMIN, name="PMO 孙敏"),
    }
    for department, head in ((market, p["zhang"]), (sales, p["wang"]), (office, p["zhou"])):
        department.head = head
        department.save()
    return p


@pytest.fixture
def noticed(cast):
    start = dt.datetime(2026, 12, 14, 14, tzinfo=SHANGHAI)
    meeting = meeting_create(actor=cast["zhang"], recorder=cast["liu"], data={
        "type": "decision", "title": "Q3推广跨部门协作会", "objective": "确定Q3推广分工",
        "start": start, "end": start + dt.timedelta(minutes=90), "place": "3楼会议室A"})
    participant_set(actor=cast["zhang"], meeting=meeting, person=cast["wang"],
                    roles=[ParticipantRole.DECISION_MAKER, ParticipantRole.PRESENTER])
    topics = [("Q2推广活动复盘", 20, TopicKind.INFORM, cast["zhang"]),
              ("Q3推广目标及策略", 25, TopicKind.DISCUSS, cast["zhang"]),
              ("部门分工与资源协调", 25, TopicKind.DECIDE, cast["wang"])]
    for order, (title, minutes, kind, presenter) in enumerate(topics, start=1):
        topic_add(actor=cast["zhang"], meeting=meeting, data={
            "order": order, "title": title, "minutes": minutes, "kind": kind, "presenter": presenter,
            "required_outcome": "确认分工" if kind == TopicKind.DECIDE else ""})
    material_add(actor=cast["zhang"], meeting=meeting, upload=SimpleUploadedFile("销售预测.pdf", b"%PDF-1.4 forecast"))
    notice_send(actor=cast["zhang"], meeting=meeting)
    drain_outbox()
    meeting.refresh_from_db()
    return meeting


def test_a_day_in_the_life_of_everyone_who_has_to_act(browser, live_server, cast, noticed, smtp_server):  # noqa: F811
    from playwright.sync_api import expect

    base, meeting = live_server.url, noticed
    # Everyone's session first: the test thread writes no session while the live server is busy.
    wang, zhang, chen, liu, zhou, pmo = pages = [
        open_as(browser, live_server, cast[name]) for name in ("wang", "zhang", "chen", "liu", "zhou", "pmo")]

    # 王强 cannot come and sends 陈静 in his place.
    wang.goto(f"{base}/meetings/{meeting.pk}/")
    form = wang.locator(f"#respond-{meeting.participants.get(person=cast['wang']).pk}")
    form.locator("input[name=response][value=substitute]").check()
    form.locator("textarea[name=reason]").fill("出差")
    form.locator("select[name=substitute]").select_option(str(cast["chen"].pk))
    form.locator("button[type=submit]").click()
    # The saved answer's badge, not the form's text: the chooser already lists 陈静 before the answer is stored.
    expect(wang.locator(".respond .response-substitute")).to_be_visible(timeout=WAIT)
    expect(wang.locator(".respond [role=status]")).to_be_visible(timeout=WAIT)
    deliver(wang)

    # 张伟 (host) finds it in his inbox and in the agenda check.
    zhang.goto(f"{base}/notify/inbox/")
    expect(zhang.locator(".inbox-item").filter(has_text="王强 委派 陈静 参加")).to_have_count(1)
    zhang.goto(f"{base}/meetings/{meeting.pk}/")
    expect(zhang.locator("#agenda-check")).to_contain_text("议题3 的主讲人 王强 已拒绝，由 陈静 代参会")

    # 陈静 receives the invitation with the calendar invite, and opens the pre-read.
    invite = smtp_server.message_to("chen.sales@example.com")
    assert [p for p in invite.walk() if p.get_content_type() == "text/calendar"]
    chen.goto(f"{base}/notify/inbox/")
    expect(chen.locator(".inbox-item").filter(has_text="会议通知：Q3推广跨部门协作会")).to_have_count(1)
    chen.goto(f"{base}/meetings/{meeting.pk}/")
    with chen.expect_download() as download:
        chen.locator("#materials a[download]").first.click()
    assert download.value.suggested_filename == "销售预测.pdf"
    # She answers the invitation herself: she attends in 王强's place, and 王强 is told.
    stood = meeting.participants.get(person=cast["wang"])
    answer = chen.locator(f"#substitute-answer-{stood.pk}")
    answer.locator("input[name$=response][value=accepted]").check()
    answer.locator("button[type=submit]").click()
    expect(chen.locator(f"#substitute-answer-{stood.pk} .badge").first).to_contain_text("已接受", timeout=WAIT)
    deliver(chen)
    wang.goto(f"{base}/notify/inbox/")
    expect(wang.locator(".inbox-item").filter(has_text="陈静 已确认代您参加")).to_have_count(1)

    # The day comes (its start moves to now: the record opens only when the meeting begins).
    now = timezone.now()
    type(meeting).objects.filter(pk=meeting.pk).update(start=now, end=now + dt.timedelta(minutes=90))

    # At the meeting, the recorder signs 王强's seat in as 陈静 attending, and escalates a disagreement.
    liu.goto(f"{base}/record/meetings/{meeting.pk}/")
    liu.click("#start button[type=submit]")
    row = liu.locator(f"#signin-{cast['wang'].pk}")
    expect(row).to_be_visible(timeout=WAIT)
    row.locator("form:not(:has(input[name=presence])) button").click()  # "as answered"
    expect(row.locator(".badge.presence-substitute")).to_be_visible(timeout=WAIT)
    expect(row).to_contain_text("陈静")
    decide = meeting.topics.get(order=3).pk
    liu.click(f"#t{decide}-dis-details summary")
    liu.fill(f"#t{decide}-dis-subject", "是否增加2条生产线")
    liu.fill(f"#t{decide}-dis-positions", "销售部:产能不足;财务部:需评估成本")
    liu.check(f"#t{decide}-dis input[name=path][value=escalate]")
    liu.select_option(f"#t{decide}-dis-escalate_to", str(cast["zhou"].pk))
    liu.fill(f"#t{decide}-dis-due", "2026-12-16")
    liu.locator(f"#t{decide}-dis button[type=submit]").click()
    expect(liu.locator(f"#topic-{decide}-live .disagreements")).to_contain_text("是否增加2条生产线", timeout=WAIT)

    # The escalated disagreement lands with 周总 as an item due on the path's date.
    deliver(liu)
    zhou.goto(f"{base}/notify/inbox/")
    item = zhou.locator(".inbox-item").filter(has_text="待您裁决的分歧")
    expect(item).to_contain_text("是否增加2条生产线")
    item.locator("form[action$='/open/'] button").click()
    ruling_page = re.compile(r".*/record/disagreements/\d+/ruling/$")
    zhou.wait_for_url(ruling_page)  # the message leads to the page where the ruling is recorded
    expect(zhou.locator("#disagreement")).to_contain_text("销售部:产能不足;财务部:需评估成本")
    expect(zhou.locator("#disagreement")).to_contain_text("2026-12-16")
    zhou.locator("#disagreement a[href*='/actions/']").click()
    zhou.wait_for_url(re.compile(r".*/actions/\d+/$"))
    expect(zhou.locator("#item")).to_contain_text("裁决上报的分歧“是否增加2条生产线”")
    expect(zhou.locator("#item")).to_contain_text("2026-12-16")
    # From the item, 周总 rules; the ruling closes the disagreement and its item.
    zhou.locator("#item-more-actions a", has_text="填写裁决").click()
    zhou.wait_for_url(ruling_page)
    zhou.fill("#ruling-form textarea[name=ruling]", "同意增加1条生产线")
    zhou.click("#ruling-form button[type=submit]")
    expect(zhou.locator("#ruling")).to_contain_text("同意增加1条生产线", timeout=WAIT)

    # The minutes are distributed; 陈静 signs for 销售部, in place of 王强.
    # 刘洋 leaves the live record for the minutes (the test database's tables lock while the record is closed).
    liu.goto(f"{base}/minutes/meetings/{meeting.pk}/")
    minutes = minutes_services.minutes_create_draft(actor=cast["liu"], meeting=meeting, language="zh-hans")
    assert "周总裁决:同意增加1条生产线" in minutes.content["summary"]  # the ruling shows on the minutes
    minutes = minutes_services.minutes_submit(actor=cast["liu"], minutes=minutes)
    minutes = minutes_services.minutes_approve(actor=cast["zhang"], minutes=minutes)
    minutes_services.minutes_distribute(actor=cast["liu"], minutes=minutes)
    deliver(zhou)
    chen.goto(f"{base}/minutes/{minutes.pk}/")
    chen.fill("#signoff-form textarea[name=comment]", "代王强确认")
    chen.click("#signoff-form button")
    expect(chen.locator(".signoff.signed")).to_contain_text("销售部", timeout=WAIT)
    assert SignOff.objects.get(minutes=minutes, department__name="销售部").head == cast["chen"]

    # 张伟 has not signed for 市场部: the worker reminds him, then tells the PMO; the page says who is missing.
    distributed_at = type(minutes).objects.get(pk=minutes.pk).distributed_at
    assert scan_signoffs(now=distributed_at + dt.timedelta(days=14)) > 0
    deliver(chen)
    zhang.goto(f"{base}/notify/inbox/")
    expect(zhang.locator(".inbox-item").filter(has_text="提醒：请签字确认")).to_have_count(1)
    zhang.goto(f"{base}/minutes/{minutes.pk}/")
    expect(zhang.locator(".signoff.pending")).to_contain_text("市场部")
    pmo.goto(f"{base}/notify/inbox/")
    expect(pmo.locator(".inbox-item").filter(has_text="签字确认逾期：市场部")).to_have_count(1)

    for name, page in zip(("wang", "zhang", "chen", "liu", "zhou", "pmo"), pages, strict=True):
        assert page.errors == [], (name, page.errors)
