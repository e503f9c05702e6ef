"""Emails about an item's change request, queued in the outbox inside the transaction that causes them.

Each message has a deterministic key (change, event, recipient), so a retried transaction or a second
call queues nothing twice. Each reader gets it in their own language, with a link back to the item.
"""

from django.conf import settings
from django.urls import reverse

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.emails import render_email
from closeloop.notify.fanout import mail_rows, notify_everywhere


def item_url(item):
    return settings.SITE_URL + reverse("actions:detail", args=[item.pk])


def notify_change(change, event, people):
    """Queue one email per person (each once, those without an address skipped) about `event`:
    "asked" goes to the initiators; "accepted" / "refused" to the owner and the initiators."""
    item = change.item
    zone = organisation_tz(item.organisation)
    prefix = "actions/email/change_asked" if event == "asked" else "actions/email/change_decided"
    queued, seen = [], set()
    for person in people:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        language = person.language or settings.LANGUAGE_CODE
        context = {"change": change, "item": item, "person": person, "event": event, "item_url": item_url(item)}
        mail = render_email(prefix, context, language=language, zone=zone)
        queued += mail_rows(notify_everywhere(
            person=person, key=f"actions.change:{change.pk}:{event}:{person.pk}", kind=f"action_item.change_{event}",
            subject=mail.subject, body_text=mail.text, body_html=mail.html, language=language,
            link=context["item_url"],
        ))
    return queued


def notify_hand_over(item, *, previous, new_owner):
    """Tell the new owner of a handed-over item, in their language (nothing without an address)."""
    if not new_owner.is_active:
        return None
    language = new_owner.language or settings.LANGUAGE_CODE
    context = {"item": item, "previous": previous, "person": new_owner, "item_url": item_url(item)}
    mail = render_email("actions/email/handed_over", context, language=language,
                        zone=organisation_tz(item.organisation))
    rows = notify_everywhere(
        person=new_owner, key=f"actions.hand_over:{item.pk}:{item.version}:{new_owner.pk}",
        kind="action_item.handed_over", subject=mail.subject, body_text=mail.text, body_html=mail.html,
        language=language, link=context["item_url"])
    return (mail_rows(rows) or rows or [None])[0]
