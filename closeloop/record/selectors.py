"""Reads for the live record. Whoever may see the meeting may read its record (meeting_for_user → 404 otherwise);
only the host, the recorder and administrators write it.

`record_page` loads everything the live page shows in a fixed number of queries, whatever the number of
topics, notes or items: rows are fetched per kind and grouped by topic in Python.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from closeloop.actions.models import ActionItem
from closeloop.actions.selectors.items import items_visible_to, open_items_for_review
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.models import Participant, Topic
from closeloop.meetings.selectors import EDITING_ROLES, meeting_for_user, person_can_edit, roles_of
from closeloop.org.models import Department, Person
from closeloop.record import rules
from closeloop.record.choices import RecordState, ResolutionPath
from closeloop.record.models import Attendance, Decision, Disagreement, MeetingRecord, Note, TopicRecord


def _records(roles):
    return bool(EDITING_ROLES & set((roles or "").split(",")))


# Host, recorder or administrator write the record: the same rule as changing the meeting, in one place.
person_can_record = person_can_edit


def record_of(meeting):
    return MeetingRecord.objects.filter(meeting=meeting).first()


def record_revision(meeting_id):
    """(revision, state, section revisions) of a meeting's record, or None before it is opened: one query."""
    return MeetingRecord.objects.filter(meeting_id=meeting_id).values_list(
        "revision", "state", "section_revisions").first()


def changed_sections(section_revisions, since):
    """The section keys changed after revision `since`."""
    return {key for key, rev in (section_revisions or {}).items() if rev > since}


def topic_section(topic_id):
    return f"topic-{topic_id}"


# Loop check -------------------------------------------------------------------------------------

def loop_inputs(meeting):
    """The plain data `rules.loop_check` needs, in four queries of plain rows (no model per row: the check runs
    on every page, poll and answer of a meeting that may have a thousand topics)."""
    topics = Topic.objects.filter(meeting=meeting).order_by("order", "id").values_list(
        "pk", "title", "kind", "record__no_decision_reason")
    loop_topics = [rules.LoopTopic(pk, title, kind, reason or "") for pk, title, kind, reason in topics]
    decisions = [rules.LoopDecision(*row) for row in Decision.objects.filter(record__meeting=meeting).order_by(
        "id").values_list("pk", "topic_id", "text", "no_action_needed")]
    rows = list(Disagreement.objects.filter(record__meeting=meeting).order_by("id").values_list(
        "pk", "topic_id", "subject", "path", "escalate_to_id", "owner_id", "data_needed", "due", "action_item_id"))
    disagreements = [rules.LoopDisagreement(*row[:8]) for row in rows]
    # The ruling asked of a decider above the meeting is theirs to take later, not to confirm in the room.
    rulings = {row[8] for row in rows if row[3] == ResolutionPath.ESCALATE and row[8]}
    items = [
        rules.LoopItem(*row)
        for row in ActionItem.objects.filter(meeting=meeting).exclude(pk__in=rulings).order_by("id").values_list(
            "pk", "topic_id", "task", "decision_id", "owner_id", "owner_confirmed", "status")
    ]
    return {"topics": loop_topics, "decisions": decisions, "disagreements": disagreements, "items": items}


def loop_check_for(meeting):
    return rules.loop_check(**loop_inputs(meeting))


def loop_view(meeting):
    """The loop check's open points, and each topic's place in the agenda (0-based, for links to its page)."""
    inputs = loop_inputs(meeting)
    return rules.loop_check(**inputs), {t.id: n for n, t in enumerate(inputs["topics"])}


# The page -----------------------------------------------------------------------------------------

@dataclass
class TopicView:
    """One topic of the live page with its rows and timer figures."""

    topic: Topic
    number: int
    state: TopicRecord | None = None
    notes: list = field(default_factory=list)
    disagreements: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    items: list = field(default_factory=list)
    elapsed: int = 0
    key: int = 0  # its place on the page (1…10), for the access keys

    @property
    def running(self):
        return self.state is not None and self.state.started_at is not None

    @property
    def budget_seconds(self):
        return (self.topic.minutes or 0) * 60

    @property
    def remaining(self):
        return rules.remaining_seconds(budget_minutes=self.topic.minutes, elapsed=self.elapsed)

    @property
    def over(self):
        return self.remaining < 0

    @property
    def no_decision_reason(self):
        return self.state.no_decision_reason if self.state is not None else ""

    @property
    def is_decide(self):
        return self.topic.kind == rules.DECIDE

    @property
    def section(self):
        return topic_section(self.topic.pk)


@dataclass
class SignInRow:
    participant: Participant
    attendance: Attendance | None
    suggestion: tuple  # (presence, reason, substitute id)

    @property
    def signed(self):
        return self.attendance is not None


def attendance_rows(meeting):
    """The meeting's sign-in rows (a queryset, for actions' check of who knows about an item)."""
    return Attendance.objects.filter(record__meeting=meeting)


def sign_in_participants(meeting):
    """Every participant who attends (cc-only people receive the minutes, they do not sign in), in order."""
    return (Participant.objects.filter(meeting=meeting).exclude(roles=ParticipantRole.CC)
            .select_related("person__department", "substitute").order_by("id"))


def sign_in_rows(meeting, record, participants=None):
    """The sign-in rows of `participants` (a page of them; all who attend when None)."""
    participants = list(sign_in_participants(meeting) if participants is None else participants)
    signed = {}
    if record is not None and participants:
        signed = {a.person_id: a for a in record.attendance.filter(
            person_id__in=[p.person_id for p in participants]).select_related("substitute")}
    rows = []
    for p in participants:
        suggestion = rules.suggested_presence(p.response, p.response_reason, p.substitute_id)
        rows.append(SignInRow(p, signed.get(p.person_id), suggestion))
    return rows


def agenda(meeting):
    return Topic.objects.filter(meeting=meeting).select_related("presenter").order_by("order", "id")


def _topic_views(meeting, record, now, topics=None, first=1):
    """The views of `topics` (a page of the agenda, numbered from `first`; the whole agenda when None)."""
    topics = list(agenda(meeting) if topics is None else topics)
    views = {t.pk: TopicView(t, n) for n, t in enumerate(topics, start=first)}
    if record is None or not views:
        return list(views.values())
    ids = list(views)
    for state in TopicRecord.objects.filter(record=record, topic_id__in=ids):
        views[state.topic_id].state = state
    groups = (
        ("notes", Note.objects.filter(record=record, topic_id__in=ids).select_related("department", "author")),
        ("disagreements", Disagreement.objects.filter(record=record, topic_id__in=ids).select_related(
            "escalate_to", "owner", "action_item")),
        ("decisions", Decision.objects.filter(record=record, topic_id__in=ids).select_related("decided_by")),
        ("items", ActionItem.objects.filter(meeting=meeting, topic_id__in=ids)
         .select_related("owner", "department", "decision").prefetch_related("collaborators").order_by("id")),
    )
    for name, qs in groups:
        for row in qs:
            if row.topic_id in views:
                getattr(views[row.topic_id], name).append(row)
    for view in views.values():
        if view.state is not None:
            view.elapsed = rules.elapsed_seconds(started_at=view.state.started_at,
                                                 elapsed=view.state.elapsed_seconds, now=now)
    return list(views.values())


def topic_decisions(topic):
    """A topic's decisions, each with `covered` (an action item carries it out) and its topic in place."""
    rows = list(Decision.objects.filter(topic=topic).annotate(
        covered=Exists(ActionItem.objects.filter(decision=OuterRef("pk")))).order_by("id"))
    for decision in rows:
        decision.topic = topic  # the item's checks reach the topic without a query
    return rows


def review_queryset(meeting, viewer):
    return open_items_for_review(meeting).filter(pk__in=items_visible_to(viewer).values("pk"))


def review_items(meeting, viewer, items=None):
    """Open items of the earlier meetings that this viewer may see (or `items`, a page of them), and the ids the
    viewer may update."""
    items = list(review_queryset(meeting, viewer) if items is None else items)
    if viewer.is_org_admin:
        return items, {i.pk for i in items}
    own_meetings = {meeting_id for meeting_id, roles in Participant.objects.filter(
        person=viewer, meeting_id__in={i.meeting_id for i in items}).values_list("meeting_id", "roles")
        if _records(roles)} if items else set()
    editable = {i.pk for i in items if i.owner_id == viewer.pk or i.meeting_id in own_meetings}
    return items, editable


def people_qs(organisation_id):
    """The active people the record's choosers offer, by department."""
    return (Person.objects.filter(organisation_id=organisation_id, is_active=True)
            .select_related("department").order_by("department__name", "display_name", "username"))


def departments_qs(organisation_id):
    return Department.objects.filter(organisation_id=organisation_id).order_by("name")


def record_page(meeting, viewer, *, pages=None):
    """Everything the live page shows (see the module docstring). `pages` gives a page function
    `(queryset, name) -> Paginator page` for the long sections (sign-in, review, topics); without it, all rows."""
    record = record_of(meeting)
    parts = {"sign_in": sign_in_participants(meeting), "review": review_queryset(meeting, viewer),
             "topics": agenda(meeting)}
    paged = {name: pages(qs, name) for name, qs in parts.items()} if pages else {}
    review, review_editable = review_items(meeting, viewer, paged["review"].object_list if paged else None)
    topics = paged["topics"] if paged else None
    return {
        "record": record,
        "revision": record.revision if record is not None else 0,
        "closed": record is not None and record.state == RecordState.CLOSED,
        "can_record": person_can_record(viewer, meeting),
        "sign_in": sign_in_rows(meeting, record, paged["sign_in"].object_list if paged else None),
        "topics": _topic_views(meeting, record, timezone.now(), topics.object_list if topics else None,
                               topics.start_index() if topics else 1),
        "review": review,
        "review_editable": review_editable,
        "pages": paged,
        "not_started": record is None and not rules.record_may_open(start=meeting.start, now=timezone.now()),
    }


def topic_view(meeting, record, topic):
    """One topic's view (for a partial), in a fixed number of queries."""
    view = TopicView(topic, 1 + Topic.objects.filter(meeting=meeting).filter(
        Q(order__lt=topic.order) | Q(order=topic.order, pk__lt=topic.pk)).count())
    if record is None:
        return view
    view.state = TopicRecord.objects.filter(topic=topic).first()
    view.notes = list(Note.objects.filter(topic=topic).select_related("department", "author"))
    view.disagreements = list(Disagreement.objects.filter(topic=topic).select_related(
        "escalate_to", "owner", "action_item"))
    view.decisions = list(Decision.objects.filter(topic=topic).select_related("decided_by"))
    view.items = list(ActionItem.objects.filter(meeting=meeting, topic=topic).select_related(
        "owner", "department", "decision").prefetch_related(
        Prefetch("collaborators", queryset=Person.objects.order_by("id"))).order_by("id"))
    if view.state is not None:
        view.elapsed = rules.elapsed_seconds(started_at=view.state.started_at, elapsed=view.state.elapsed_seconds,
                                             now=timezone.now())
    return view



def person_can_extract(person, meeting):
    """Host or recorder of the meeting (administrators not included): the only ones whose typing is read into
    proposals (smart minutes). The roles are read once per request."""
    if not getattr(person, "is_authenticated", False):
        return False
    return bool(EDITING_ROLES & roles_of(person, meeting))


def meeting_for_extract(person, meeting_id):
    """The meeting, when `person` is its host or recorder; anyone else, administrators included, gets 404 —
    the notes being typed are the recorder's draft."""
    meeting = meeting_for_user(person, meeting_id)
    if not person_can_extract(person, meeting):
        raise Http404
    return meeting


def escalations_of(meeting):
    """The meeting's escalated disagreements, each with `ruling_item` (the decider's action item, or None),
    `ruling` (the note written when it was marked done, or "") and `ruled_at`: a ruling closes it."""
    from closeloop.actions.choices import EventKind, ItemStatus

    rows = list(Disagreement.objects.filter(record__meeting=meeting, path=ResolutionPath.ESCALATE)
                .select_related("escalate_to", "action_item", "topic").order_by("id"))
    for d in rows:
        d.ruling_item, d.ruling, d.ruled_at = d.action_item, "", None
        if d.action_item is not None and d.action_item.status == ItemStatus.DONE:
            done = d.action_item.events.filter(kind=EventKind.STATUS, to_status=ItemStatus.DONE).order_by("-at").first()
            d.ruling, d.ruled_at = (done.note, done.at) if done else ("", d.action_item.closed_at)
        d.closed = d.ruled_at is not None
    return rows


def escalation_for_decider(person, pk):
    """An escalated disagreement, for the person who must rule on it (the owner of its ruling item, so that a
    handed-over item follows); anyone else gets 404."""
    dis = (Disagreement.objects.filter(pk=pk, path=ResolutionPath.ESCALATE, action_item__owner_id=person.pk,
                                       record__meeting__organisation_id=person.organisation_id)
           .select_related("record__meeting", "topic", "escalate_to", "action_item").first())
    if dis is None:
        raise Http404
    return next(row for row in escalations_of(dis.record.meeting) if row.pk == dis.pk)

