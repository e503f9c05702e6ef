"""Reads for action items, with the visibility rules applied.

An item is visible to whoever may see its meeting, and also to its owner, its collaborators, the head
of the owner's department (and of the item's department) and the person who created it; administrators
see every item of their organisation. Everyone else gets 404. Only the owner, the meeting's host and
recorder, and administrators change an item (for an item without a meeting: its creator instead of host/recorder).
"""

import datetime as dt

from django.db.models import BooleanField, CharField, ExpressionWrapper, Prefetch, Q, Value
from django.http import Http404
from django.utils import timezone

from closeloop.actions.choices import OPEN_STATUSES
from closeloop.actions.models import ActionItem, ActionItemEvent
from closeloop.actions.rules import ItemDraft, SmartContext, modes_from_policy, smart_check, vague_words_from_text
from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.hooks import Hook
from closeloop.meetings.choices import ParticipantRole, Response
from closeloop.meetings.models import Meeting, Participant
from closeloop.meetings.selectors import (
    heads_a_department,
    meeting_visible_exists,
    meetings_visible_to,
    person_can_edit,
    roles_of,
    visible_meeting_ids,
)
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for

INFORMED_ROLES = (ParticipantRole.INFORMED, ParticipantRole.CC)


def items_visible_to(person):
    """Action items this person may see; everything else answers 404."""
    qs = organisation_items(person)
    if person.is_authenticated and person.is_org_admin:
        return qs
    return qs.filter(pk__in=_visible_item_ids(person))


def organisation_items(person):
    """Every item of the person's organisation (none for someone inactive or outside any): the base that
    visibility narrows, or that a list uses as it is when it can only hold items the person sees."""
    if not person.is_authenticated or not person.is_active or person.organisation_id is None:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(organisation_id=person.organisation_id)


def _visible_item_ids(person):
    """The ids of the items a non-administrator sees, as one subquery: a union of index reads (by meeting,
    owner, creator, department, collaborator) that the database computes once, rather than a test of
    each of the organisation's items in turn."""
    items = ActionItem.objects.order_by()
    parts = [
        items.filter(owner=person).values("pk"),
        items.filter(created_by=person).values("pk"),
        ActionItem.collaborators.through.objects.filter(person=person).order_by().values("actionitem_id"),
    ]
    if heads_a_department(person):
        parts += [items.filter(owner__department__head=person).values("pk"),
                  items.filter(department__head=person).values("pk")]  # the head of the item's department
    # The items' organisation is the person's (organisation_items), so their meetings are read by id alone.
    return items.filter(meeting_id__in=visible_meeting_ids(person)).values("pk").union(*parts)


def item_for_user(person, pk, *, for_update=False):
    """The item if this person may see it, else Http404 (existence is not revealed)."""
    qs = items_visible_to(person)
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=pk)
    except (ActionItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def person_can_change(person, item):
    """Owner, the meeting's host or recorder, administrators; without a meeting the creator too."""
    if not person.is_authenticated:
        return False
    if person.is_org_admin or (item.owner_id is not None and item.owner_id == person.pk):
        return True
    if item.meeting_id is None:
        return item.created_by_id == person.pk
    return person_can_edit(person, item.meeting)


def person_may_record_confirmation(person, item):
    """The owner confirms; the meeting's recorder may record it live for them (the history says who)."""
    if item.owner_id is not None and item.owner_id == person.pk:
        return True
    if item.meeting_id is None:
        return False
    return ParticipantRole.RECORDER in roles_of(person, item.meeting_id)


def meeting_visible_to(person, meeting_id):
    """Whether this person may see the meeting (an item's viewer may not: the owner's head, a collaborator)."""
    return meetings_visible_to(person).filter(pk=meeting_id).exists()


def with_meeting_visibility(qs, person):
    """Annotate `meeting_visible`, so a list shows the meeting's title only to those who may see it: for an
    administrator every item's meeting (all in their organisation), for others a test of each row's meeting
    among its participants, which a page pays for its own rows only."""
    if person.is_authenticated and person.is_org_admin:
        return qs.annotate(meeting_visible=ExpressionWrapper(Q(meeting__isnull=False), output_field=BooleanField()))
    if not person.is_authenticated or not person.is_active:
        return qs.annotate(meeting_visible=Value(False, output_field=BooleanField()))
    return qs.annotate(meeting_visible=meeting_visible_exists(person))


def local_today(organisation):
    return timezone.localtime(timezone.now(), organisation_tz(organisation)).date()


def overdue_q(today):
    """Open and past its due date."""
    return Q(status__in=OPEN_STATUSES, due__lt=today)


def item_list(qs, organisation, *, page_of_many=False):
    """The rows a list needs (with `is_overdue`), loaded in a fixed number of queries whatever the length.

    `page_of_many`: the rows are a page of a long sorted list; their meetings are then fetched for the page
    (prefetch, one query more) rather than joined: joined, PostgreSQL joins every candidate row to the
    organisation's meetings before it sorts and keeps the page."""
    overdue = ExpressionWrapper(overdue_q(local_today(organisation)), output_field=BooleanField())
    if page_of_many:
        qs = qs.select_related("owner", "department", "project").prefetch_related("collaborators", "meeting")
    else:
        qs = qs.select_related("owner", "department", "meeting", "project").prefetch_related("collaborators")
    return qs.annotate(is_overdue=overdue)


def item_detail(item, *, with_history=True):
    """One item with its relations, its whole history (events with their actors) unless `with_history` is false
    (the API embeds only the latest entries: item_history), and `is_overdue`."""
    qs = ActionItem.objects.select_related("owner", "department", "meeting", "project", "topic", "created_by",
                                           "organisation").prefetch_related("collaborators")
    if with_history:
        qs = qs.prefetch_related(Prefetch("events", queryset=ActionItemEvent.objects.select_related("actor")))
    item = qs.get(pk=item.pk)
    item.is_overdue = bool(item.status in OPEN_STATUSES and item.due and item.due < local_today(item.organisation))
    return item


def item_history(item):
    """The item's history, oldest first, with who did each step: read by pages, or from the end for the latest."""
    return ActionItemEvent.objects.filter(item=item).select_related("actor").order_by("at", "id")


def present_or_informed(meeting):
    """Who knows about an item agreed in this meeting.

    Once sign-in has started: people signed in as present, substitutes attending, and participants
    with the informed/cc role (they receive the minutes). Before it: every participant who has not
    declined, and the substitutes they named.
    """
    # The participants and the sign-in in one query (a UNION): this runs on every item added in a meeting.
    participants = Participant.objects.filter(meeting=meeting).order_by().annotate(
        sign_in_=Value(False, output_field=BooleanField())).values_list(
        "sign_in_", "person_id", "roles", "response", "substitute_id")
    sign_in = attendance_of(meeting)
    rows = list(participants if sign_in is None else participants.union(sign_in.order_by().annotate(
        sign_in_=Value(True, output_field=BooleanField()), response_=Value("", output_field=CharField())).values_list(
        "sign_in_", "person_id", "presence", "response_", "substitute_id"), all=True))
    participants = [row[1:] for row in rows if not row[0]]
    ids = {pid for pid, roles, _r, _s in participants if set(roles.split(",")) & set(INFORMED_ROLES)}
    attendance = [(pid, presence, substitute_id) for signed, pid, presence, _r, substitute_id in rows if signed]
    attendance = attendance or None
    if attendance is None:
        for pid, _roles, response, substitute_id in participants:
            if response != Response.DECLINED:
                ids.add(pid)
            if substitute_id:
                ids.add(substitute_id)
        return ids
    for pid, presence, substitute_id in attendance:
        if presence == "present":
            ids.add(pid)
        elif presence == "substitute" and substitute_id:
            ids.add(substitute_id)
    return ids


# The meeting's sign-in as a queryset of rows with `person_id`, `presence` and `substitute_id` (None when there
# is no sign-in at all); the record app, which keeps the sign-in, provides it.
attendance_of = Hook("attendance_of", default=lambda meeting: None)


def decision_in_meeting(meeting, decision_id):
    """The meeting's decision with this id, or None (the model is the one the item's `decision` points to)."""
    Decision = ActionItem.decision.field.related_model
    return Decision.objects.filter(pk=decision_id, topic__meeting=meeting).first()


def smart_context_for(*, organisation, meeting=None):
    """SmartContext from the database: the policy, the working calendar, who was present or informed."""
    policy = policy_for(organisation)
    calendar = calendar_for(organisation)
    meeting_date = meeting_start = None
    ids = None
    if meeting is not None:
        meeting_start = timezone.localtime(meeting.start, organisation_tz(organisation)).replace(tzinfo=None)
        meeting_date = meeting_start.date()
        ids = present_or_informed(meeting)
    return SmartContext(
        meeting_date=meeting_date, vague_words=vague_words_from_text(policy.vague_words),
        is_working_day=calendar.is_working_day, present_or_informed_ids=ids, modes=modes_from_policy(policy),
        knows_year=calendar.knows_year,
        calendar=calendar, meeting_start=meeting_start,
    )


def _owner_id(data):
    owner = data.get("owner", data.get("owner_id"))
    return getattr(owner, "pk", owner)


def draft_from(data):
    due = data.get("due")
    if isinstance(due, dt.datetime):
        due = due.date()
    return ItemDraft(task=data.get("task") or "", owner_id=_owner_id(data), due=due,
                     deliverable=data.get("deliverable") or "")


def smart_findings_for(*, data, meeting, organisation=None):
    """The SMART findings for `data` (task, owner or owner_id, due, deliverable) in this meeting's context."""
    organisation = organisation or meeting.organisation
    return smart_check(draft_from(data), smart_context_for(organisation=organisation, meeting=meeting))


def open_items_for_review(meeting):
    """Open items of the earlier meetings of the same series or, without a series, of the same project."""
    if meeting.series_id is not None:
        earlier = Meeting.objects.filter(series_id=meeting.series_id)
    elif meeting.project_id is not None:
        earlier = Meeting.objects.filter(project_id=meeting.project_id)
    else:
        return ActionItem.objects.none()
    earlier = earlier.filter(organisation_id=meeting.organisation_id, start__lt=meeting.start).exclude(pk=meeting.pk)
    return item_list(
        ActionItem.objects.filter(meeting__in=earlier.values("pk"), status__in=OPEN_STATUSES), meeting.organisation,
    ).order_by("due", "id")
