"""Reads for the live record. Whoever may see the meeting may read its record (meeting_for_user → 404 otherwise);
only the host, the recorder and administrators write it.

`record_page` loads everything the live page shows in a fixed number of queries, whatever the number of
topics, notes or items: rows are fetched per kind and grouped by topic in Python.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
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
    """The plain data `rules.loop_check` needs, in four queries."""
    topics = list(Topic.objects.filter(meeting=meeting).select_related("record").order_by("order", "id"))
    loop_topics = [
        rules.LoopTopic(t.pk, t.title, t.kind, getattr(getattr(t, "record", None), "no_decision_reason", ""))
        for t in topics
    ]
    decisions = [rules.LoopDecision(d.pk, d.topic_id, d.text, d.no_action_needed)
                 for d in Decision.objects.filter(record__meeting=meeting)]
    rows = list(Disagreement.objects.filter(record__meeting=meeting))
    disagreements = [
        rules.LoopDisagreement(d.pk, d.topic_id, d.subject, d.path, d.escalate_to_id, d.owner_id, d.data_needed,
                               d.due)
        for d in rows
    ]
    # The ruling asked of a decider above the meeting is theirs to take later, not to confirm in the room.
    rulings = {d.action_item_id for d in rows if d.path == ResolutionPath.ESCALATE and d.action_item_id}
    items = [
        rules.LoopItem(i.pk, i.topic_id, i.task, i.decision_id, i.owner_id, i.owner_confirmed, i.status)
        for i in ActionItem.objects.filter(meeting=meeting).exclude(pk__in=rulings).order_by("id")
    ]
    return {"topics": loop_topics, "decisions": decisions, "disagreements": disagreements, "items": items}


def loop_check_for(meeting):
    return rules.loop_check(**loop_inputs(meeting))


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
    """[(person id, presence, substitute id)] of the meeting's sign-in, or None before anyone is signed in."""
    rows = list(Attendance.objects.filter(record__meeting=meeting).values_list("person_id", "presence",
                                                                              "substitute_id"))
    return rows or None


def sign_in_rows(meeting, record):
    """Every participant who attends (cc-only people receive the minutes, they do not sign in)."""
    participants = Participant.objects.filter(meeting=meeting).select_related(
        "person__department", "substitute").order_by("id")
    signed = {}
    if record is not None:
        signed = {a.person_id: a for a in record.attendance.select_related("substitute")}
    rows = []
    for p in participants:
        if p.role_list == [ParticipantRole.CC]:
            continue
        suggestion = rules.suggested_presence(p.response, p.response_reason, p.substitute_id)
        rows.append(SignInRow(p, signed.get(p.person_id), suggestion))
    return rows


def _topic_views(meeting, record, now):
    topics = list(Topic.objects.filter(meeting=meeting).select_related("presenter").order_by("order", "id"))
    views = {t.pk: TopicView(t, n) for n, t in enumerate(topics, start=1)}
    if record is None:
        return list(views.values())
    for state in TopicRecord.objects.filter(record=record):
        if state.topic_id in views:
            views[state.topic_id].state = state
    groups = (
        ("notes", Note.objects.filter(record=record).select_related("department", "author")),
        ("disagreements", Disagreement.objects.filter(record=record).select_related(
            "escalate_to", "owner", "action_item")),
        ("decisions", Decision.objects.filter(record=record).select_related("decided_by")),
        ("items", ActionItem.objects.filter(meeting=meeting, topic__isnull=False)
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


def review_items(meeting, viewer):
    """Open items of the earlier meetings that this viewer may see, and the ids the viewer may update."""
    items = list(open_items_for_review(meeting).filter(pk__in=items_visible_to(viewer).values("pk")))
    if viewer.is_org_admin:
        return items, {i.pk for i in items}
    own_meetings = {meeting_id for meeting_id, roles in Participant.objects.filter(
        person=viewer, meeting_id__in={i.meeting_id for i in items}).values_list("meeting_id", "roles")
        if _records(roles)} if items else set()
    editable = {i.pk for i in items if i.owner_id == viewer.pk or i.meeting_id in own_meetings}
    return items, editable


def people_for(organisation_id):
    return list(Person.objects.filter(organisation_id=organisation_id, is_active=True)
                .select_related("department").order_by("department__name", "display_name", "username"))


def departments_for(organisation_id):
    return list(Department.objects.filter(organisation_id=organisation_id).order_by("name"))


def record_page(meeting, viewer):
    """Everything the live page shows (see the module docstring)."""
    record = record_of(meeting)
    review, review_editable = review_items(meeting, viewer)
    return {
        "record": record,
        "revision": record.revision if record is not None else 0,
        "closed": record is not None and record.state == RecordState.CLOSED,
        "can_record": person_can_record(viewer, meeting),
        "sign_in": sign_in_rows(meeting, record),
        "topics": _topic_views(meeting, record, timezone.now()),
        "review": review,
        "review_editable": review_editable,
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

