"""The .ics builder on its own: roles, answers, place and link, and the time zone of the organisation."""

import pytest
from icalendar import Calendar

from closeloop.lib.ics import CANCEL, meeting_calendar, topic_starts
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.selectors import meeting_detail
from closeloop.meetings.services.planning import participant_respond, participant_set

pytestmark = pytest.mark.django_db


def event_of(meeting, **kwargs):
    return Calendar.from_ical(meeting_calendar(meeting_detail(meeting), **kwargs)).events[0]


def attendee(event, email):
    return next(a for a in event.get("attendee") if str(a) == f"mailto:{email}")


def test_an_optional_participant_is_opt_and_an_answer_shows_as_partstat(people, meeting):
    participant_set(actor=people["host"], meeting=meeting, person=people["head"],
                    roles=[ParticipantRole.INFORMED], required=False)
    participant_respond(participant=meeting.participants.get(person=people["member"]), response="accepted")
    event = event_of(meeting)
    assert attendee(event, "head@example.com").params["ROLE"] == "OPT-PARTICIPANT"
    assert attendee(event, "member@example.com").params["PARTSTAT"] == "ACCEPTED"


def test_place_and_online_link_both_reach_the_invite(people, meeting):
    meeting.online_link = "https://meet.example.com/q3"
    meeting.confidential = True
    meeting.save()
    event = event_of(meeting)
    assert str(event["LOCATION"]) == "3楼会议室A / https://meet.example.com/q3"
    assert str(event["URL"]) == "https://meet.example.com/q3"
    assert str(event["CLASS"]) == "CONFIDENTIAL"


def test_the_time_zone_is_the_organisations(org, people, meeting):
    org.time_zone = "Europe/Berlin"
    org.save()
    meeting.refresh_from_db()
    event = event_of(meeting)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.start.hour == 8  # 14:00 in Shanghai is 08:00 in Berlin in June


def test_a_cancel_carries_the_given_sequence(people, meeting):
    event = event_of(meeting, method=CANCEL, sequence=4)
    assert event["SEQUENCE"] == 4 and str(event["STATUS"]) == "CANCELLED"


def test_topics_start_back_to_back():
    from closeloop.conftest import at

    assert [t.strftime("%H:%M") for t in topic_starts(at(2026, 6, 15, 14), [20, 25, 25])] == ["14:00", "14:20", "14:45"]
