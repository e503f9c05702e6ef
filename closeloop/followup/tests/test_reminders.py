"""Reminders before due: on the working calendar, to the owner and collaborators, once."""

import datetime as dt

import pytest

from closeloop.actions.choices import ItemStatus
from closeloop.actions.services.items import action_item_set_status
from closeloop.followup.scans import scan_reminders
from closeloop.followup.tests.conftest import at, mails, recipients
from closeloop.notify.models import OutboxMessage
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db
D = dt.date


def test_an_item_due_the_friday_after_the_national_day_is_reminded_on_thursday_not_during_the_holiday(new_item):
    item = new_item(D(2026, 10, 9))
    assert scan_reminders(now=at(2026, 10, 7, 10)) == 0
    assert scan_reminders(now=at(2026, 10, 8, 7, 30)) == 0  # before the working day starts
    assert scan_reminders(now=at(2026, 10, 8, 10)) >= 1
    assert mails("reminder") == [("member", f"reminder:{item.pk}:2026-10-09:{item.owner_id}:email")]


def test_an_item_due_after_the_spring_festival_is_reminded_on_the_adjusted_saturday(new_item):
    new_item(D(2026, 2, 24))
    assert scan_reminders(now=at(2026, 2, 13, 10)) == 0
    assert scan_reminders(now=at(2026, 2, 14, 10)) >= 1
    assert recipients("reminder") == ["member"]


def test_the_owner_and_every_collaborator_are_reminded_each_in_their_language(new_item, people):
    new_item(D(2026, 6, 18), collaborators=[people["host"], people["outsider"]])
    scan_reminders(now=at(2026, 6, 17, 9))
    assert recipients("reminder") == ["host", "member", "outsider"]
    owner = OutboxMessage.objects.get(channel="email", recipient=people["member"])
    assert owner.headers["Content-Language"] == "en"
    assert "2026-06-18" in owner.subject and "Reminder" in owner.subject
    assert "1 working day left." in owner.body_text
    assert "raise the risk" in owner.body_text
    assert owner.headers["X-Closeloop-Link"].endswith(f"/actions/{owner.idempotency_key.split(':')[1]}/")
    collaborator = OutboxMessage.objects.get(channel="email", recipient=people["host"])
    assert collaborator.headers["Content-Language"] == "zh-hans"
    assert "王销售" in collaborator.body_text  # the owner is named to a collaborator


def test_running_the_scan_again_sends_nothing_twice(new_item):
    new_item(D(2026, 6, 18))
    first = scan_reminders(now=at(2026, 6, 17, 9))
    assert first >= 1
    assert scan_reminders(now=at(2026, 6, 17, 15)) == 0
    assert scan_reminders(now=at(2026, 6, 18, 9)) == 0  # due today: no second reminder
    assert len(mails("reminder")) == 1


def test_closed_items_and_items_without_a_due_date_are_not_reminded(new_item):
    new_item(D(2026, 6, 18), status=ItemStatus.DONE)
    new_item(D(2026, 6, 18), status=ItemStatus.CANCELLED)
    new_item(None)
    assert scan_reminders(now=at(2026, 6, 17, 9)) == 0


def test_a_delayed_item_is_reminded_again_before_its_new_date(new_item, people):
    item = new_item(D(2026, 6, 18), meeting=None, created_by=people["host"])
    scan_reminders(now=at(2026, 6, 17, 9))
    action_item_set_status(actor=people["member"], item=item, status=ItemStatus.DELAYED, reason="数据未到",
                           new_due=D(2026, 12, 30))
    assert scan_reminders(now=at(2026, 12, 29, 9)) >= 1
    assert [key.split(":")[2] for _n, key in mails("reminder")] == ["2026-06-18", "2026-12-30"]


def test_a_missed_reminder_day_is_caught_up_before_the_due_date(new_item):
    new_item(D(2026, 6, 18))  # reminder day 06-17; no worker ran that day
    assert scan_reminders(now=at(2026, 6, 18, 6)) > 0  # 06:00 on the 18th still counts as the 17th
    assert recipients("reminder") == ["member"]


def test_the_policy_decides_how_many_working_days_ahead(new_item, org):
    policy = policy_for(org)
    policy.reminder_workdays = 3
    policy.save()
    new_item(D(2026, 10, 9))  # 3 working days before: 10-08, 09-30, 09-29 (10-01..07 off)
    assert scan_reminders(now=at(2026, 9, 28, 10)) == 0
    assert scan_reminders(now=at(2026, 9, 29, 10)) > 0


def test_a_reminder_in_a_year_the_calendar_does_not_know_says_monday_to_friday_was_assumed(new_item, people):
    new_item(D(2027, 3, 2))
    assert scan_reminders(now=at(2027, 3, 1, 10)) > 0
    message = OutboxMessage.objects.get(channel="email")
    assert "the working calendar for 2027 is not known yet" in message.body_text
    assert "Monday to Friday were assumed" in message.body_html


def test_a_known_year_says_nothing_about_assumptions(new_item):
    new_item(D(2026, 6, 18))
    scan_reminders(now=at(2026, 6, 17, 9))
    assert "assumed" not in OutboxMessage.objects.get(channel="email").body_text
