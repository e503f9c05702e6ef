"""Weekly digests: each person's open items, each department head's department's; once a week."""

import datetime as dt

import pytest

from closeloop.actions.choices import ItemStatus
from closeloop.followup.scans import scan_digests
from closeloop.followup.tests.conftest import at, mails, recipients
from closeloop.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def items(new_item, people):
    return [
        new_item(D(2026, 6, 12), task="整理Q2推广数据"),  # overdue on 06-15
        new_item(D(2026, 6, 30), task="提交Q3推广预算明细表"),
        new_item(D(2026, 6, 30), task="已完成的事项", status=ItemStatus.DONE),
        new_item(D(2026, 6, 19), owner=people["host"], task="确认市场部活动排期"),
    ]


def test_each_owner_gets_their_open_items_and_the_head_their_departments(items, people):
    assert scan_digests(now=at(2026, 6, 15, 9)) >= 3
    assert recipients("digest") == ["head", "host", "member"]
    member = OutboxMessage.objects.get(channel="email", recipient=people["member"])
    assert "2026-W25" in member.subject and "2 open action items" in member.subject and "1 overdue" in member.subject
    assert "整理Q2推广数据" in member.body_text and "提交Q3推广预算明细表" in member.body_text
    assert "已完成的事项" not in member.body_text
    head = OutboxMessage.objects.get(channel="email", recipient=people["head"])
    assert "销售部" in head.subject
    assert "王销售" in head.body_text and "确认市场部活动排期" not in head.body_text


def test_the_digest_goes_once_a_week(items):
    scan_digests(now=at(2026, 6, 15, 9))
    count = len(mails("digest"))
    assert count == 3
    assert scan_digests(now=at(2026, 6, 16, 9)) == 0
    assert scan_digests(now=at(2026, 6, 21, 9)) == 0
    assert scan_digests(now=at(2026, 6, 22, 9)) > 0
    assert len(mails("digest")) == 2 * count
    assert {key.split(":")[1] for _n, key in mails("digest")} == {"2026-W25", "2026-W26"}


def test_no_digest_before_the_weeks_first_working_day_nor_in_a_week_of_holidays(items):
    scan_digests(now=at(2026, 6, 15, 9))
    assert scan_digests(now=at(2026, 6, 22, 7)) == 0  # before the day starts (08:00) it is still last week
    assert scan_digests(now=at(2026, 2, 18, 10)) == 0  # Spring Festival week
    assert scan_digests(now=at(2026, 10, 6, 10)) == 0  # National Day week, before Thursday 10-08
    assert scan_digests(now=at(2026, 10, 8, 10)) > 0


def test_nobody_without_open_items_gets_a_digest(new_item, people):
    new_item(D(2026, 6, 30), status=ItemStatus.DONE)
    assert scan_digests(now=at(2026, 6, 15, 9)) == 0
