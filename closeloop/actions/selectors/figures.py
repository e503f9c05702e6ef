"""Reads for the figures of management (insight): counts grouped in the database, so their cost does not grow
with the number of items, and the few history rows the working-day figures need."""

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from closeloop.actions.choices import OPEN_STATUSES, EventKind, ItemStatus
from closeloop.actions.models import ActionItem, ActionItemEvent, ChangeRequest
from closeloop.lib.apiutil import organisation_tz


def _insight_items(organisation, *, department_ids=None, project_id=None, meeting_type=None, owner_id=None):
    qs = ActionItem.objects.filter(organisation=organisation).exclude(status=ItemStatus.CANCELLED)
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if meeting_type:
        qs = qs.filter(meeting__type=meeting_type)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs


def item_accountability_counts(*, organisation, start, end, today, group_by, vague_words=(), weeks=(), **filters):
    """Per `group_by` value ("department_id" or "owner_id"): counts over the items due in [start, end]
    (cancelled ones left out) — total, open, overdue, done on time, done late, smart — and, for each date
    in `weeks`, the items overdue at the end of that day (whatever their due date). One query."""
    tz = organisation_tz(organisation)

    def closed_after(day):  # marked done after that local day: a constant bound, no per-row date conversion
        return Q(closed_at__gte=dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tz))

    in_period = Q(due__gte=start, due__lte=end)
    done = Q(status=ItemStatus.DONE)
    smart = Q(owner__isnull=False, due__isnull=False) & ~Q(deliverable="")
    for word in vague_words:
        smart &= ~Q(task__icontains=word)
    counts = {
        "total": Count("pk", filter=in_period),
        "open": Count("pk", filter=in_period & Q(status__in=OPEN_STATUSES)),
        "overdue": Count("pk", filter=in_period & Q(status__in=OPEN_STATUSES, due__lt=today)),
        "done_on_time": Count("pk", filter=in_period & done & Q(closed_day__lte=F("due"))),
        "done_late": Count("pk", filter=in_period & done & Q(closed_day__gt=F("due"))),
        "smart_ok": Count("pk", filter=in_period & smart),
    }
    for i, day in enumerate(weeks):
        counts[f"week{i}"] = Count("pk", filter=Q(due__lt=day) & (
            Q(status__in=OPEN_STATUSES) | (Q(status=ItemStatus.DONE) & closed_after(day))))
    # Items due after the period, or closed before it, take part in none of the counts.
    first = min([start, *weeks]) - dt.timedelta(days=1)
    qs = (_insight_items(organisation, **filters).filter(due__lte=end)
          .filter(Q(closed_at__isnull=True) | closed_after(first))
          .annotate(closed_day=TruncDate("closed_at", tzinfo=tz)))
    if not weeks:  # every count is of the period: a due-date range that the (department, due) index reads
        qs = qs.filter(due__gte=start)
    return {row[group_by]: row for row in qs.values(group_by).annotate(**counts).order_by(group_by)}


def item_history_rows(*, organisation, start, end, group_by, risk_kind, risk_prefix, **filters):
    """What the delay and risk figures need about the items due in [start, end], in one query (a UNION):
    (group, what, state, due, day marked done, at) where `what` is "late" (done after its due date, with the
    day), "delay" or "risk" (a history entry, with its time) or a change request's kind (with its state)."""
    items = _insight_items(organisation, **filters).filter(due__gte=start, due__lte=end)
    closed_day = TruncDate("closed_at", tzinfo=organisation_tz(organisation))
    no_text, no_date, no_time = (Value("", output_field=CharField()), Value(None, output_field=DateField()),
                                 Value(None, output_field=DateTimeField()))
    columns = ("g", "what", "st", "d", "cd", "t")
    late = (items.filter(status=ItemStatus.DONE).annotate(closed=closed_day).filter(closed__gt=F("due"))
            .annotate(g=F(group_by), what=Value("late", output_field=CharField()), st=no_text, d=F("due"),
                      cd=F("closed"), t=no_time).order_by().values_list(*columns))
    events = (ActionItemEvent.objects.filter(item__in=items.values("pk"))
              .filter(Q(kind=EventKind.DELAY) | Q(kind=risk_kind, note__startswith=risk_prefix))
              .annotate(g=F(f"item__{group_by}"), what=Case(When(kind=EventKind.DELAY, then=Value("delay")),
                                                            default=Value("risk"), output_field=CharField()),
                        st=no_text, d=F("item__due"), cd=no_date, t=F("at")).order_by().values_list(*columns))
    changes = (ChangeRequest.objects.filter(item__in=items.values("pk"))
               .annotate(g=F(f"item__{group_by}"), what=F("kind"), st=F("state"), d=no_date, cd=no_date, t=no_time)
               .order_by().values_list(*columns))
    tz = organisation_tz(organisation)
    return [(g, what, state, due, closed, None if at is None else timezone.localtime(at, tz).date())
            for g, what, state, due, closed, at in late.union(events, changes, all=True)]


def item_counts_per_meeting():
    """A subquery: how many action items a meeting (OuterRef "pk") produced, cancelled ones included."""
    return Subquery(ActionItem.objects.filter(meeting_id=OuterRef("pk")).order_by().values("meeting_id")
                    .annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())
