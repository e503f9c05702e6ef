"""Minutes not drafted in time: the recorder and the host hear, once."""

import pytest

from closeloop.followup.scans import scan_minutes_late
from closeloop.followup.tests.conftest import at, mails, recipients
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.models import Meeting
from closeloop.minutes.choices import MinutesState
from closeloop.minutes.models import Minutes
from closeloop.notify.models import OutboxMessage
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(meeting):
    """The shared meeting (ends 2026-06-15 15:30), noticed so it counts as held."""
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.NOTICED)
    meeting.refresh_from_db()
    return meeting


def test_the_recorder_and_the_host_hear_once_the_draft_is_late(held):
    assert scan_minutes_late(now=at(2026, 6, 16, 15, 29)) == 0
    assert scan_minutes_late(now=at(2026, 6, 16, 15, 31)) >= 2
    assert recipients("minutes") == ["host", "recorder"]
    assert scan_minutes_late(now=at(2026, 6, 16, 18)) == 0
    recorder = OutboxMessage.objects.get(channel="email", recipient__username="recorder")
    assert held.title in recorder.subject
    assert "记录人" in recorder.body_text or "recorder" in recorder.body_text
    assert recorder.headers["X-Closeloop-Link"].endswith(f"/minutes/meetings/{held.pk}/")


def test_the_policy_sets_the_hours(held, org):
    policy = policy_for(org)
    policy.minutes_draft_hours = 2
    policy.save()
    assert scan_minutes_late(now=at(2026, 6, 15, 17, 29)) == 0
    assert scan_minutes_late(now=at(2026, 6, 15, 17, 31)) >= 2


def test_a_draft_still_unsubmitted_after_its_due_time_is_late_too(held, people):
    Minutes.objects.create(meeting=held, state=MinutesState.DRAFT, created_by=people["recorder"])
    assert scan_minutes_late(now=at(2026, 6, 17, 10)) >= 2


def test_submitted_minutes_are_not_late(held, people):
    Minutes.objects.create(meeting=held, state=MinutesState.IN_REVIEW, created_by=people["recorder"])
    assert scan_minutes_late(now=at(2026, 6, 17, 10)) == 0


def test_draft_or_cancelled_meetings_and_meetings_long_past_are_left_alone(meeting, settings):
    assert scan_minutes_late(now=at(2026, 6, 17, 10)) == 0  # never noticed nor recorded
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.CANCELLED)
    assert scan_minutes_late(now=at(2026, 6, 17, 10)) == 0
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.NOTICED)
    settings.FOLLOWUP_LOOKBACK_DAYS = 30
    assert scan_minutes_late(now=at(2026, 8, 1, 10)) == 0
    assert mails("minutes") == []
