"""The one way follow-ups notify a person: their preferred channels, their language, one outbox row per channel.

Keys are deterministic (`<key>:<channel>`), so a scan that runs again, or two workers racing on the same
scan, queue nothing twice. Call it inside the transaction of the change that causes the message.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.emails import render_email, render_emails
from closeloop.lib.lookups import AnyOf
from closeloop.notify.bulk import outbox_enqueue_many
from closeloop.notify.models import OutboxMessage
from closeloop.notify.preferences import preload
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


def item_linker():
    """item → its link like `item_link`, with the URL reversed once for a whole scan (reverse() per item was a
    tenth of the reminder scan)."""
    marker = 987654321987
    before, after = item_link(type("Item", (), {"pk": marker})).split(str(marker))
    return lambda item: f"{before}{item.pk}{after}"


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


# Keys looked up per query (SQLite since 3.32 and PostgreSQL take far more parameters than this).
KEYS_PER_QUERY = 5000


@dataclass
class Notice:
    """One follow-up for one person, for `notify_many`: `context` steers the template (flags, counts),
    `fields` fill it in (see `lib.emails.render_emails`)."""

    person: object
    key: str
    link: str
    organisation: object
    context: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)


def item_fields(item):
    """The text of an item a reminder or an escalation shows, as template fields."""
    task = item.task or ""
    return {"task": (task, linebreaksbr(task, autoescape=True)),
            "task_short": task if len(task) <= 60 else Truncator(task).chars(60),
            "owner": str(item.owner) if item.owner is not None else "",
            "due": item.due.isoformat() if item.due else "", "deliverable": item.deliverable or ""}


def notify_many(notices, *, kind, template, now=None):
    """`notify_person` for many notices at once; returns the new outbox rows.

    A fixed number of queries whatever their number: the people's preferences in one read, the keys already
    queued in one, the rows in bulk inserts. Each template is rendered once per language and shape of
    context, and each person's name, item and link are filled in. Nothing is rendered for a notice whose
    every channel already has its row (a scan that runs again)."""
    now = now or timezone.now()
    notices = [n for n in notices if n.person is not None and n.person.is_active]
    canonical = {}  # one object per person (a head read with each of their items): preferences read once
    for notice in notices:
        notice.person = canonical.setdefault(notice.person.pk, notice.person)
        if notice.organisation is not None and notice.person.organisation_id == notice.organisation.pk:
            notice.person.organisation = notice.organisation  # read for the time zone: no query per person
    preload(canonical.values())
    wanted = [(notice, channel, address) for notice in notices
              for channel, address in channels_for(notice.person, kind, now) if address]
    keys = [f"{notice.key}:{channel}" for notice, channel, _address in wanted]
    existing = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        existing.update(OutboxMessage.objects.filter(AnyOf(F("idempotency_key"), keys[start:start + KEYS_PER_QUERY]))
                        .values_list("idempotency_key", flat=True))
    wanted = [(n, c, a, k) for (n, c, a), k in zip(wanted, keys, strict=True) if k not in existing]
    groups = defaultdict(dict)  # (language, zone) -> {id(notice): notice}
    for notice, _channel, _address, _key in wanted:
        organisation = notice.organisation or notice.person.organisation
        zone = organisation_tz(organisation) if organisation is not None else None
        groups[(notice.person.language or settings.LANGUAGE_CODE, zone)][id(notice)] = notice
    mails = {}
    for (language, zone), members in groups.items():
        readers = [(n.context, {**n.fields, "name": str(n.person), "link": n.link}) for n in members.values()]
        for notice, mail in zip(members.values(), render_emails(f"followup/email/{template}", readers,
                                                                language=language, zone=zone), strict=True):
            mails[id(notice)] = mail
    rows = []
    for notice, channel, address, key in wanted:
        mail = mails[id(notice)]
        rows.append({"key": key, "recipient": notice.person, "address": address, "channel": channel, "kind": kind,
                     "subject": mail.subject, "body_text": mail.text, "link": notice.link,
                     "body_html": mail.html if channel == "email" else "",  # as notify_everywhere: mail only
                     "headers": {"Content-Language": mail.language, LINK_HEADER: notice.link}})
    return outbox_enqueue_many(rows, now=now, checked=True)
