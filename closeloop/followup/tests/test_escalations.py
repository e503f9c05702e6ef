"""Overdue items escalate to the owner's department head after N working days (policy)."""

import datetime as dt

import pytest

from closeloop.actions.choices import ItemStatus
from closeloop.followup.scans import escalation_target, scan_escalations
from closeloop.followup.tests.conftest import at, mails, recipients
from closeloop.notify.models import OutboxMessage
from closeloop.org.models import Department
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db
D = dt.date


def set_policy(org, **values):
    policy = policy_for(org)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()


def test_an_item_due_friday_escalates_on_the_adjusted_saturday_after_one_working_day(new_item, org):
    item = new_item(D(2026, 10, 9))
    assert scan_escalations(now=at(2026, 10, 9, 18)) == 0  # due today: not overdue yet
    assert scan_escalations(now=at(2026, 10, 10, 10)) >= 1  # 10-10 is a working Saturday
    assert mails("escalation") == [("head", f"escalation:{item.pk}:2026-10-09:{item.owner.department.head_id}:email")]


def test_after_two_working_days_it_waits_for_monday(new_item, org):
    set_policy(org, overdue_escalation_workdays=2)
    new_item(D(2026, 10, 9))
    assert scan_escalations(now=at(2026, 10, 10, 10)) == 0
    assert scan_escalations(now=at(2026, 10, 11, 10)) == 0  # Sunday
    assert scan_escalations(now=at(2026, 10, 12, 10)) > 0
    message = OutboxMessage.objects.get(channel="email")
    assert message.recipient.username == "head"
    assert "王销售" in message.body_text and "2026-10-09" in message.body_text
    assert "2 个工作日" in message.body_text or "2 working days" in message.body_text


def test_items_due_before_the_national_day_escalate_on_the_first_working_day_after_it(new_item):
    new_item(D(2026, 9, 30))
    assert scan_escalations(now=at(2026, 10, 5, 10)) == 0
    assert scan_escalations(now=at(2026, 10, 8, 10)) > 0
    assert recipients("escalation") == ["head"]


def test_an_escalation_is_sent_once_and_not_for_closed_or_delayed_to_later_items(new_item):
    new_item(D(2026, 6, 12))
    new_item(D(2026, 6, 12), status=ItemStatus.DONE)
    new_item(D(2026, 6, 12), status=ItemStatus.CANCELLED)
    assert scan_escalations(now=at(2026, 6, 15, 10)) > 0
    assert scan_escalations(now=at(2026, 6, 16, 10)) == 0
    assert scan_escalations(now=at(2026, 6, 22, 10)) == 0
    assert len(mails("escalation")) == 1


def test_a_delayed_item_past_its_new_date_escalates_again(new_item):
    item = new_item(D(2026, 6, 12))
    scan_escalations(now=at(2026, 6, 15, 10))
    item.status, item.due = ItemStatus.DELAYED, D(2026, 6, 17)
    item.save()
    assert scan_escalations(now=at(2026, 6, 18, 10)) > 0
    assert [key.split(":")[2] for _n, key in mails("escalation")] == ["2026-06-12", "2026-06-17"]


def test_a_head_who_owns_the_item_escalates_to_the_head_above(org, people, new_item):
    company = Department.objects.create(organisation=org, name="总经办", head=people["admin"])
    sales = people["departments"]["sales"]
    sales.parent = company
    sales.save()
    item = new_item(D(2026, 6, 12), owner=people["head"])
    assert escalation_target(item) == people["admin"]
    scan_escalations(now=at(2026, 6, 15, 10))
    assert recipients("escalation") == ["admin"]


def test_without_any_head_the_management_group_hears_of_it(people, new_item):
    new_item(D(2026, 6, 12), owner=people["outsider"])  # 财务部 has no head
    assert scan_escalations(now=at(2026, 6, 15, 10)) > 0
    assert recipients("escalation") == ["admin"]  # the PMO, rather than nobody


def test_items_overdue_longer_than_the_look_back_are_left_alone(new_item, settings):
    settings.FOLLOWUP_LOOKBACK_DAYS = 10
    new_item(D(2026, 5, 29))
    assert scan_escalations(now=at(2026, 6, 15, 10)) == 0
