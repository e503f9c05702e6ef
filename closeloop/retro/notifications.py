"""Messages about retrospectives and progress sync, queued in the outbox inside the transaction that causes them,
in each person's language, once per person, channel and key (a scan that runs again queues nothing)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.emails import render_email
from closeloop.notify.models import OutboxMessage
from closeloop.notify.preferences import channels_for
from closeloop.notify.services import LINK_HEADER, outbox_enqueue

# event -> the message kind (its first part picks the person's channel preference)
KINDS = {
    "completed": "notice.retro_completed",
    "retro_reminder": "reminder.retrospective",
    "retro_escalation": "escalation.retrospective",
    "report": "minutes.retro_report",
    "progress_reminder": "reminder.progress",
    "change_asked": "notice.request_change",
    "change_decided": "notice.request_change_decided",
    "risk": "risk.request_progress",
}


def retro_link(retrospective):
    return settings.SITE_URL + reverse("retro:detail", args=[retrospective.pk])


def progress_link(request):
    return settings.SITE_URL + reverse("retro:progress", args=[request.pk])


def notify_person(*, person, event, key, context, organisation, link, now=None):
    """Queue the `event` message for `person` on each of their channels; returns the rows queued now."""
    if person is None or not person.is_active:
        return []
    now = now or timezone.now()
    kind = KINDS[event]
    addresses = {channel: address for channel, address in channels_for(person, kind, now) if address}
    keys = {channel: f"retro:{event}:{key}:{person.pk}:{channel}" for channel in addresses}
    existing = set(OutboxMessage.objects.filter(idempotency_key__in=keys.values())
                   .values_list("idempotency_key", flat=True))
    wanted = [channel for channel in addresses if keys[channel] not in existing]
    if not wanted:
        return []
    language = person.language or settings.LANGUAGE_CODE
    mail = render_email("retro/email/message", {**context, "event": event, "person": person, "link": link},
                        language=language, zone=organisation_tz(organisation))
    return [outbox_enqueue(key=keys[channel], recipient=person, address=addresses[channel], channel=channel,
                           kind=kind, subject=mail.subject, body_text=mail.text, body_html=mail.html,
                           headers={"Content-Language": language, LINK_HEADER: link})
            for channel in wanted]


def notify_people(people, **kwargs):
    rows, seen = [], set()
    for person in people:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        rows += notify_person(person=person, **kwargs)
    return rows
