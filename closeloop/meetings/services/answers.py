"""What people hear about answers to the notice: the host learns of a decline or a substitute at once, a
substitute (代参会) is invited as the person they stand in for, and that person hears that they were replaced.

Queued inside the answering transaction, on every channel each person prefers (inbox always).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.lib.memo import forget
from closeloop.meetings.choices import MeetingState, Response
from closeloop.meetings.selectors import hosts_of
from closeloop.meetings.services.notice import meeting_url, notice_invite_late
from closeloop.notify.fanout import tell


def tell_hosts_of_answer(participant, *, now=None):
    """A decline or a substitute reaches every host at once (not the host answering for themselves)."""
    meeting, person = participant.meeting, participant.person
    stamp = f"{participant.pk}:{participant.response}:{(participant.responded_at or timezone.now()).timestamp():.0f}"
    rows = []
    for host in hosts_of(meeting):
        if host.pk == person.pk:
            continue

        def compose(participant=participant):
            values = {"name": person, "title": meeting.title, "roles": participant.roles_text(),
                      "substitute": participant.substitute, "reason": participant.response_reason}
            if participant.response == Response.DECLINED:
                title = _("%(name)s declined “%(title)s”") % values
                lines = [_("%(name)s (%(roles)s) will not attend “%(title)s”.") % values,
                         _("Reason: %(reason)s") % values]
            else:
                title = _("%(name)s sends %(substitute)s to “%(title)s”") % values
                lines = [_("%(substitute)s attends “%(title)s” in place of %(name)s (%(roles)s).") % values,
                         _("Reason: %(reason)s") % values]
            lines.append(_("The agenda check on the meeting page shows what this changes."))
            return title, lines

        rows += tell(person=host, kind="notice.answer", key=f"meeting.answer:{stamp}:{host.pk}",
                     link=meeting_url(meeting), compose=compose, now=now)
    return rows


def invite_substitute(participant, *, now=None):
    """The substitute gets the notice (mail with the invite, inbox, robots) if it already went out, and the
    person they replace hears that they keep read access and receive the minutes."""
    meeting, substitute = participant.meeting, participant.substitute
    rows = []
    if meeting.state == MeetingState.NOTICED:
        rows += notice_invite_late(meeting=meeting, person_ids={substitute.pk}, now=now).queued

    def compose():
        values = {"name": substitute, "title": meeting.title}
        return (_("%(name)s attends “%(title)s” for you") % values,
                [_("%(name)s has been invited to “%(title)s” with your roles.") % values,
                 _("You can still open the meeting and its materials, and you will receive the minutes.")])

    stamp = f"{(participant.responded_at or timezone.now()).timestamp():.0f}"
    rows += tell(person=participant.person, kind="notice.substitute",
                 key=f"meeting.substituted:{participant.pk}:{substitute.pk}:{stamp}",
                 link=meeting_url(meeting), compose=compose, now=now)
    return rows


def after_answer(participant, previous_substitute_id=None, *, now=None):
    """The messages an answer causes; none for an acceptance."""
    rows = []
    if participant.response in (Response.DECLINED, Response.SUBSTITUTE):
        rows += tell_hosts_of_answer(participant, now=now)
    if participant.response == Response.SUBSTITUTE and participant.substitute_id != previous_substitute_id:
        rows += invite_substitute(participant, now=now)
    return rows



def _tell_of_substitute_answer(participant, *, now=None):
    """The person stood in for always hears the substitute's answer; on a decline the hosts hear too, since
    nobody attends for them now."""
    meeting, substitute = participant.meeting, participant.substitute
    declined = participant.substitute_response == Response.DECLINED
    stamp = f"{participant.pk}:{substitute.pk}:{participant.substitute_response}:" \
            f"{(participant.substitute_responded_at or timezone.now()).timestamp():.0f}"

    def compose():
        values = {"name": substitute, "title": meeting.title, "original": participant.person,
                  "reason": participant.substitute_reason}
        if not declined:
            return (_("%(name)s will attend “%(title)s” for you") % values,
                    [_("%(name)s accepted to attend “%(title)s” in your place.") % values])
        return (_("%(name)s cannot attend “%(title)s” for %(original)s") % values,
                [_("%(name)s declined to attend “%(title)s” in place of %(original)s.") % values,
                 _("Reason: %(reason)s") % values,
                 _("Nobody attends for %(original)s now: they attend themselves or send someone else.") % values])

    rows = tell(person=participant.person, kind="notice.substitute_answer", key=f"meeting.sub_answer:{stamp}",
                link=meeting_url(meeting), compose=compose, now=now)
    if declined:
        for host in hosts_of(meeting):
            if host.pk != participant.person_id:
                rows += tell(person=host, kind="notice.answer", key=f"meeting.sub_answer:{stamp}:{host.pk}",
                             link=meeting_url(meeting), compose=compose, now=now)
    return rows


@transaction.atomic
def substitute_respond(*, actor, participant, response, reason=""):
    """The substitute (代参会) answers the invitation themselves: they accept, or decline with a reason."""
    if participant.response != Response.SUBSTITUTE or participant.substitute_id != actor.pk:
        raise ValidationError({"response": _("You are not the substitute for this participant.")})
    if participant.meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"response": _("This meeting is cancelled.")})
    if response not in (Response.ACCEPTED, Response.DECLINED):
        raise ValidationError({"response": _("Choose accept or decline.")})
    reason = (reason or "").strip()
    if response == Response.DECLINED and not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    before = snapshot(participant)
    participant.substitute_response, participant.substitute_reason = response, reason
    participant.substitute_responded_at = timezone.now()
    participant.save(update_fields=["substitute_response", "substitute_reason", "substitute_responded_at"])
    audit_record(actor=actor, action="participant.substitute_respond", obj=participant, before=before,
                 after=snapshot(participant))
    forget(("roles", actor.pk, participant.meeting_id))
    _tell_of_substitute_answer(participant)
    return participant
