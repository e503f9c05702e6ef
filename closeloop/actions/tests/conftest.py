"""Fixtures for action items: an item agreed in the shared meeting, owned by the participant (member)."""

import datetime as dt

import pytest

from closeloop.actions.selectors.items import local_today
from closeloop.actions.services.items import action_item_create
from closeloop.tests_browser.conftest import audit_flushable, browser, page  # noqa: F401  (browser fixtures)


def item_data(people, **overrides):
    data = {
        "task": "提交Q3推广预算明细表", "owner": people["member"], "due": dt.date(2026, 6, 18),
        "deliverable": "预算明细表经财务部签字确认", "support_needed": "财务部提供Q2实际支出",
    }
    data.update(overrides)
    return data


@pytest.fixture
def item(people, meeting):
    return action_item_create(actor=people["recorder"], organisation=meeting.organisation,
                              data=item_data(people), meeting=meeting)


@pytest.fixture
def today(org):
    return local_today(org)


def later(day, days):
    return day + dt.timedelta(days=days)
