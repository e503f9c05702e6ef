"""Reads for the minutes, with the meeting's visibility applied (404 for anyone who may not see the meeting)."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from closeloop.actions.models import ActionItem
from closeloop.actions.selectors.figures import item_counts_per_meeting
from closeloop.meetings.choices import ParticipantRole, Response
from closeloop.meetings.models import Material, Meeting, Participant, Topic
from closeloop.meetings.selectors import meetings_visible_to
from closeloop.minutes import rules
from closeloop.minutes.models import Minutes, SignOff
from closeloop.org.selectors import policy_for
from closeloop.record.choices import ResolutionPath
from closeloop.record.models import Decision, Disagreement


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


def minutes_distributed(meeting):
    """A version went out to the participants (a later correction keeps it so): the agenda is history now."""
    return Minutes.objects.filter(meeting_id=meeting.pk, distributed_at__isnull=False).exists()


def is_latest(minutes):
    return not Minutes.objects.filter(meeting_id=minutes.meeting_id, number__gt=minutes.number).exists()


def roles_of(person, meeting):
    """The person's roles in the meeting (empty when not invited)."""
    roles = set()
    # A substitute (代参会) acts with the roles of the person they stand in for.
    standing = Q(person=person) | Q(substitute=person, response=Response.SUBSTITUTE)
    for value in meeting.participants.filter(standing).values_list("roles", flat=True):
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


def signer_for(meeting, department):
    """Who signs off for `department`: its head, or the substitute (代参会) the head sent to this meeting,
    who attended with the head's role (the sign-in says so first, else the head's answer to the notice)."""
    from closeloop.record.choices import Presence
    from closeloop.record.models import Attendance

    head = department.head if department.head_id and department.head.is_active else None
    if head is None:
        return None
    attended = Attendance.objects.filter(record__meeting=meeting, person=head).select_related("substitute").first()
    if attended is not None:
        substitute = attended.substitute if attended.presence == Presence.SUBSTITUTE else None
    else:
        answer = meeting.participants.filter(person=head).select_related("substitute").first()
        substitute = answer.substitute if answer is not None and answer.response == Response.SUBSTITUTE else None
    return substitute if substitute is not None and substitute.is_active else head


def signoffs_of(minutes):
    return list(
        SignOff.objects.filter(minutes=minutes).select_related("department", "head").order_by("department__name")
    )


def signoff_for_token(token):
    try:
        signoff = SignOff.objects.select_related(
            "minutes__meeting__organisation", "department", "head"
        ).get(token=token)
    except (SignOff.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if signoff.head is not None and not signoff.head.is_active:
        raise Http404  # the link of someone who left stops working at once
    return signoff


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


# Reads for the insight figures: one row per meeting held in a window, with what its record and minutes say,
# every count a correlated subquery so the whole set is one query whatever the number of meetings.

def _count(qs, fk):
    return Coalesce(Subquery(qs.order_by().values(fk).annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), 0)


def meeting_insight_rows(*, organisation, start, end, today, signoff_cutoff, department_ids=None, project_id=None,
                         meeting_type=None, meeting_ids=None):
    """Dicts for the meetings (not cancelled) starting in [start, end) (aware datetimes): length, host's
    department, topic, decision, item and participant counts, the record timer, the loop's open ends and
    the first minutes' dates. `signoff_cutoff`: distributed before it and still unsigned counts as late."""
    meeting = OuterRef("pk")
    host = Participant.objects.filter(meeting=meeting, roles__startswith=ParticipantRole.HOST).order_by("pk")
    topics = Topic.objects.filter(meeting=meeting)
    timed = topics.filter(record__elapsed_seconds__gt=0)
    outcome = topics.exclude(required_outcome="")
    decisions = Decision.objects.filter(record__meeting=meeting)
    first_minutes = Minutes.objects.filter(meeting=meeting).order_by("number")
    approved = Minutes.objects.filter(meeting=meeting, approved_at__isnull=False).order_by("number")
    undone_item = ActionItem.objects.filter(pk=OuterRef("action_item_id"), status="done")
    qs = Meeting.objects.filter(organisation=organisation, start__gte=start, start__lt=end).exclude(state="cancelled")
    if meeting_ids is not None:
        qs = qs.filter(pk__in=meeting_ids)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if meeting_type:
        qs = qs.filter(type=meeting_type)
    qs = qs.annotate(host_department_id=Subquery(host.values("person__department_id")[:1]))
    if department_ids is not None:
        qs = qs.filter(host_department_id__in=department_ids)
    return list(qs.annotate(
        topic_count=_count(topics, "meeting"),
        participant_count=_count(Participant.objects.filter(meeting=meeting).exclude(response="declined"), "meeting"),
        planned_timed=Coalesce(Subquery(timed.order_by().values("meeting").annotate(n=Sum("minutes")).values("n")[:1],
                                        output_field=IntegerField()), 0),
        timed_seconds=Subquery(timed.order_by().values("meeting").annotate(n=Sum("record__elapsed_seconds"))
                               .values("n")[:1], output_field=IntegerField()),
        outcome_topics=_count(outcome, "meeting"),
        outcome_reached=_count(outcome.filter(Exists(Decision.objects.filter(topic=OuterRef("pk")))), "meeting"),
        decision_count=_count(decisions, "record__meeting"),
        decisions_without_item=_count(decisions.filter(no_action_needed=False).exclude(
            Exists(ActionItem.objects.filter(decision=OuterRef("pk")))), "record__meeting"),
        disagreements_overdue=_count(Disagreement.objects.filter(record__meeting=meeting, due__lt=today).exclude(
            path=ResolutionPath.RESOLVED).exclude(Exists(undone_item)), "record__meeting"),
        item_count=Coalesce(item_counts_per_meeting(), 0),
        last_material_at=Subquery(Material.objects.filter(meeting=meeting).order_by("-uploaded_at")
                                  .values("uploaded_at")[:1]),
        minutes_submitted_at=Subquery(first_minutes.values("submitted_at")[:1]),
        minutes_approved_at=Subquery(approved.values("approved_at")[:1]),
        minutes_distributed_at=Subquery(approved.values("distributed_at")[:1]),
        last_signed_at=Subquery(SignOff.objects.filter(minutes__meeting=meeting, signed_at__isnull=False)
                                .order_by("-signed_at").values("signed_at")[:1]),
        signoffs_overdue=_count(SignOff.objects.filter(minutes__meeting=meeting, signed_at__isnull=True,
                                                       minutes__distributed_at__lt=signoff_cutoff), "minutes__meeting"),
    ).values("id", "title", "start", "end", "type", "objective", "urgent", "notice_sent_at", "host_department_id",
             "topic_count", "participant_count", "planned_timed", "timed_seconds", "outcome_topics",
             "outcome_reached", "decision_count", "decisions_without_item", "disagreements_overdue", "item_count",
             "last_material_at", "minutes_submitted_at", "minutes_approved_at", "minutes_distributed_at",
             "last_signed_at", "signoffs_overdue").order_by("start", "id"))
