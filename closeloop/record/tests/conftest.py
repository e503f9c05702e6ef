"""Fixtures for the live record: the shared meeting with its record opened, and helpers to fill it."""

import datetime as dt

import pytest

from closeloop.record.services.record import record_open


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


@pytest.fixture
def earlier_item(people, meeting):
    """An open item of last week's meeting of the same series (recorded by the same recorder), owned by member."""
    from closeloop.actions.services.items import action_item_create
    from closeloop.conftest import at
    from closeloop.meetings.models import Series
    from closeloop.meetings.services.planning import meeting_create, participant_set

    series = Series.objects.create(organisation=meeting.organisation, name="Q3推广周例会")
    meeting.series = series
    meeting.save(update_fields=["series"])
    earlier = meeting_create(actor=people["host"], recorder=people["recorder"], data={
        "type": "weekly_sync", "title": "Q3推广周例会(上周)", "series": series,
        "start": at(2026, 6, 8, 14), "end": at(2026, 6, 8, 14, 30)})
    participant_set(actor=people["host"], meeting=earlier, person=people["member"], roles=["executor"])
    return action_item_create(actor=people["recorder"], organisation=meeting.organisation, meeting=earlier,
                              data=item_data(people, task="整理上周渠道数据", due=dt.date(2026, 6, 12)))
