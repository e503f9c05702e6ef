"""The distribution mail: one per participant, cc person, substitute and signing head, in their language,
with the minutes .docx attached and, for a head, the link to sign off.

Written as outbox rows inside the distributing transaction: a rollback sends nothing.
"""

import base64

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.emails import render_email
from closeloop.lib.office import DOCX_CONTENT_TYPE
from closeloop.meetings.choices import Response
from closeloop.minutes.exports import docx_filename, minutes_docx_bytes
from closeloop.minutes.signals import distribution_attachments
from closeloop.notify.fanout import mail_rows, notify_everywhere


def minutes_url(minutes):
    return settings.SITE_URL + reverse("minutes:detail", args=[minutes.pk])


def signoff_url(signoff):
    return settings.SITE_URL + reverse("minutes:signoff_token", args=[signoff.token])


def recipients(meeting, signoffs):
    """[(person, [sign-offs they owe])]: participants (cc included), substitutes, then the signing heads."""
    from closeloop.record.models import Attendance

    order, owed = [], {}

    def add(person, signoff=None):
        if person is None or not person.is_active:
            return
        if person.pk not in owed:
            order.append(person)
            owed[person.pk] = []
        if signoff is not None:
            owed[person.pk].append(signoff)

    for p in meeting.participants.select_related("person", "substitute"):
        add(p.person)
        if p.response == Response.SUBSTITUTE:
            add(p.substitute)
    for a in Attendance.objects.filter(record__meeting=meeting).select_related("person", "substitute"):
        add(a.person)
        add(a.substitute)
    for signoff in signoffs:
        add(signoff.head, signoff)
    return [(person, owed[person.pk]) for person in order]


def enqueue_distribution(*, minutes, signoffs):
    """Queue the mails; returns (outbox messages, people skipped for lack of an address)."""
    meeting = minutes.meeting
    zone = organisation_tz(meeting.organisation)
    attachments = {}  # language -> attachment; the section labels follow the reader's language
    queued, skipped = [], []
    for person, owed in recipients(meeting, signoffs):
        if not person.email:
            skipped.append(person)
        language = person.language or settings.LANGUAGE_CODE
        if language not in attachments:
            with translation.override(language):
                attachments[language] = [{
                    "filename": docx_filename(minutes), "content_type": DOCX_CONTENT_TYPE,
                    "content_b64": base64.b64encode(minutes_docx_bytes(minutes)).decode("ascii"),
                }, *distribution_attachments(minutes, language)]
        context = {
            "meeting": meeting, "minutes": minutes, "person": person, "minutes_url": minutes_url(minutes),
            "signoffs": [(s.department, signoff_url(s)) for s in owed], "content": minutes.content or {},
            "attached": [a["filename"] for a in attachments[language][1:]],
        }
        mail = render_email("minutes/email/distributed", context, language=language, zone=zone)
        # A head's copy is their request to sign off: it leads to the sign-off page.
        link = context["signoffs"][0][1] if owed else context["minutes_url"]
        queued += mail_rows(notify_everywhere(
            person=person, key=f"minutes.distributed:{minutes.pk}:{person.pk}",
            kind="minutes.signoff" if owed else "minutes.distributed", subject=mail.subject, body_text=mail.text,
            body_html=mail.html, attachments=attachments[language], language=language, link=link,
        ))
    return queued, skipped
