"""The reminder and escalation scans cost the same number of queries whatever the number of items due, render each
template once per language and shape (not once per person), and the bulk rendering says exactly what rendering
one mail at a time says."""

import datetime as dt
import html

import pytest
from django.db import connection
from django.template.defaultfilters import linebreaksbr
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe

from closeloop.conftest import make_person
from closeloop.followup.scans import scan_escalations, scan_reminders
from closeloop.followup.tests.conftest import at, make_item
from closeloop.lib.emails import render_email, render_emails
from closeloop.notify.models import NotifyPreference, OutboxMessage

pytestmark = pytest.mark.django_db
D = dt.date


def many_items(org, people, n, due):
    """n items due on `due`, owned by n different people of sales (half in English), each with a collaborator."""
    owners = [make_person(org, f"owner{due:%m%d}{i}", people["departments"]["sales"], name=f"负责人{i}",
                          language="en" if i % 2 else "zh-hans") for i in range(n)]
    NotifyPreference.objects.create(person=owners[0], quiet_start=dt.time(22), quiet_end=dt.time(7))
    return [make_item(org, owner, due, task=f"第{i}项 <b>预算</b>\n明细", collaborators=[people["host"]])
            for i, owner in enumerate(owners)]


def queries(scan, now):
    with CaptureQueriesContext(connection) as captured:
        queued = scan(now=now)
    return queued, len(captured.captured_queries)


def test_the_reminder_scan_asks_as_many_queries_for_200_items_as_for_10(org, people):
    scan_reminders(now=at(2026, 6, 10, 9))  # nothing due: caches of the first run (policy, calendar) filled
    many_items(org, people, 10, D(2026, 6, 12))
    few, few_queries = queries(scan_reminders, at(2026, 6, 11, 9))
    many_items(org, people, 200, D(2026, 6, 19))
    lots, lots_queries = queries(scan_reminders, at(2026, 6, 18, 9))
    assert (few, lots) == (10 * 4, 200 * 4)  # mail and inbox for the owner and the collaborator of each item
    assert lots_queries == few_queries, (few_queries, lots_queries)


def test_the_escalation_scan_asks_as_many_queries_for_200_items_as_for_10(org, people):
    scan_escalations(now=at(2026, 6, 10, 9))
    many_items(org, people, 10, D(2026, 6, 8))
    few, few_queries = queries(scan_escalations, at(2026, 6, 11, 9))
    many_items(org, people, 200, D(2026, 6, 15))
    lots, lots_queries = queries(scan_escalations, at(2026, 6, 18, 9))
    assert (few, lots) == (10 * 2, 200 * 2)  # the sales head, by mail and in the inbox, once per item
    assert lots_queries == few_queries, (few_queries, lots_queries)


def test_200_reminders_render_each_template_once_per_language_and_shape(org, people):
    many_items(org, people, 200, D(2026, 6, 19))
    rendered = []

    def count(sender, template, context, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        assert scan_reminders(now=at(2026, 6, 18, 9)) == 800
    finally:
        template_rendered.disconnect(count)
    texts = [name for name in rendered if name == "followup/email/reminder.txt"]
    # Two languages of owners × (owner, collaborator): 3 renders for 400 mails (the collaborator reads Chinese),
    # where it used to be 400.
    assert len(texts) == 3, texts
    assert OutboxMessage.objects.filter(channel="email").count() == 400


def test_a_reminder_rendered_in_bulk_reads_as_one_rendered_on_its_own():
    task = '核对 <script>alert("x")</script> & 预算\n第二行' + "很长的说明" * 20
    context = {"assumed": True, "unknown_years": "2027", "workdays_left": 2, "has_deliverable": True,
               "is_owner": False}
    text = {"name": "王 & 李", "task": task, "task_short": task[:59] + "…", "owner": "赵<经理>", "due": "2027-01-04",
            "deliverable": "签字 <确认>", "link": "https://closeloop.example/actions/7/?a=1&b=2"}
    fields = {**text, "task": (task, linebreaksbr(task, autoescape=True))}
    for language in ("zh-hans", "en"):
        bulk = render_emails("followup/email/reminder", [(context, fields)] * 2, language=language)
        alone_text = render_email("followup/email/reminder", {**context, **text}, language=language)
        alone_html = render_email("followup/email/reminder", {
            **context, **text, "task": mark_safe(linebreaksbr(task, autoescape=True))}, language=language)
        assert bulk[0] == bulk[1]
        assert bulk[0].text == alone_text.text and bulk[0].html == alone_html.html
        assert "&lt;script&gt;" in bulk[0].html and "<script>" in bulk[0].text
        # The subject is plain text, as a mail header is (one rendered alone escapes it for HTML).
        assert bulk[0].subject == html.unescape(alone_text.subject)
        assert '<script>alert("x")</script> & 预算 第二行' in bulk[0].subject
