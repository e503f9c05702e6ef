"""Emails about an item's change request, queued in the outbox inside the transaction that causes them.

Each message has a deterministic key (change, event, recipient), so a retried transaction or a second
call queues nothing twice. Each reader gets it in their own language, with a link back to the item.
"""

from django.conf import settings
from django.urls import reverse

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.emails import render_email
from closeloop.notify.services import outbox_enqueue


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
        if person is None or person.pk in seen or not person.email:
            continue
        seen.add(person.pk)
        language = person.language or settings.LANGUAGE_CODE
        context = {"change": change, "item": item, "person": person, "event": event, "item_url": item_url(item)}
        mail = render_email(prefix, context, language=language, zone=zone)
        queued.append(outbox_enqueue(
            key=f"actions.change:{change.pk}:{event}:{person.pk}", recipient=person, address=person.email,
            kind=f"action_item.change_{event}", subject=mail.subject, body_text=mail.text, body_html=mail.html,
            headers={"Content-Language": language}, link=context["item_url"],
        ))
    return queued


def notify_hand_over(item, *, previous, new_owner):
    """Tell the new owner of a handed-over item, in their language (nothing without an address)."""
    if not new_owner.email:
        return None
    language = new_owner.language or settings.LANGUAGE_CODE
    context = {"item": item, "previous": previous, "person": new_owner, "item_url": item_url(item)}
    mail = render_email("actions/email/handed_over", context, language=language,
                        zone=organisation_tz(item.organisation))
    return outbox_enqueue(
        key=f"actions.hand_over:{item.pk}:{item.version}:{new_owner.pk}", recipient=new_owner,
        address=new_owner.email, kind="action_item.handed_over", subject=mail.subject, body_text=mail.text,
        body_html=mail.html, headers={"Content-Language": language}, link=context["item_url"])
