"""Reads for insight: who may see which figures, and the facts behind them, through the other apps' selectors.

Permissions: administrators (the PMO) see every department and person; a department head the departments
they head and their people; a member their own department's figures and their own. Anything else is 404.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from closeloop.actions.choices import EventKind
from closeloop.actions.rules import vague_words_from_text
from closeloop.actions.selectors.figures import item_accountability_counts, item_history_rows
from closeloop.actions.selectors.items import items_visible_to
from closeloop.collab.selectors import receipt_answer_rows
from closeloop.insight import rules
from closeloop.insight.measures import ImprovementRow, ItemFacts, MeetingRow, RequestRow, RetroRow
from closeloop.insight.models import HourlyCost, InsightSettings
from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.selectors import participant_titles
from closeloop.minutes.selectors import meeting_insight_rows
from closeloop.org.models import Department, Person, Project
from closeloop.org.selectors import policy_for
from closeloop.retro.selectors import after_work_rows, retrospectives_visible_to
from closeloop.workcal.selectors import calendar_for

# A risk is a history entry of its own kind (the follow-up app writes it; insight only reads).
RISK_KIND = EventKind.RISK
RISK_PREFIX = ""


@dataclass(frozen=True)
class Filters:
    """What the figures are narrowed to; None means any."""

    department_id: int | None = None
    project_id: int | None = None
    meeting_type: str | None = None


def _require_member(person):
    if not person.is_authenticated or not person.is_active or person.organisation_id is None:
        raise Http404


def visible_department_ids(person):
    """None for every department (administrators), else the ids of the departments this person may see."""
    _require_member(person)
    if person.is_org_admin:
        return None
    ids = set(Department.objects.filter(organisation_id=person.organisation_id, head=person).values_list("pk",
                                                                                                           flat=True))
    if person.department_id:
        ids.add(person.department_id)
    return ids


def departments_for(person):
    """The departments whose figures this person may see, by name."""
    _require_member(person)
    qs = Department.objects.filter(organisation_id=person.organisation_id).select_related("head")
    if not person.is_org_admin:
        qs = qs.filter(Q(head=person) | Q(pk=person.department_id))
    return list(qs.order_by("name"))


def all_departments(organisation):
    """Every department of the organisation, for the management report (not for a person's page)."""
    return list(Department.objects.filter(organisation=organisation).select_related("head").order_by("name"))


def report_recipients(organisation):
    """The management group of the insight settings, or the administrators when none is set."""
    chosen = list(insight_settings(organisation).management.filter(is_active=True)) if InsightSettings.objects.filter(
        organisation=organisation).exists() else []
    if chosen:
        return chosen
    return list(Person.objects.filter(organisation=organisation, is_active=True, role="admin").order_by("pk"))


def department_for_insight(person, pk):
    """A department whose figures this person may see, else Http404."""
    for department in departments_for(person):
        if str(department.pk) == str(pk):
            return department
    raise Http404


def person_for_insight(viewer, pk):
    """A person whose own figures the viewer may see: themselves, their department head, administrators."""
    _require_member(viewer)
    try:
        person = Person.objects.select_related("department__head").get(organisation_id=viewer.organisation_id,
                                                                       pk=pk, is_active=True)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if viewer.is_org_admin or person.pk == viewer.pk or (
            person.department is not None and person.department.head_id == viewer.pk):
        return person
    raise Http404


def projects_for(person):
    _require_member(person)
    return list(Project.objects.filter(organisation_id=person.organisation_id).order_by("name"))


def hourly_costs(organisation):
    """{title: cost per hour} as an administrator set them."""
    return {c.title: float(c.hourly_cost) for c in HourlyCost.objects.filter(organisation=organisation)}


def insight_settings(organisation):
    found = InsightSettings.objects.filter(organisation=organisation).first()
    return found or InsightSettings(organisation=organisation)


@dataclass
class Context:
    """What every figure of one request shares: the organisation, its calendar and policy, today."""

    organisation: object
    period: rules.Period
    today: dt.date
    now: dt.datetime
    calendar: object
    workdays: rules.WorkdayIndex
    policy: object
    settings: object
    rates: dict = field(default_factory=dict)


def context_for(organisation, period, now=None):
    now = now or timezone.now()
    today = timezone.localtime(now, organisation_tz(organisation)).date()
    calendar = calendar_for(organisation)
    index = rules.WorkdayIndex(calendar.is_working_day, min(period.start, today) - dt.timedelta(days=62),
                               max(period.end, today))
    return Context(organisation, period, today, now, calendar, index, policy_for(organisation),
                   insight_settings(organisation), hourly_costs(organisation))


def _item_filters(filters, department_ids):
    filters = filters or Filters()
    ids = department_ids
    if filters.department_id is not None:
        ids = {filters.department_id} if ids is None or filters.department_id in ids else set()
    return {"department_ids": ids, "project_id": filters.project_id, "meeting_type": filters.meeting_type}


def item_facts(ctx, *, group_by, filters=None, department_ids=None, owner_id=None):
    """{group: ItemFacts} for the items due in the period, grouped by "department_id" or "owner_id"; and the
    overdue count at the end of each week of the period ({monday: count})."""
    period, org = ctx.period, ctx.organisation
    kwargs = _item_filters(filters, department_ids)
    if owner_id is not None:
        kwargs["owner_id"] = owner_id
    week_ends = [min(monday + dt.timedelta(days=6), ctx.today) for monday in rules.weeks_of(period)]
    counts = item_accountability_counts(
        organisation=org, start=period.start, end=period.end, today=ctx.today, group_by=group_by,
        vague_words=vague_words_from_text(ctx.policy.vague_words), weeks=week_ends, **kwargs)
    facts = defaultdict(ItemFacts)
    trend = dict.fromkeys(rules.weeks_of(period), 0)
    for group, row in counts.items():
        f = facts[group]
        for name in ("total", "open", "overdue", "done_on_time", "done_late", "smart_ok"):
            setattr(f, name, row[name])
        for i, monday in enumerate(trend):
            trend[monday] += row[f"week{i}"]
    lead = ctx.policy.risk_warning_workdays
    for group, what, state, due, closed, day in item_history_rows(
            organisation=org, start=period.start, end=period.end, group_by=group_by, risk_kind=RISK_KIND,
            risk_prefix=RISK_PREFIX, **kwargs):
        f = facts[group]
        if what == "late":
            f.delays.append(ctx.workdays.between(due, closed))
        elif what == "delay":
            f.delays_recorded += 1
        elif what == "risk":
            if due is not None and ctx.workdays.between(day, due) >= lead:
                f.risks_early += 1
            else:
                f.risks_late += 1
        else:
            f.change_requests += 1
            if what in ("date", "both"):
                f.date_changes_asked += 1
                f.date_changes_granted += state == "accepted"
    return dict(facts), trend


def meeting_rows(ctx, *, filters=None, department_ids=None, meeting_ids=None):
    """[MeetingRow] for the meetings held in the period that the filters and permissions let through."""
    org, period, policy, tz = ctx.organisation, ctx.period, ctx.policy, organisation_tz(ctx.organisation)
    kwargs = _item_filters(filters, department_ids)
    start = dt.datetime.combine(period.start, dt.time.min, tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tz)
    cutoff_day = ctx.calendar.add_working_days(ctx.today, -ctx.settings.signoff_workdays).date
    cutoff = dt.datetime.combine(cutoff_day, dt.time.min, tz)
    raw = meeting_insight_rows(organisation=org, start=start, end=end, today=ctx.today, signoff_cutoff=cutoff,
                               meeting_ids=meeting_ids, **kwargs)
    cost = _costs(ctx, raw)
    limits = rules.RuleLimits(policy.topics_min, policy.topics_max, policy.meeting_max_minutes,
                              policy.notice_lead_workdays, policy.notice_lead_urgent_workdays,
                              policy.preread_lead_workdays)
    rows = []
    for r in raw:
        start_day = timezone.localtime(r["start"], tz).date()
        hours = (r["end"] - r["start"]).total_seconds() / 3600
        rows.append(MeetingRow(
            id=r["id"], title=r["title"], week=rules.week_of(start_day), host_department_id=r["host_department_id"],
            type=r["type"], hours=hours, person_hours=hours * r["participant_count"],
            cost=None if cost.get(r["id"]) is None else hours * cost[r["id"]],
            rule_failures=tuple(rules.meeting_rule_failures(_rule_facts(ctx, r, start_day, hours), limits)),
            decisions=r["decision_count"], items=r["item_count"], planned_minutes=r["planned_timed"],
            actual_minutes=None if not r["timed_seconds"] else r["timed_seconds"] / 60,
            outcome_topics=r["outcome_topics"], outcome_reached=r["outcome_reached"],
            decisions_without_item=r["decisions_without_item"], disagreements_overdue=r["disagreements_overdue"],
            signoffs_overdue=r["signoffs_overdue"], **_minutes_facts(ctx, r),
        ))
    return rows


def _costs(ctx, raw):
    """{meeting id: Σ hourly cost of its participants} when at least one participant's title has a rate."""
    if not ctx.rates or not raw:
        return {}
    totals = {}
    for meeting_id, title, n in participant_titles(meeting_ids=[r["id"] for r in raw]):
        rate = ctx.rates.get(title or "")
        if rate is not None:
            totals[meeting_id] = totals.get(meeting_id, 0) + rate * n
    return totals


def _rule_facts(ctx, r, start_day, hours):
    tz = organisation_tz(ctx.organisation)

    def ahead(moment):
        return None if moment is None else ctx.workdays.between(timezone.localtime(moment, tz).date(), start_day)

    return rules.MeetingFacts(
        has_objective=bool((r["objective"] or "").strip()), topics=r["topic_count"], minutes=round(hours * 60),
        notice_workdays_ahead=ahead(r["notice_sent_at"]), urgent=r["urgent"],
        preread_workdays_ahead=ahead(r["last_material_at"]), has_materials=r["last_material_at"] is not None)


def _minutes_facts(ctx, r):
    policy = ctx.policy
    draft_due = r["end"] + dt.timedelta(hours=policy.minutes_draft_hours)
    submitted, approved, distributed = r["minutes_submitted_at"], r["minutes_approved_at"], r["minutes_distributed_at"]
    signed = r["last_signed_at"]
    return {
        "minutes_due": draft_due <= ctx.now,
        "drafted_on_time": None if submitted is None and draft_due > ctx.now else bool(
            submitted is not None and submitted <= draft_due),
        "approved": approved is not None,
        "distributed_on_time": None if approved is None else bool(
            distributed is not None and distributed <= approved + dt.timedelta(hours=policy.minutes_distribute_hours)),
        "signoff_hours": [] if signed is None or distributed is None else [
            (signed - distributed).total_seconds() / 3600],
    }


def request_rows(ctx, *, filters=None, department_ids=None):
    """[RequestRow] for the collaboration requests sent in the period to the departments let through (the
    meeting-type filter does not apply to requests)."""
    tz = organisation_tz(ctx.organisation)
    kwargs = _item_filters(filters, department_ids)
    start = dt.datetime.combine(ctx.period.start, dt.time.min, tz)
    end = dt.datetime.combine(ctx.period.end + dt.timedelta(days=1), dt.time.min, tz)
    rows = []
    for department_id, request_id, sent_at, due, state, first_at, first_late in receipt_answer_rows(
            ctx.organisation, start, end, department_ids=kwargs["department_ids"], project_id=kwargs["project_id"]):
        answered = first_at is not None
        hours = None
        if answered:
            hours = rules.working_hours_between(timezone.localtime(sent_at, tz), timezone.localtime(first_at, tz),
                                                ctx.workdays.is_working_day)
        rows.append(RequestRow(
            department_id=department_id, request_id=request_id, answered=answered,
            on_time=answered and not first_late, answer_hours=hours,
            overdue=state == "pending" and due is not None and due < ctx.today))
    return rows


def after_work(ctx, *, filters=None, department_ids=None):
    """([RetroRow], [ImprovementRow]) in one query: the retrospectives due in the period, overdue and not planned,
    of the departments let through (either side of the request); the open improvement measures agreed by the
    period's end, by their item's department. The meeting-type filter does not apply."""
    kwargs = _item_filters(filters, department_ids)
    tz = organisation_tz(ctx.organisation)
    sent_before = dt.datetime.combine(ctx.period.end + dt.timedelta(days=1), dt.time.min, tz)
    retros, measures = after_work_rows(ctx.organisation, start=ctx.period.start, end=ctx.period.end,
                                       today=ctx.today, sent_before=sent_before,
                                       department_ids=kwargs["department_ids"], project_id=kwargs["project_id"])
    return ([RetroRow(id=pk, request_id=ref, subject=text, due=day) for pk, text, ref, day in retros],
            [ImprovementRow(id=pk, measure=text, item_id=ref, due=day, overdue=day is not None and day < ctx.today)
             for pk, text, ref, day in measures])


def hourly_cost_rows(organisation):
    return list(HourlyCost.objects.filter(organisation=organisation).order_by("title"))


def titles_without_cost(organisation):
    """The titles people of the organisation have that no rate covers yet (what the administrator may set)."""
    titles = set(Person.objects.filter(organisation=organisation, is_active=True).values_list("title", flat=True))
    return sorted(titles - set(HourlyCost.objects.filter(organisation=organisation).values_list("title", flat=True)))


def readable_retrospective_ids(person, ids):
    """Of these retrospectives, the ones this person may open (through the retrospectives' own rules)."""
    return set(retrospectives_visible_to(person).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def readable_item_ids(person, ids):
    """Of these action items, the ones this person may open (through the items' own rules)."""
    return set(items_visible_to(person).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
