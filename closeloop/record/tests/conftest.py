"""Fixtures for the live record: the shared meeting with its record opened, and helpers to fill it."""

import datetime as dt

import pytest

from closeloop.record.services import record_open


@pytest.fixture
def record(people, meeting):
    return record_open(actor=people["recorder"], meeting=meeting)


@pytest.fixture
def topics(meeting):
    """inform, discuss, decide — in agenda order."""
    return list(meeting.topics.order_by("order"))


def item_data(people, **overrides):
    data = {
        "task": "提交Q3推广预算明细表", "owner": people["member"], "due": dt.date(2026, 6, 18),
        "deliverable": "预算明细表经财务部签字确认", "support_needed": "",
    }
    data.update(overrides)
    return data


def login(client, person):
    client.force_login(person)
    return client
