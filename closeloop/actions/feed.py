"""A person's due dates as a calendar feed (.ics): one all-day event per open item they own or share.

All-day VEVENTs rather than VTODOs, because the calendar apps people use most (Outlook, Google, DingTalk)
show events from a subscribed feed and ignore to-dos. The UID stays the same for an item, so a revised
due date moves the event instead of adding one.
"""

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from closeloop.actions.notifications import item_url
from closeloop.lib.ics import PRODID


def item_event(item, *, now):
    event = Event()
    event.add("uid", f"action-item-{item.pk}@closeloop")
    event.add("dtstamp", now)
    event.add("dtstart", item.due)
    event.add("dtend", item.due + dt.timedelta(days=1))
    event.add("summary", _("Due: %(task)s") % {"task": item.task})
    lines = [_("Status: %(status)s, %(progress)s%%") % {"status": item.get_status_display(),
                                                         "progress": item.progress}]
    if item.deliverable:
        lines.append(_("Deliverable: %(text)s") % {"text": item.deliverable})
    if item.original_due and item.original_due != item.due:
        lines.append(_("Originally due %(date)s") % {"date": item.original_due.isoformat()})
    lines.append(item_url(item))
    event.add("description", "\n".join(lines))
    event.add("url", item_url(item))
    event.add("transp", "TRANSPARENT")  # a due date does not make the person busy all day
    event.add("categories", [_("Action items")])
    return event


def feed_calendar(person, items, *, now=None):
    """The .ics bytes of the feed, in the person's language."""
    now = now or timezone.now()
    with translation.override(person.language or None):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", _("Action items of %(name)s") % {"name": person})
        cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        for item in items:
            if item.due is not None:
                cal.add_component(item_event(item, now=now))
    return cal.to_ical()
