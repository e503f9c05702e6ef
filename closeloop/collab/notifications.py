"""Messages about requests, queued in the outbox inside the transaction that causes them.

Each person gets one row per channel they chose (mail, their department's robot) and always one in their inbox, in their
own language, with a link back to the request. Keys are deterministic, so a retried transaction or a
scan that runs again queues nothing twice.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.emails import render_email
from closeloop.notify.fanout import channels_with_inbox
from closeloop.notify.models import OutboxMessage
from closeloop.notify.services import LINK_HEADER, outbox_enqueue

# event -> the message kind (its first part picks the person's channel preference: notice, reminder, …)
KINDS = {
    "sent": "notice.request_sent",
    "leadership": "notice.request_leadership",
    "answered": "notice.request_answered",
    "replied": "notice.request_replied",
    "changed": "notice.request_changed",
    "reminder": "reminder.request",
    "escalation": "escalation.request",
    "memo_sign": "minutes.memo_sign",
    "memo_signed": "minutes.memo_signed",
    "memo_returned": "minutes.memo_returned",
    "resource_step": "notice.resource_step",
    "resource_approved": "notice.resource_approved",
    "resource_returned": "notice.resource_returned",
}


def request_link(request):
    return settings.SITE_URL + reverse("collab:detail", args=[request.pk])


def answer_link(receipt):
    """The page a receiving head answers from without signing in (the link is their credential)."""
    return settings.SITE_URL + reverse("collab:answer_token", args=[receipt.token])


def memo_sign_link(signature):
    """The signing page a head opens from the message, without signing in (the minutes sign-off pattern)."""
    return settings.SITE_URL + reverse("collab:memo_sign_token", args=[signature.token])


RESOURCE_LINK_SALT = "collab.resource-step"


def resource_step_link(resource_request, person):
    """The page an approver decides the current step from without signing in: signed for this person, this round
    and this step, so it stops working once the step is decided."""
    token = signing.dumps([resource_request.pk, resource_request.round, resource_request.step, person.pk],
                          salt=RESOURCE_LINK_SALT, compress=True)
    return settings.SITE_URL + reverse("collab:resource_token", args=[token])


def resource_step_from_link(token, max_age):
    """(resource id, round, step, person id) of a link made by resource_step_link; BadSignature when forged or
    older than max_age seconds."""
    resource_id, round_, step, person_id = signing.loads(token, salt=RESOURCE_LINK_SALT, max_age=max_age)
    return int(resource_id), int(round_), int(step), int(person_id)


def notify_person(*, person, event, key, context, organisation, now=None, link=None):
    """Queue the `event` message for `person` on each of their channels; returns the rows queued now."""
    if person is None or not person.is_active:
        return []
    now = now or timezone.now()
    kind = KINDS[event]
    addresses = {channel: address for channel, address in channels_with_inbox(person, kind, now) if address}
    keys = {channel: f"collab:{event}:{key}:{person.pk}:{channel}" for channel in addresses}
    existing = set(OutboxMessage.objects.filter(idempotency_key__in=keys.values())
                   .values_list("idempotency_key", flat=True))
    wanted = [channel for channel in addresses if keys[channel] not in existing]
    if not wanted:
        return []
    request = context["request"]
    link = link or request_link(request)
    language = person.language or settings.LANGUAGE_CODE
    mail = render_email("collab/email/request", {**context, "event": event, "person": person, "link": link},
                        language=language, zone=organisation_tz(organisation))
    return [
        outbox_enqueue(
            key=keys[channel], recipient=person, address=addresses[channel], channel=channel, kind=kind,
            subject=mail.subject, body_text=mail.text, body_html=mail.html,
            headers={"Content-Language": language, LINK_HEADER: link},
        )
        for channel in wanted
    ]


def notify_people(people, **kwargs):
    """notify_person for each distinct person; returns every row queued."""
    rows, seen = [], set()
    for person in people:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        rows += notify_person(person=person, **kwargs)
    return rows
