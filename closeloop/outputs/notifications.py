"""The output travels with the minutes: attached to the distribution mail (through the minutes' hook), in each
recipient's in-app inbox, and posted to the robots of the participating departments that carry minutes.

Everything is queued in the distributing transaction, with deterministic keys: a rollback sends nothing,
a retry queues nothing twice.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from closeloop.minutes.selectors import participating_departments
from closeloop.notify.models import ROBOT_CHANNELS, Channel, Robot
from closeloop.notify.services import LINK_HEADER, outbox_enqueue
from closeloop.outputs import rules
from closeloop.outputs.models import Output
from closeloop.outputs.selectors import output_of
from closeloop.outputs.services import output_generate

KIND = "minutes.output"


def output_path(minutes):
    return reverse("outputs:minutes", args=[minutes.pk])


def attachments_for(minutes, language):
    """The output's .docx and .xlsx in `language`, for the minutes' distribution mail ([] for no output)."""
    from closeloop.outputs.exports import attachments  # python-docx and openpyxl: loaded when a file is built

    kind = rules.kind_for(minutes.meeting.type)
    if kind is None:
        return []
    with translation.override(language):
        return attachments(output_of(minutes.meeting, kind, minutes))


def _text(view):
    s = view.summary
    subject = _("%(output)s of “%(meeting)s”") % {"output": view.title, "meeting": view.meeting.title}
    body = _("The minutes of “%(meeting)s” are distributed with their %(output)s: %(total)s rows, %(open)s "
             "open. The list stays live until every row is closed.") % {
        "meeting": view.meeting.title, "output": view.title, "total": s["total"], "open": s["open"]}
    return subject, body


def _robots(meeting):
    departments = [d.pk for d in participating_departments(meeting)]
    robots = Robot.objects.filter(department_id__in=departments, enabled=True,
                                  platform__in=[c.value for c in ROBOT_CHANNELS]).order_by("pk")
    return [r for r in robots if "minutes" in (r.kinds or [])]


def output_send(*, actor, minutes, recipients, **_signal):
    """Minutes distributed: the output goes to each recipient's inbox and to the departments' robots."""
    kind = rules.kind_for(minutes.meeting.type)
    if kind is None:
        return []
    meeting = minutes.meeting
    output_generate(actor=actor, minutes=minutes)  # minutes approved before the output existed get it now
    link = output_path(minutes)
    queued, seen = [], set()
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        language = person.language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject, body = _text(output_of(meeting, kind, minutes))
        queued.append(outbox_enqueue(
            key=f"{KIND}:{minutes.pk}:{person.pk}:inbox", recipient=person, address=str(person.pk),
            channel=Channel.INBOX, kind=KIND, subject=subject, body_text=body, link=link,
            headers={"Content-Language": language, LINK_HEADER: settings.SITE_URL + link}))
    for robot in _robots(meeting):
        with translation.override(robot.language):
            subject, body = _text(output_of(meeting, kind, minutes))
        queued.append(outbox_enqueue(
            key=f"{KIND}:{minutes.pk}:robot:{robot.pk}", address=robot.address, channel=robot.platform,
            kind=KIND, subject=subject, body_text=body, link=link, headers={"Content-Language": robot.language}))
    Output.objects.filter(minutes=minutes, sent_at__isnull=True).update(sent_at=timezone.now())
    return queued
