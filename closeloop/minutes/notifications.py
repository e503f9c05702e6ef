"""Who hears about the minutes' review steps and the sign-offs they owe: the host when the minutes are
submitted, the recorder when they are returned (with the reason) or approved, a head whose sign-off is late,
then the PMO. Each on every channel they prefer, in their language, queued in the causing transaction.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from closeloop.meetings.choices import ParticipantRole
from closeloop.notify.fanout import tell
from closeloop.org.choices import Role
from closeloop.org.models import Person


def _people_with_role(meeting, role):
    return [p.person for p in meeting.participants.select_related("person")
            if p.has_role(role) and p.person.is_active]


def _link(minutes):
    return reverse("minutes:detail", args=[minutes.pk])


def tell_review_step(minutes, *, step, actor):
    """submit → the hosts; return → the recorders and the author, with the comment; approve → the same."""
    meeting = minutes.meeting
    if step == "submit":
        people = _people_with_role(meeting, ParticipantRole.HOST)
    else:
        people = _people_with_role(meeting, ParticipantRole.RECORDER) + [minutes.created_by]
    seen, rows = set(), []
    for person in people:
        if person is None or person.pk in seen or person.pk == actor.pk:
            continue
        seen.add(person.pk)

        def compose():
            values = {"title": meeting.title, "n": minutes.number, "name": actor,
                      "comment": minutes.review_comment}
            if step == "submit":
                return (_("Minutes to review: “%(title)s”") % values,
                        [_("%(name)s submitted version %(n)s of the minutes of “%(title)s” for your review.")
                         % values, _("Approve them, or return them with what should change.")])
            if step == "return":
                return (_("Minutes returned: “%(title)s”") % values,
                        [_("%(name)s returned version %(n)s of the minutes of “%(title)s”.") % values,
                         _("What should change: %(comment)s") % values])
            return (_("Minutes approved: “%(title)s”") % values,
                    [_("%(name)s approved version %(n)s of the minutes of “%(title)s”.") % values,
                     _("Distribute them to the participants within the policy's time.")])

        rows += tell(person=person, kind=f"minutes.{step}", key=f"minutes.{step}:{minutes.pk}:{minutes.version}:"
                     f"{person.pk}", link=_link(minutes), compose=compose)
    return rows


def tell_signoff_late(signoff, *, workdays, now=None):
    """Remind the head (or their substitute) who has not signed after `workdays` working days."""
    minutes = signoff.minutes

    def compose():
        values = {"title": minutes.meeting.title, "dept": signoff.department, "n": workdays}
        return (_("Reminder: sign off the minutes of “%(title)s”") % values,
                [_("The minutes of “%(title)s” were distributed %(n)s working days ago; %(dept)s has not signed "
                   "them off yet.") % values])

    return tell(person=signoff.head, kind="minutes.signoff_reminder", key=f"minutes.signoff_reminder:{signoff.pk}:"
                f"{signoff.head_id}", link=_link(minutes), compose=compose, now=now)


def tell_pmo_signoff_late(signoff, *, workdays, now=None):
    """Past the second limit the PMO (the organisation's administrators) and the hosts are told."""
    minutes = signoff.minutes
    meeting = minutes.meeting
    pmo = list(Person.objects.filter(organisation_id=meeting.organisation_id, role=Role.ADMIN, is_active=True))
    rows = []
    for person in {p.pk: p for p in pmo + _people_with_role(meeting, ParticipantRole.HOST)}.values():
        def compose():
            values = {"title": meeting.title, "dept": signoff.department, "name": signoff.head or "—",
                      "n": workdays}
            return (_("Sign-off overdue: %(dept)s, “%(title)s”") % values,
                    [_("%(dept)s (%(name)s) has not signed off the minutes of “%(title)s” %(n)s working days after "
                       "they were distributed.") % values])

        rows += tell(person=person, kind="escalation.signoff", key=f"minutes.signoff_overdue:{signoff.pk}:"
                     f"{person.pk}", link=_link(minutes), compose=compose, now=now)
    return rows
