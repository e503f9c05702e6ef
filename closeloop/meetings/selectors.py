"""Reads for meetings, with the visibility rules applied.

A meeting is visible to its participants (cc included), to the heads of their departments and
to administrators; a confidential meeting only to its participants and administrators.
Only the host, the recorder and administrators change a meeting.
"""

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from closeloop.lib.memo import remember, remembered
from closeloop.meetings.choices import ParticipantRole, Response
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
    return qs.filter(pk__in=visible_meeting_ids(person))


def visible_meeting_ids(person):
    """For a non-administrator: the ids of the meetings they see, from the participants alone (a union of index
    reads). Their organisation is not tested here: a list of items that uses the set has tested it already."""
    participants = Participant.objects.order_by()
    own = participants.filter(person=person).values("meeting_id")
    standing_in = participants.filter(substitute=person, response=Response.SUBSTITUTE).values("meeting_id")
    if not heads_a_department(person):
        return own.union(standing_in)
    headed = participants.filter(person__department__head=person, meeting__confidential=False).values("meeting_id")
    return own.union(standing_in, headed)


def heads_a_department(person):
    """Whether the person heads a department: read with the signed-in person (org.backends), else once per
    request. Most people do not: their visibility then leaves out the parts about heads, whose size the planner
    cannot guess (PostgreSQL, expecting a whole department's meetings, scanned every item rather than read the
    few the person sees)."""
    from closeloop.org.models import Department

    known = getattr(person, "heads_departments", None)
    if known is not None:
        return known
    return remembered(("heads", person.pk), lambda: Department.objects.filter(head=person).exists())


def meeting_visible_exists(person, meeting_ref="meeting_id"):
    """For a non-administrator: whether the meeting named by OuterRef(meeting_ref) is visible to `person` (the
    rule of meetings_visible_to, row by row), as a boolean expression for annotate(). Each part is its own
    EXISTS that one index probe answers (the participant (meeting, person), the substitute, the meeting's
    few participants for a head), so a page pays for its own rows, where the set of every meeting a head sees
    grows with the years; one EXISTS with an OR led PostgreSQL to read every participant."""
    participants = Participant.objects.filter(meeting_id=OuterRef(meeting_ref))
    visible = Q(Exists(participants.filter(person=person))) | Q(Exists(
        participants.filter(substitute=person, response=Response.SUBSTITUTE)))
    if heads_a_department(person):
        visible |= Q(Exists(participants.filter(person__department__head=person, meeting__confidential=False)))
    return ExpressionWrapper(visible, output_field=BooleanField())


def person_name_q(q, prefix=""):
    """A person whose name, user name or department contains `q` (Chinese needs no word splitting)."""
    return (Q(**{f"{prefix}display_name__icontains": q}) | Q(**{f"{prefix}username__icontains": q})
            | Q(**{f"{prefix}first_name__icontains": q}) | Q(**{f"{prefix}last_name__icontains": q})
            | Q(**{f"{prefix}department__name__icontains": q}))


def meetings_matching(qs, q):
    """Meetings whose title or a topic contains `q`, or with a participant (or their department) matching it."""
    q = (q or "").strip()
    if not q:
        return qs
    topics = Topic.objects.filter(meeting=OuterRef("pk"), title__icontains=q)
    people = Participant.objects.filter(Q(meeting=OuterRef("pk")) & person_name_q(q, "person__"))
    return qs.filter(Q(title__icontains=q) | Exists(topics) | Exists(people))


def role_q(role, prefix=""):
    """`roles` (comma-separated) holds `role`: alone, first, last or in the middle."""
    field = f"{prefix}roles"
    return (Q(**{field: role}) | Q(**{f"{field}__startswith": f"{role},"}) | Q(**{f"{field}__endswith": f",{role}"})
            | Q(**{f"{field}__contains": f",{role},"}))


def meetings_where_role(qs, person, role):
    """Meetings in which `person` has `role` (any role, when `role` is "any")."""
    mine = Participant.objects.filter(meeting=OuterRef("pk"), person=person)
    if role != "any":
        mine = mine.filter(role_q(role))
    return qs.filter(Exists(mine))


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
    else:
        # The person's roles come with the meeting: roles_of (asked by nearly every view) needs no query of its own.
        qs = qs.annotate(
            viewer_roles=Subquery(Participant.objects.filter(meeting=OuterRef("pk"), person_id=person.pk)
                                  .values("roles")[:1]),
            viewer_stands_in=Exists(Participant.objects.filter(meeting=OuterRef("pk"), substitute_id=person.pk,
                                                               response=Response.SUBSTITUTE)))
    try:
        meeting = qs.get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not for_update and not meeting.viewer_stands_in:
        remember(("roles", person.pk, meeting.pk), _role_set([meeting.viewer_roles]))
    return meeting


def _role_set(rows):
    return frozenset(r for roles in rows for r in (roles or "").split(",") if r)


EDITING_ROLES = frozenset({ParticipantRole.HOST, ParticipantRole.RECORDER})


def roles_of(person, meeting):
    """The person's roles in the meeting, read once per request. Compared in Python, not with a database
    regex: SQLite runs a regex as a Python callback that the live page's concurrent polls would wait on."""
    meeting_id = meeting.pk if hasattr(meeting, "pk") else meeting

    def read():
        # A substitute (代参会) holds the roles of the person they stand in for.
        # One who declined to stand in holds none (they still see the meeting, to change their mind).
        rows = Participant.objects.filter(
            Q(person_id=person.pk) | (Q(substitute_id=person.pk, response=Response.SUBSTITUTE)
                                      & ~Q(substitute_response=Response.DECLINED)),
            meeting_id=meeting_id).values_list("roles", flat=True)
        return _role_set(rows)

    return remembered(("roles", person.pk, meeting_id), read)


def person_can_edit(person, meeting):
    """Host, recorder or administrator: the one rule for changing a meeting and writing its record."""
    return person.is_org_admin or bool(EDITING_ROLES & roles_of(person, meeting))


def participant_of(person, meeting):
    return Participant.objects.filter(meeting=meeting, person=person).first()


def stands_in_for(person, meeting):
    """The participants this person attends for as their substitute (代参会)."""
    return list(Participant.objects.filter(meeting=meeting, substitute=person, response=Response.SUBSTITUTE)
                .select_related("person"))


def hosts_of(meeting):
    """The meeting's hosts (active people)."""
    return [p.person for p in Participant.objects.filter(meeting=meeting, person__is_active=True)
            .select_related("person") if p.has_role(ParticipantRole.HOST)]


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


def earlier_meetings(person, meeting):
    """Meetings before this one that the person may see, the series' own first, newest first (for copying
    their participants)."""
    from django.db.models import Case, IntegerField, Value, When

    qs = meetings_visible_to(person).filter(start__lt=meeting.start).exclude(pk=meeting.pk)
    if meeting.series_id is None:
        return qs.order_by("-start")
    own = Case(When(series_id=meeting.series_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(own=own).order_by("own", "-start")


class UpcomingFirst:
    """Meetings not yet over (soonest first), then past ones (latest first), as a sequence a Paginator pages
    through. Each part is read in index order (`meeting_org_end` finds those not yet over, `meeting_org_start`
    gives the past ones latest first), so a page costs the same however long the history; an order computed
    from the clock (is it past? then which start?) would sort every meeting of the organisation first."""

    def __init__(self, qs, now):
        self.upcoming = qs.filter(end__gte=now).order_by("start", "pk")
        self.past = qs.filter(end__lt=now).order_by("-start", "-pk")
        self._counts = None
        self._qs, self._now = qs, now

    def counts(self):
        """(upcoming, total) in one query."""
        if self._counts is None:
            totals = self._qs.order_by().aggregate(total=Count("pk"),
                                                   upcoming=Count("pk", filter=Q(end__gte=self._now)))
            self._counts = (totals["upcoming"], totals["total"])
        return self._counts

    def count(self):
        return self.counts()[1]

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("UpcomingFirst is read by slices")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        upcoming = self.counts()[0]
        rows = list(self.upcoming[start:min(stop, upcoming)]) if start < upcoming else []
        if stop > upcoming:
            rows += list(self.past[max(start - upcoming, 0):stop - upcoming])
        return rows
