"""The one way follow-ups notify a person: their preferred channels, their language, one outbox row per channel.

Keys are deterministic (`<key>:<channel>`), so a scan that runs again, or two workers racing on the same
scan, queue nothing twice. Call it inside the transaction of the change that causes the message.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.emails import render_email
from closeloop.notify.models import OutboxMessage
from closeloop.notify.services import outbox_enqueue

# Until the person's preferences say otherwise: mail, and the in-app inbox once its transport exists.
FALLBACK_CHANNELS = ("email", "inbox")
# Where a message links back to (the inbox shows it; mail carries it in the body too).
LINK_HEADER = "X-Closeloop-Link"


def _fallback_channels(person, kind, now):
    from closeloop.notify.transports import TRANSPORTS

    addresses = {"email": person.email, "inbox": str(person.pk)}
    return [(channel, addresses[channel]) for channel in FALLBACK_CHANNELS
            if channel in TRANSPORTS and addresses[channel]]


def channels_for(person, kind, now):
    """[(channel, address)] for this person and kind: the notify app's preferences when it has them, with
    their inbox always among them."""
    try:
        from closeloop.notify.fanout import channels_with_inbox as preferred
    except ImportError:
        preferred = _fallback_channels
    return [(entry, person.email if entry == "email" else str(person.pk)) if isinstance(entry, str)
            else tuple(entry[:2]) for entry in preferred(person, kind, now)]


def item_link(item):
    return settings.SITE_URL + reverse("actions:detail", args=[item.pk])


def notify_person(*, person, kind, key, template, context, link, organisation=None, now=None):
    """Queue `followup/email/<template>` for `person` on each of their channels; returns the new rows.

    Nothing is rendered when every channel already has its row (the common case when a scan runs again).
    """
    if person is None or not person.is_active:
        return []
    now = now or timezone.now()
    addresses = {channel: address for channel, address in channels_for(person, kind, now) if address}
    keys = {channel: f"{key}:{channel}" for channel in addresses}
    existing = set(OutboxMessage.objects.filter(idempotency_key__in=keys.values())
                   .values_list("idempotency_key", flat=True))
    wanted = [channel for channel in addresses if keys[channel] not in existing]
    if not wanted:
        return []
    organisation = organisation or person.organisation
    language = person.language or settings.LANGUAGE_CODE
    zone = organisation_tz(organisation) if organisation is not None else None
    mail = render_email(f"followup/email/{template}", {**context, "person": person, "link": link},
                        language=language, zone=zone)
    return [
        outbox_enqueue(
            key=keys[channel], recipient=person, address=addresses[channel], channel=channel, kind=kind,
            subject=mail.subject, body_text=mail.text, body_html=mail.html,
            headers={"Content-Language": language, LINK_HEADER: link},
        )
        for channel in wanted
    ]
