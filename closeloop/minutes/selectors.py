"""Reads for the minutes, with the meeting's visibility applied (404 for anyone who may not see the meeting)."""

from django.http import Http404
from django.utils import timezone

from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.selectors import meetings_visible_to
from closeloop.minutes import rules
from closeloop.minutes.models import Minutes, SignOff
from closeloop.org.selectors import policy_for


def minutes_visible_to(person):
    return Minutes.objects.filter(meeting__in=meetings_visible_to(person))


def minutes_for_user(person, pk):
    """The minutes version if this person may see its meeting, else Http404."""
    try:
        return minutes_visible_to(person).select_related("meeting__organisation", "approved_by").get(pk=pk)
    except (Minutes.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def versions_of(meeting):
    """Every version of a meeting's minutes, newest first."""
    return list(Minutes.objects.filter(meeting=meeting).select_related("approved_by").order_by("-number"))


def latest_of(meeting):
    return Minutes.objects.filter(meeting=meeting).order_by("-number").first()


def is_latest(minutes):
    return not Minutes.objects.filter(meeting_id=minutes.meeting_id, number__gt=minutes.number).exists()


def roles_of(person, meeting):
    """The person's roles in the meeting (empty when not invited)."""
    roles = set()
    for value in meeting.participants.filter(person=person).values_list("roles", flat=True):
        roles.update(r for r in value.split(",") if r)
    return roles


def may(person, meeting, action):
    """Whether this (signed-in) person may take `action` on the meeting's minutes."""
    if not person.is_authenticated:
        return False
    return rules.may(action, roles=roles_of(person, meeting), is_admin=person.is_org_admin)


def permissions(person, meeting):
    """{action: allowed} for every minutes action, from one look at the person's roles."""
    if not person.is_authenticated:
        return dict.fromkeys(rules.ALLOWED_ROLES, False)
    roles = roles_of(person, meeting)
    return {action: rules.may(action, roles=roles, is_admin=person.is_org_admin) for action in rules.ALLOWED_ROLES}


def participating_departments(meeting):
    """Departments that took part: those of the invited people (cc excluded) and of substitutes, in order."""
    from closeloop.record.models import Attendance

    seen, departments = set(), []

    def add(person):
        if person is not None and person.department_id and person.department_id not in seen:
            seen.add(person.department_id)
            departments.append(person.department)

    for p in meeting.participants.select_related("person__department__head", "substitute__department__head"):
        if p.role_list != [ParticipantRole.CC]:
            add(p.person)
            add(p.substitute)
    for a in Attendance.objects.filter(record__meeting=meeting).select_related(
        "person__department__head", "substitute__department__head"
    ):
        add(a.person)
        add(a.substitute)
    return departments


def signoffs_of(minutes):
    return list(
        SignOff.objects.filter(minutes=minutes).select_related("department", "head").order_by("department__name")
    )


def signoff_for_token(token):
    try:
        return SignOff.objects.select_related(
            "minutes__meeting__organisation", "department", "head"
        ).get(token=token)
    except (SignOff.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pending_signoff_for(person, minutes, signoffs=None):
    """The sign-off this signed-in head still owes for these minutes, if any."""
    if not person.is_authenticated:
        return None
    for signoff in signoffs_of(minutes) if signoffs is None else signoffs:
        if signoff.signed_at is None and person.pk in (signoff.head_id, signoff.department.head_id):
            return signoff
    return None


def deadlines(minutes, now=None):
    """(draft deadline, distribution deadline) as rules.Deadline, with the policy's hours."""
    now = now or timezone.now()
    policy = policy_for(minutes.meeting.organisation)
    return (
        rules.draft_deadline(minutes.state, minutes.due_at, now),
        rules.distribution_deadline(minutes.state, minutes.approved_at, policy.minutes_distribute_hours, now),
    )
