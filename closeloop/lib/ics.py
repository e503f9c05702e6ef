"""Calendar invites (.ics) for a meeting, built with the `icalendar` package.

METHOD:REQUEST for a notice and its updates (same UID, growing SEQUENCE), METHOD:CANCEL with
STATUS:CANCELLED when the meeting is called off. Times are in the organisation's time zone,
with its VTIMEZONE, so calendar clients show the right hour wherever the reader is.
"""

import datetime as dt
import zoneinfo
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

PRODID = "-//Closeloop//Closeloop 闭环协作//ZH"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def org_zone(organisation):
    try:
        return zoneinfo.ZoneInfo(organisation.time_zone or "Asia/Shanghai")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=32)
def _vtimezone(tzid, first_year, last_year):
    from icalendar import Timezone

    """The VTIMEZONE for the years around a meeting (slow to build, so built once per zone and span)."""
    return Timezone.from_tzid(tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 1, 1))


def topic_starts(start, minutes):
    """When each topic starts if they run back to back from the meeting's start."""
    starts, at = [], start
    for m in minutes:
        starts.append(at)
        at = at + dt.timedelta(minutes=m or 0)
    return starts


def _address(person, **params):
    from icalendar import vCalAddress, vText

    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(str(person))
    for name, value in params.items():
        address.params[name.replace("_", "-").upper()] = value
    return address


def _attendee_role(participant):
    roles = set(participant.role_list)
    if roles and roles <= {"cc"}:
        return "NON-PARTICIPANT"
    return "REQ-PARTICIPANT" if participant.required else "OPT-PARTICIPANT"


PARTSTAT = {"pending": "NEEDS-ACTION", "accepted": "ACCEPTED", "declined": "DECLINED", "substitute": "DELEGATED"}


def _attendees(participants):
    """ATTENDEE lines: every participant with an address, and each substitute as a delegate."""
    lines, seen = [], set()
    for p in participants:
        person = p.person
        if not person.email or person.pk in seen:
            continue
        seen.add(person.pk)
        role = _attendee_role(p)
        params = {"ROLE": role, "PARTSTAT": PARTSTAT.get(p.response, "NEEDS-ACTION"),
                  "RSVP": "FALSE" if role == "NON-PARTICIPANT" else "TRUE"}
        if p.response == "substitute" and p.substitute_id and p.substitute.email:
            params["DELEGATED_TO"] = f"mailto:{p.substitute.email}"
        lines.append(_address(person, **params))
    for p in participants:
        sub = p.substitute if p.response == "substitute" and p.substitute_id else None
        if sub is None or not sub.email or sub.pk in seen:
            continue
        seen.add(sub.pk)
        lines.append(_address(sub, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE",
                              DELEGATED_FROM=f"mailto:{p.person.email}"))
    return lines


def _description(meeting, topics, zone):
    lines = []
    if meeting.objective:
        lines += [_("Objective: %(text)s") % {"text": meeting.objective}, ""]
    if topics:
        lines.append(_("Topics:"))
        for topic, start in zip(topics, topic_starts(meeting.start, [t.minutes for t in topics]), strict=True):
            line = f"{timezone.localtime(start, zone):%H:%M} {topic.title} ({topic.minutes} min)"
            if topic.presenter_id:
                line += f" — {topic.presenter}"
            lines.append(line)
            if topic.required_outcome:
                lines.append("   " + _("Required outcome: %(text)s") % {"text": topic.required_outcome})
    if meeting.online_link:
        lines += ["", _("Online: %(link)s") % {"link": meeting.online_link}]
    return "\n".join(lines)


def _location(meeting):
    if meeting.place and meeting.online_link:
        return f"{meeting.place} / {meeting.online_link}"
    return meeting.place or meeting.online_link


def meeting_calendar(meeting, *, method=REQUEST, sequence=None, topics=None, participants=None, host=None, now=None):
    """The .ics text of this meeting's invite (or cancellation), in the active language.

    `topics`, `participants` and `host` may be passed already loaded; otherwise they are queried.
    """
    from icalendar import Calendar, Event  # loaded when an invite is built, not in every process

    zone = org_zone(meeting.organisation)
    if topics is None:
        topics = list(meeting.topics.select_related("presenter"))
    if participants is None:
        participants = list(meeting.participants.select_related("person", "substitute"))
    if host is None:
        host = next((p.person for p in participants if p.has_role("host")), meeting.created_by)
    cancelled = method == CANCEL

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    event = Event()
    event.add("uid", meeting.ical_uid)
    event.add("sequence", meeting.notice_sequence if sequence is None else sequence)
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", timezone.localtime(meeting.start, zone))
    event.add("dtend", timezone.localtime(meeting.end, zone))
    event.add("summary", meeting.title)
    location = _location(meeting)
    if location:
        event.add("location", location)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    event.add("description", _description(meeting, topics, zone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if meeting.confidential:
        event.add("class", "CONFIDENTIAL")
    if host is not None and host.email:
        event.add("organizer", _address(host))
    for attendee in _attendees(participants):
        event.add("attendee", attendee)
    cal.add_component(_vtimezone(str(zone), meeting.start.year - 1, meeting.end.year + 2))
    cal.add_component(event)
    return cal.to_ical().decode()
