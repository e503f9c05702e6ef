"""The scheduled follow-up scans: reminders, overdue escalations, late minutes and weekly digests.

Each scan takes `now` (for tests and catch-up), works per organisation on its working calendar and
policy, and returns how many outbox rows it queued. Items are read with one query over open statuses
and a due window (the (status, due) index), whatever the number of closed items.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from closeloop.actions.choices import OPEN_STATUSES, ItemStatus
from closeloop.actions.models import ActionItem
from closeloop.followup import rules
from closeloop.followup.notifications import Notice, item_fields, item_linker, notify_many, notify_person
from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.lookups import AnyOf
from closeloop.meetings.choices import MeetingState, ParticipantRole
from closeloop.meetings.models import Meeting
from closeloop.minutes.choices import MinutesState
from closeloop.minutes.models import Minutes
from closeloop.org.models import Organisation, Person
from closeloop.org.selectors import management_group, policy_for
from closeloop.workcal.selectors import calendar_for


def day_starts_hour():
    return getattr(settings, "FOLLOWUP_DAY_STARTS_HOUR", 8)


def lookback_days():
    return getattr(settings, "FOLLOWUP_LOOKBACK_DAYS", 30)


@dataclass
class OrgContext:
    organisation: Organisation
    policy: object
    calendar: object
    today: dt.date


def org_contexts(now):
    """Per organisation: its policy, calendar and follow-up date (see rules.effective_day)."""
    for organisation in Organisation.objects.select_related("policy").order_by("pk"):  # policy_for reads no row
        yield OrgContext(organisation, policy_for(organisation), calendar_for(organisation),
                         rules.effective_day(now, organisation_tz(organisation), day_starts_hour()))


def open_items_due(first, last):
    """Open items due from `first` to `last`: the query every item scan starts from."""
    return (ActionItem.objects.filter(status__in=OPEN_STATUSES, due__gte=first, due__lte=last)
            .order_by("due", "pk"))


# What the escalation scan reads along with its items, to climb departments. The reminder scan reads the
# items alone, then their people (owners and collaborators) in one query.
ESCALATION_RELATED = ("owner", "owner__department__head", "owner__department__parent__head", "department__head",
                      "meeting", "organisation")


def _items_in_windows(windows, related=()):
    """Items in each organisation's window, read in one query over the union of the windows, with their
    owners and collaborators (`item.collaborator_list`) read in two more."""
    windows = {pk: w for pk, w in windows.items() if not w[1].empty}
    if not windows:
        return []
    first = min(w.first for _ctx, w in windows.values())
    last = max(w.last for _ctx, w in windows.values())
    found = []
    for item in open_items_due(first, last).select_related(*related):
        ctx, window = windows.get(item.organisation_id, (None, None))
        if ctx is not None and item.due in window:
            found.append((ctx, item))
    _attach_people([item for _ctx, item in found])
    return found


def _attach_people(items):
    """Each item's owner (unless already read) and `collaborator_list`, from one query for the collaborations and
    one for the people: a person on several items is read once. (prefetch_related costs a queryset clone per
    item, a third of the reminder scan's time.)"""
    if not items:
        return
    through = ActionItem.collaborators.through
    pairs = list(through.objects.filter(AnyOf(F("actionitem_id"), [item.pk for item in items]))
                 .order_by("person_id").values_list("actionitem_id", "person_id"))
    owner_field = ActionItem._meta.get_field("owner")
    wanted = {person for _item, person in pairs}
    wanted.update(item.owner_id for item in items if item.owner_id is not None and not owner_field.is_cached(item))
    people = {p.pk: p for p in Person.objects.filter(AnyOf(F("pk"), wanted))} if wanted else {}
    by_item = defaultdict(list)
    for item_id, person_id in pairs:
        by_item[item_id].append(people[person_id])
    for item in items:
        if item.owner_id is not None and not owner_field.is_cached(item):
            item.owner = people[item.owner_id]
        item.collaborator_list = by_item[item.pk]


def scan_reminders(*, now=None):
    """Remind the owner and collaborators `policy.reminder_workdays` working days before due.

    Every reminder is queued at once (`notify_many`): a fixed number of queries and a few renders whatever
    the number of items due."""
    now = now or timezone.now()
    windows = {}
    for ctx in org_contexts(now):
        windows[ctx.organisation.pk] = (ctx, rules.reminder_window(ctx.calendar, ctx.today,
                                                                  ctx.policy.reminder_workdays))
    notices, per_day, item_link = [], {}, item_linker()
    for ctx, item in _items_in_windows(windows):
        day = (ctx.organisation.pk, item.due)
        if day not in per_day:  # the calendar's arithmetic, once per organisation and due date
            on = rules.reminder_date(ctx.calendar, item.due, ctx.policy.reminder_workdays)
            per_day[day] = {"assumed": on.assumed,
                            "unknown_years": rules.unknown_years(ctx.calendar, on.date, item.due),
                            "workdays_left": ctx.calendar.working_days_between(ctx.today, item.due).count}
        context = {**per_day[day], "has_deliverable": bool(item.deliverable)}
        fields, link = item_fields(item), item_link(item)
        people = [item.owner] + [p for p in item.collaborator_list if p.pk != item.owner_id]
        notices += [Notice(person=person, key=f"reminder:{item.pk}:{item.due}:{person.pk}", link=link,
                           organisation=ctx.organisation, fields=fields,
                           context={**context, "is_owner": person.pk == item.owner_id})
                    for person in people if person is not None]
    with transaction.atomic():
        return len(notify_many(notices, kind="reminder", template="reminder", now=now))


def escalation_target(item):
    """The owner's department head; when the owner heads it, the head of the department above."""
    department = item.owner.department if item.owner is not None else item.department
    while department is not None:
        if department.head_id is not None and department.head_id != item.owner_id:
            return department.head
        department = department.parent
    return None


def escalation_targets(item, management=None):
    """Who an overdue item escalates to: the head above its owner; when nobody heads anything above
    (the owner heads a top-level department), the organisation's management group / PMO (read once per
    organisation when `management` is a dict kept across items)."""
    head = escalation_target(item)
    if head is not None:
        return [head]
    management = {} if management is None else management
    if item.organisation_id not in management:
        management[item.organisation_id] = list(management_group(item.organisation))
    return [p for p in management[item.organisation_id] if p.pk != item.owner_id]


def scan_escalations(*, now=None):
    """Escalate items still open `policy.overdue_escalation_workdays` working days after due."""
    now = now or timezone.now()
    windows = {}
    for ctx in org_contexts(now):
        windows[ctx.organisation.pk] = (ctx, rules.escalation_window(
            ctx.calendar, ctx.today, ctx.policy.overdue_escalation_workdays, lookback_days()))
    notices, management, item_link = [], {}, item_linker()
    for ctx, item in _items_in_windows(windows, ESCALATION_RELATED):
        targets = escalation_targets(item, management)
        if not targets:
            continue
        on = rules.escalation_date(ctx.calendar, item.due, ctx.policy.overdue_escalation_workdays)
        overdue = ctx.calendar.working_days_between(item.due, ctx.today)
        context = {"assumed": on.assumed or overdue.assumed,
                   "unknown_years": rules.unknown_years(ctx.calendar, item.due, ctx.today),
                   "workdays_overdue": overdue.count, "policy_workdays": ctx.policy.overdue_escalation_workdays,
                   "has_meeting": item.meeting is not None}
        fields = {**item_fields(item), "status": ItemStatus(item.status).label, "progress": str(item.progress),
                  "meeting": item.meeting.title if item.meeting is not None else ""}
        link = item_link(item)
        notices += [Notice(person=head, key=f"escalation:{item.pk}:{item.due}:{head.pk}", link=link,
                           organisation=ctx.organisation, context=context, fields=fields) for head in targets]
    with transaction.atomic():
        return len(notify_many(notices, kind="escalation", template="escalation", now=now))


def _recorders_and_hosts(meeting):
    """{person: is_recorder} for the meeting's recorders and hosts (participants already prefetched)."""
    people = {}
    for participant in meeting.participants.all():
        roles = set(participant.role_list)
        if roles & {ParticipantRole.RECORDER, ParticipantRole.HOST}:
            people[participant.person] = ParticipantRole.RECORDER in roles
    return people


def late_minutes_meetings(organisation, now, draft_hours):
    """Held meetings (noticed, or with a live record) ended more than `draft_hours` ago, within the look-back,
    whose minutes have not left the draft state (or were never started)."""
    ended_before = now - dt.timedelta(hours=draft_hours)
    past_draft = Minutes.objects.filter(meeting=OuterRef("pk")).exclude(state=MinutesState.DRAFT)
    return (
        Meeting.objects.filter(organisation=organisation, end__lte=ended_before,
                               end__gte=ended_before - dt.timedelta(days=lookback_days()))
        .exclude(state=MeetingState.CANCELLED)
        .filter(Q(state=MeetingState.NOTICED) | Q(record__isnull=False))
        .filter(~Exists(past_draft))
        .prefetch_related("participants__person")
        .order_by("end", "pk")
    )


def scan_minutes_late(*, now=None):
    """Tell the recorder and the host when a held meeting's minutes are not drafted in time."""
    now = now or timezone.now()
    queued = 0
    for ctx in org_contexts(now):
        hours = ctx.policy.minutes_draft_hours
        for meeting in late_minutes_meetings(ctx.organisation, now, hours):
            link = settings.SITE_URL + reverse("minutes:meeting", args=[meeting.pk])
            context = {"meeting": meeting, "due_at": meeting.end + dt.timedelta(hours=hours), "hours": hours}
            with transaction.atomic():
                for person, is_recorder in _recorders_and_hosts(meeting).items():
                    queued += len(notify_person(
                        person=person, kind="minutes", key=f"minutes-late:{meeting.pk}:{person.pk}",
                        template="minutes_late", context={**context, "is_recorder": is_recorder},
                        link=link, organisation=ctx.organisation, now=now))
    return queued


def open_items():
    """Every open item. No organisation filter on purpose: SQLite would then walk the organisation's index,
    closed items included; this reads the (status, due) index and the scan groups by organisation."""
    return ActionItem.objects.filter(status__in=OPEN_STATUSES).order_by("due", "pk")


def scan_digests(*, now=None):
    """Once a week (from its first working day): each person's open items, each head's department's."""
    now = now or timezone.now()
    due = {ctx.organisation.pk: ctx for ctx in org_contexts(now) if rules.digest_due(ctx.calendar, ctx.today)}
    if not due:
        return 0
    by_owner, by_department = defaultdict(list), defaultdict(list)
    for item in open_items().select_related("owner", "department__head", "meeting"):
        ctx = due.get(item.organisation_id)
        if ctx is None:
            continue
        item.is_overdue = item.due is not None and item.due < ctx.today
        if item.owner is not None:
            by_owner[(ctx.organisation.pk, item.owner)].append(item)
        if item.department is not None and item.department.head is not None:
            by_department[(ctx.organisation.pk, item.department)].append(item)
    link = settings.SITE_URL + reverse("actions:mine")
    queued = 0
    for (org_pk, person), own in by_owner.items():
        ctx = due[org_pk]
        week = rules.week_label(ctx.today)
        with transaction.atomic():
            queued += len(notify_person(
                person=person, kind="digest", key=f"digest:{week}:{person.pk}", template="digest",
                context={"week": week, "today": ctx.today, "items": own, "overdue": sum(i.is_overdue for i in own)},
                link=link, organisation=ctx.organisation, now=now))
    for (org_pk, department), theirs in by_department.items():
        ctx = due[org_pk]
        week = rules.week_label(ctx.today)
        with transaction.atomic():
            queued += len(notify_person(
                person=department.head, kind="digest",
                key=f"digest-department:{week}:{department.pk}:{department.head_id}", template="digest_department",
                context={"week": week, "today": ctx.today, "department": department, "items": theirs,
                         "overdue": sum(i.is_overdue for i in theirs)},
                link=link, organisation=ctx.organisation, now=now))
    return queued


# name -> (scan, seconds between runs); registered with the worker when the app is ready
SCANS = {
    "reminders": (scan_reminders, 600),
    "escalations": (scan_escalations, 600),
    "minutes_late": (scan_minutes_late, 300),
    "digests": (scan_digests, 1800),
}
