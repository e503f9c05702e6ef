"""One message to one person on every channel they prefer: the inbox always, mail, their department's robots.

The apps that tell people something (a notice, the minutes, a sign-off request, a change request) call
`notify_everywhere` inside the transaction that causes it. The mail keeps the key the caller gives (so a
message queued before this existed is not sent twice); every other channel gets `<key>:<channel>`.
Quiet hours are applied by `outbox_enqueue` to every channel but the silent inbox.
"""

from django.conf import settings
from django.utils import translation

from closeloop.lib.emails import render_email
from closeloop.notify.models import Channel, OutboxMessage
from closeloop.notify.preferences import channels_for, person_zone
from closeloop.notify.services import LINK_HEADER, absolute_link, outbox_enqueue


def channels_with_inbox(person, kind, now=None):
    """[(channel, address)] the person prefers for `kind`, with their inbox added when they left it out."""
    chosen = list(channels_for(person, kind, now))
    if not any(channel == Channel.INBOX for channel, _address in chosen):
        chosen.append((Channel.INBOX.value, str(person.pk)))
    return chosen


def notify_everywhere(*, person, kind, key, subject, body_text, body_html="", link="", attachments=None,
                      language=None, now=None):
    """Queue the message for `person` on each of their channels; returns the new outbox rows (mail first).

    Attachments (an .ics invite, the minutes .docx) and the HTML part go with the mail only; the inbox and
    the robots carry the text and the link to act on.
    """
    if person is None or not person.is_active:
        return []
    language = language or person.language or settings.LANGUAGE_CODE
    headers = {"Content-Language": language}
    if link:
        headers[LINK_HEADER] = link
    rows = []
    chosen = sorted(channels_with_inbox(person, kind, now), key=lambda c: c[0] != Channel.EMAIL)
    keys = {channel: key if channel == Channel.EMAIL else f"{key}:{channel}" for channel, _address in chosen}
    queued = set(OutboxMessage.objects.filter(idempotency_key__in=keys.values()).values_list(
        "idempotency_key", flat=True))
    for channel, address in chosen:
        if keys[channel] in queued:  # asked again (a scan that runs again): nothing new
            continue
        mail = channel == Channel.EMAIL
        rows.append(outbox_enqueue(
            key=keys[channel], recipient=person, address=address, channel=channel, kind=kind,
            subject=subject, body_text=body_text, body_html=body_html if mail else "",
            attachments=attachments if mail else None, headers=headers, link=link,
        ))
    return rows


def mail_rows(rows):
    """The mail rows among `rows` (what the callers used to return as "queued")."""
    return [row for row in rows if row.channel == Channel.EMAIL]


def tell(*, person, kind, key, link, compose, now=None):
    """Tell `person` something short on every channel: `compose()` returns (title, [lines]) and runs in the
    person's language, so every string it builds with gettext is theirs."""
    if person is None or not person.is_active:
        return []
    language = person.language or settings.LANGUAGE_CODE
    with translation.override(language):
        title, lines = compose()
        title, lines = str(title), [str(line) for line in lines if line]
    url = absolute_link(link)
    mail = render_email("notify/email/message", {"person": person, "title": title, "lines": lines, "link": url},
                        language=language, zone=person_zone(person))
    return notify_everywhere(person=person, kind=kind, key=key, subject=mail.subject, body_text=mail.text,
                             body_html=mail.html, link=url, language=language, now=now)
