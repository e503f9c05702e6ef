"""Reads for meetings, with the visibility rules applied.

A meeting is visible to its participants (cc included), to the heads of their departments and
to administrators; a confidential meeting only to its participants and administrators.
Only the host, the recorder and administrators change a meeting.
"""

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from closeloop.lib.memo import remembered
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.models import Meeting, Participant, Topic


def meetings_visible_to(person):
    """Meetings this person may see; everything else answers 404."""
    if not person.is_authenticated or not person.is_active:
        return Meeting.objects.none()
    qs = Meeting.objects.filter(organisation_id=person.organisation_id)
    if person.is_org_admin:
        return qs
    # One set of ids computed once through the participants' person index, rather than a test of each of
    # the organisation's meetings in turn: the lists then cost what the person sees, not what exists.
    participants = Participant.objects.order_by()
    own = participants.filter(person=person).values("meeting_id")
    headed = participants.filter(person__department__head=person, meeting__confidential=False).values("meeting_id")
    return qs.filter(pk__in=own.union(headed))


def topic_count():
    """A meeting's number of topics, as a subquery per row of the page rather than a GROUP BY over
    every visible meeting (which a count of the pages would repeat)."""
    topics = Topic.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    return Coalesce(Subquery(topics.annotate(n=Count("*")).values("n")), 0)


def topic_minutes():
    """The minutes of a meeting's topics (None without topics), as a subquery per row like topic_count."""
    topics = Topic.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    return Subquery(topics.annotate(total=Sum("minutes")).values("total"))


def meeting_for_user(person, pk, *, for_update=False):
    """The meeting if this person may see it, else Http404 (never 403: existence is not revealed)."""
    qs = meetings_visible_to(person).select_related("organisation__policy")
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


EDITING_ROLES = frozenset({ParticipantRole.HOST, ParticipantRole.RECORDER})


def roles_of(person, meeting):
    """The person's roles in the meeting, read once per request. Compared in Python, not with a database
    regex: SQLite runs a regex as a Python callback that the live page's concurrent polls would wait on."""
    meeting_id = meeting.pk if hasattr(meeting, "pk") else meeting

    def read():
        roles = Participant.objects.filter(meeting_id=meeting_id, person_id=person.pk).values_list(
            "roles", flat=True).first()
        return frozenset(r for r in (roles or "").split(",") if r)

    return remembered(("roles", person.pk, meeting_id), read)


def person_can_edit(person, meeting):
    """Host, recorder or administrator: the one rule for changing a meeting and writing its record."""
    return person.is_org_admin or bool(EDITING_ROLES & roles_of(person, meeting))


def participant_of(person, meeting):
    return Participant.objects.filter(meeting=meeting, person=person).first()


def meeting_detail(meeting):
    """The meeting with topics, participants and materials loaded in a fixed number of queries."""
    from django.db.models import Prefetch

    from closeloop.meetings.models import Material, Topic

    return (
        Meeting.objects.select_related("project", "series", "organisation")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.select_related("presenter")),
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person__department", "substitute"),
            ),
            Prefetch("materials", queryset=Material.objects.select_related("topic")),
        )
        .get(pk=meeting.pk)
    )


def participant_titles(*, meeting_ids):
    """(meeting id, title, how many) of the participants who did not decline, for meeting cost by title."""
    from django.db.models import Count

    return list(Participant.objects.filter(meeting_id__in=meeting_ids).exclude(response="declined")
                .values_list("meeting_id", "person__title").annotate(n=Count("pk")).order_by())


def filter_held_between(qs, start_day, end_day, organisation):
    """Meetings starting on the days [start_day, end_day] of the organisation's time zone (either may be None)."""
    import datetime as dt

    from closeloop.lib.apiutil import organisation_tz

    tz = organisation_tz(organisation)
    if start_day is not None:
        qs = qs.filter(start__gte=dt.datetime.combine(start_day, dt.time.min, tz))
    if end_day is not None:
        qs = qs.filter(start__lt=dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time.min, tz))
    return qs
