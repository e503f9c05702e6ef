"""The meeting notice (会议通知): sending it, updating it, and calling the meeting off.

Each recipient gets one email in their own language with the .ics invite attached; the emails are
outbox rows written in the same transaction as the state change, so a rollback sends nothing and
the worker delivers the rest.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record
from closeloop.lib.emails import render_email
from closeloop.lib.ics import CANCEL, REQUEST, meeting_calendar, org_zone, topic_starts
from closeloop.meetings.choices import MeetingState, Response
from closeloop.meetings.models import Meeting
from closeloop.meetings.noticechanges import last_notice_content, notice_changes, notice_content
from closeloop.meetings.selectors import meeting_detail
from closeloop.meetings.services.access import require_editor
from closeloop.notify.fanout import mail_rows, notify_everywhere
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for


@dataclass
class NoticeResult:
    meeting: Meeting
    sequence: int
    update: bool = False
    queued: list = field(default_factory=list)  # outbox messages
    skipped: list = field(default_factory=list)  # people without an email address
    elsewhere: list = field(default_factory=list)  # the same messages in inboxes and on robots


def meeting_url(meeting):
    try:
        path = reverse("meetings:detail", args=[meeting.pk])
    except NoReverseMatch:  # the planning pages own that name
        path = f"/meetings/{meeting.pk}/"
    return settings.SITE_URL + path


def respond_url(participant):
    return settings.SITE_URL + reverse("meetings:respond", args=[participant.token])


def notice_recipients(participants):
    """[(person, participant or None, replaced participant or None)]: participants (cc too), then substitutes."""
    rows, seen = [], set()
    for p in participants:
        if p.person.is_active and p.person.pk not in seen:
            seen.add(p.person.pk)
            rows.append((p.person, p, None))
    for p in participants:
        sub = p.substitute if p.response == Response.SUBSTITUTE else None
        if sub is not None and sub.is_active and sub.pk not in seen:
            seen.add(sub.pk)
            rows.append((sub, None, p))
    return rows


def _preread(meeting, zone):
    """The date pre-read materials should be read by, on the organisation's working calendar."""
    policy = policy_for(meeting.organisation)
    start_day = timezone.localtime(meeting.start, zone).date()
    result = calendar_for(meeting.organisation).add_working_days(start_day, -policy.preread_lead_workdays)
    return {"date": result.date, "assumed": result.assumed, "workdays": policy.preread_lead_workdays}


def _shared_context(meeting, zone):
    topics = list(meeting.topics.all())
    materials = list(meeting.materials.all())
    starts = topic_starts(meeting.start, [t.minutes for t in topics])
    topic_rows = [
        {"topic": t, "start": s, "materials": [m for m in materials if m.topic_id == t.pk]}
        for t, s in zip(topics, starts, strict=True)
    ]
    return {
        "meeting": meeting, "topics": topic_rows, "participants": list(meeting.participants.all()),
        "materials": materials, "preread": _preread(meeting, zone), "meeting_url": meeting_url(meeting),
        "time_zone": str(zone), "site_url": settings.SITE_URL,
    }


def _enqueue_for_all(meeting, *, kind, prefix, method, sequence, extra, now, only=None):
    """One message per recipient on each of their channels: the mail in their language with the invite
    attached, their inbox, their robots. `only` (person ids) limits it to some recipients."""
    zone = org_zone(meeting.organisation)
    shared = {**_shared_context(meeting, zone), **extra}
    participants = shared["participants"]
    result = NoticeResult(meeting=meeting, sequence=sequence, update=bool(extra.get("update")))
    for person, participant, replaces in notice_recipients(participants):
        if only is not None and person.pk not in only:
            continue
        if not person.email:
            result.skipped.append(person)
        language = person.language or settings.LANGUAGE_CODE
        context = {
            **shared, "person": person, "participant": participant, "replaces": replaces,
            "respond_url": respond_url(participant) if participant and method == REQUEST else "",
        }
        mail = render_email(prefix, context, language=language, zone=zone)
        with translation.override(language):
            ics = meeting_calendar(
                meeting, method=method, sequence=sequence, topics=[r["topic"] for r in shared["topics"]],
                participants=participants, now=now,
            )
        rows = notify_everywhere(
            person=person, key=f"{kind}:{meeting.pk}:{sequence}:{person.pk}", kind=f"meeting.{kind}",
            subject=mail.subject, body_text=mail.text, body_html=mail.html, language=language,
            link=context["respond_url"] or shared["meeting_url"],
            attachments=[{"filename": "invite.ics", "content_type": f"text/calendar; method={method}",
                          "content": ics}],
        )
        result.queued += mail_rows(rows)
        result.elsewhere += [row for row in rows if row not in result.queued]
    return result


def _agenda_refusal(meeting, now):
    """The agenda check's blocking findings, as messages (none while the agenda module is absent)."""
    try:
        from closeloop.meetings.agenda import agenda_blocking_findings
    except ImportError:
        return []
    return [
        " ".join(part for part in (str(getattr(f, "message", f)), str(getattr(f, "fix", "") or "")) if part)
        for f in agenda_blocking_findings(meeting, now=now)
    ]


@transaction.atomic
def notice_send(*, actor, meeting, now=None):
    """Send the notice (first time) or an update of it (sequence + 1) to every participant and substitute."""
    now = now or timezone.now()
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editor(actor, locked)
    update = locked.state == MeetingState.NOTICED
    if update and locked.version <= locked.notice_version:
        # One update per change set: a second click (or the save that already sent it) sends nothing more.
        raise ValidationError({"notice": _("Everyone already has the latest notice: nothing changed since it "
                                           "was sent.")})
    if not update:
        # An update always goes out: participants must learn of a change even if the agenda now has gaps.
        problems = _agenda_refusal(locked, now)
        if problems:
            raise ValidationError({"agenda": problems})
    sequence = locked.notice_sequence + 1 if update else 0
    changes = {"state": MeetingState.NOTICED, "notice_sequence": sequence, "notice_version": locked.version}
    if not update:
        changes["notice_sent_at"] = now
    Meeting.objects.filter(pk=locked.pk).update(**changes)
    for obj in (locked, meeting):
        for name, value in changes.items():
            setattr(obj, name, value)
    detail = meeting_detail(locked)
    content = notice_content(detail)
    changes = notice_changes(last_notice_content(locked), content) if update else []
    result = _enqueue_for_all(
        detail, kind="notice", prefix="meetings/email/notice", method=REQUEST,
        sequence=sequence, extra={"update": update, "changes": changes}, now=now,
    )
    result.meeting = meeting
    audit_record(
        actor=actor, action="meeting.notice_update" if update else "meeting.notice", obj=locked,
        after={"sequence": sequence, "recipients": [m.address for m in result.queued],
               "skipped": [p.pk for p in result.skipped], "content": content},
    )
    return result


def notice_invite_late(*, meeting, person_ids, now=None):
    """The notice as it stands, to people who joined after it went out (a substitute); nothing before it."""
    now = now or timezone.now()
    if meeting.state != MeetingState.NOTICED:
        return NoticeResult(meeting=meeting, sequence=meeting.notice_sequence)
    return _enqueue_for_all(
        meeting_detail(meeting), kind="notice", prefix="meetings/email/notice", method=REQUEST,
        sequence=meeting.notice_sequence, extra={"update": meeting.notice_sequence > 0}, now=now,
        only=set(person_ids),
    )


@transaction.atomic
def meeting_cancel(*, actor, meeting, reason, now=None):
    """Call the meeting off with a reason; if the notice went out, everyone gets a METHOD:CANCEL invite."""
    now = now or timezone.now()
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editor(actor, locked)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why the meeting is cancelled.")})
    was_noticed = locked.state == MeetingState.NOTICED
    before = {"state": locked.state, "notice_sequence": locked.notice_sequence}
    changes = {"state": MeetingState.CANCELLED, "cancel_reason": reason, "cancelled_at": now,
               "version": locked.version + 1}
    if was_noticed:
        changes["notice_sequence"] = locked.notice_sequence + 1
    Meeting.objects.filter(pk=locked.pk).update(**changes)
    for obj in (locked, meeting):
        for name, value in changes.items():
            setattr(obj, name, value)
    result = NoticeResult(meeting=meeting, sequence=locked.notice_sequence)
    if was_noticed:
        result = _enqueue_for_all(
            meeting_detail(locked), kind="cancel", prefix="meetings/email/cancel", method=CANCEL,
            sequence=locked.notice_sequence, extra={"reason": reason}, now=now,
        )
        result.meeting = meeting
    audit_record(
        actor=actor, action="meeting.cancel", obj=locked, before=before,
        after={"state": MeetingState.CANCELLED, "reason": reason, "notice_sequence": locked.notice_sequence,
               "recipients": [m.address for m in result.queued]},
    )
    return result


def notice_withdraw(*, meeting, participant, now=None):
    """Someone taken off a noticed meeting gets a METHOD:CANCEL invite for its UID, so the meeting leaves their
    calendar, with a mail saying they are no longer expected. Sent only to them; the others' invites stand."""
    person = participant.person
    if meeting.state != MeetingState.NOTICED or not person.is_active:
        return None
    now = now or timezone.now()
    zone = org_zone(meeting.organisation)
    language = person.language or settings.LANGUAGE_CODE
    sequence = meeting.notice_sequence + 1  # later than the invite they hold, as calendars require
    context = {"meeting": meeting, "person": person, "meeting_url": meeting_url(meeting),
               "time_zone": str(zone), "site_url": settings.SITE_URL}
    mail = render_email("meetings/email/withdrawn", context, language=language, zone=zone)
    with translation.override(language):
        ics = meeting_calendar(meeting, method=CANCEL, sequence=sequence, participants=[participant], now=now)
    return notify_everywhere(
        person=person, key=f"withdrawn:{meeting.pk}:{participant.pk}:{sequence}", kind="meeting.withdrawn",
        subject=mail.subject, body_text=mail.text, body_html=mail.html, language=language, link="",
        attachments=[{"filename": "invite.ics", "content_type": f"text/calendar; method={CANCEL}",
                      "content": ics}],
    )
