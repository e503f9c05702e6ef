"""The agenda check as the meeting page shows it: its first findings and suggested places, and how many there
are, from aggregate SQL, so the page costs the same whatever the size of the agenda.

The findings are the full check's (each is made by the same function of the rules package, and the tests compare both):
blocking ones first, then warnings, each group in the rules' order. Counting a rule is one aggregate; only the
rows whose findings are shown are read. The whole list (?all=1, the API, the notice) stays `agenda_check_for`.
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Replace, Trim
from django.db.models.lookups import Exact

from closeloop.meetings.agenda import _notice_lead, org_zone, participant_in, topic_in
from closeloop.meetings.choices import Response
from closeloop.meetings.models import Material, Participant, Topic
from closeloop.meetings.rules import (
    BLOCK,
    DECIDE,
    DECISION_MAKER,
    HOST,
    INFORM,
    RECORDER,
    WARN,
    AgendaPlan,
    MaterialIn,
    PolicyValues,
    SuggestedTopic,
    calendar_findings,
    count_findings,
    decision_maker_findings,
    material_findings,
    notice_findings,
    order_reason,
    preread_lead_findings,
    presenter_findings,
    role_findings,
    severity_for,
    time_findings,
    topic_findings,
)
from closeloop.meetings.selectors import role_q
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for

SHOWN = 20
# A topic's place in the agenda sorts as order * KEY + id (order is a small integer, ids stay below 2**40).
KEY = 2**40
DECLINED = Q(response=Response.DECLINED) | Q(response=Response.SUBSTITUTE, substitute_response=Response.DECLINED)
REPLACED = Q(response=Response.SUBSTITUTE, substitute__isnull=False) & ~Q(substitute_response=Response.DECLINED)
# Python's str.strip() also drops these; TRIM() only drops spaces.
BLANKS = ("\n", "\r", "\t", "\u3000")


@dataclass(frozen=True)
class AgendaSummary:
    """What the agenda check panel shows: the first SHOWN findings and suggested places, and the totals."""

    findings: tuple
    finding_count: int
    topic_count: int
    topic_minutes: int
    meeting_minutes: int
    order_changed: bool
    suggested: tuple = ()

    @property
    def blocking(self):
        return bool(self.findings) and self.findings[0].blocking

    @property
    def buffer_minutes(self):
        return self.meeting_minutes - self.topic_minutes

    @property
    def ok(self):
        return not self.finding_count

    def suggested_topics(self):
        return list(self.suggested)


class _Fixed:
    """Findings that do not grow with the agenda (at most a few), made in full."""

    def __init__(self, findings):
        self.findings = list(findings)

    def count(self, severity):
        return sum(f.severity == severity for f in self.findings)

    def first(self, severity, k):
        return [f for f in self.findings if f.severity == severity][:k]


class _PerRow:
    """Findings made row by row: counted by the aggregate (`counts`, one per rule), and made only for the rows
    shown: `fetch(condition, k)` reads the first k rows meeting `condition` and returns their findings in order."""

    def __init__(self, rules, counts, fetch):
        self.rules, self.counts, self.fetch = rules, counts, fetch

    def count(self, severity):
        return sum(self.counts[f"n_{rule}"] for rule, sev, _q in self.rules if sev == severity)

    def first(self, severity, k):
        if k <= 0 or not self.count(severity):
            return []
        condition = reduce(operator.or_, [q for _rule, sev, q in self.rules if sev == severity])
        return [f for f in self.fetch(condition, k) if f.severity == severity][:k]


def _blank(field):
    text = F(field)
    for blank in BLANKS:
        text = Replace(text, Value(blank), Value(" "), output_field=TextField())
    return Exact(Trim(text), "")


def _topic_rules(meeting, policy):
    """(rule, severity, condition on Topic) of each rule made topic by topic, in the rules' order."""
    presenters = Participant.objects.filter(meeting_id=meeting.pk, person_id=OuterRef("presenter_id"))
    invited = Exists(presenters)
    per_topic = [
        ("topic_minutes", severity_for(policy, "topic_minutes"), Q(minutes__gt=policy.topic_max_minutes)),
        ("presentation_minutes", severity_for(policy, "presentation_minutes"),
         Q(presentation_minutes__gt=policy.presentation_max_minutes)),
        ("presenter_missing", severity_for(policy, "presenter_missing"), Q(presenter__isnull=True)),
        ("presenter_not_participant", severity_for(policy, "presenter_not_participant"),
         Q(presenter__isnull=False) & ~Q(invited)),
        ("required_outcome", WARN, Q(kind=DECIDE) & Q(_blank("required_outcome"))),
    ]
    presenter_gone = [
        ("presenter_substituted", WARN, Q(Exists(presenters.filter(REPLACED)))),
        ("presenter_declined", severity_for(policy, "presenter_declined"), Q(Exists(presenters.filter(DECLINED)))),
    ]
    return per_topic, presenter_gone, invited


def _tier_q(tier):
    return [Q(urgent=True), Q(urgent=False, kind=INFORM), Q(urgent=False) & ~Q(kind=INFORM)][tier]


def _topic_totals(meeting, rules):
    key = F("order") * KEY + F("id")
    aggregates = {"n": Count("pk"), "total": Sum("minutes"), "decide": Count("pk", filter=Q(kind=DECIDE))}
    aggregates.update({f"n_{rule}": Count("pk", filter=q) for rule, _sev, q in rules})
    for tier in range(3):
        aggregates[f"min{tier}"] = Min(key, filter=_tier_q(tier))
        aggregates[f"max{tier}"] = Max(key, filter=_tier_q(tier))
    return Topic.objects.filter(meeting_id=meeting.pk).order_by().aggregate(**aggregates)


def _order_changed(totals):
    """The suggestion (urgent, then information, then the rest) moves a topic: a topic of a later tier comes
    before one of an earlier tier."""
    tiers = [(totals[f"min{t}"], totals[f"max{t}"]) for t in range(3) if totals[f"min{t}"] is not None]
    return any(tiers[a][1] > tiers[b][0] for a in range(len(tiers)) for b in range(a + 1, len(tiers)))


def topic_places(meeting, ids):
    """{topic id: its place in the agenda} for the few topics `ids` (a count of the topics before each)."""
    before = (Topic.objects.filter(meeting_id=meeting.pk)
              .filter(Q(order__lt=OuterRef("order")) | Q(order=OuterRef("order"), pk__lte=OuterRef("pk")))
              .order_by().values("meeting_id").annotate(n=Count("*")).values("n"))
    return dict(Topic.objects.filter(pk__in=ids).annotate(place=Subquery(before)).values_list("pk", "place"))


def _topic_rows(meeting, condition, k, **annotations):
    rows = list(Topic.objects.filter(meeting_id=meeting.pk).filter(condition).select_related("presenter")
                .annotate(**annotations).order_by("order", "id")[:k])
    return rows, topic_places(meeting, [t.pk for t in rows])


def _suggested(meeting):
    tier = Case(*[When(_tier_q(t), then=Value(t)) for t in range(2)], default=Value(2), output_field=IntegerField())
    rows = list(Topic.objects.filter(meeting_id=meeting.pk).annotate(tier=tier).order_by("tier", "order", "id")
                .values_list("pk", "title", "kind", "urgent")[:SHOWN])
    places = topic_places(meeting, [r[0] for r in rows])
    return tuple(SuggestedTopic(pk, title, places[pk], n, order_reason(kind, urgent))
                 for n, (pk, title, kind, urgent) in enumerate(rows, start=1))


def _decide_places(meeting):
    """The places of the decision topics, named in one finding's message (one short column of the topics)."""
    kinds = Topic.objects.filter(meeting_id=meeting.pk).order_by("order", "id").values_list("kind", flat=True)
    return [n for n, kind in enumerate(kinds, start=1) if kind == DECIDE]


def agenda_summary_for(meeting, *, now=None):
    """The agenda check panel's content for this meeting, in a fixed number of queries."""
    organisation = meeting.organisation
    policy = PolicyValues.from_object(policy_for(organisation))
    per_topic, presenter_gone, invited = _topic_rules(meeting, policy)
    totals = _topic_totals(meeting, per_topic + presenter_gone)
    dm = role_q(DECISION_MAKER)
    dm_rules = [("decision_maker_substituted", WARN, dm & REPLACED),
                ("decision_maker_declined", severity_for(policy, "decision_maker_declined"), dm & DECLINED)]
    people = Participant.objects.filter(meeting_id=meeting.pk).order_by().aggregate(
        host=Count("pk", filter=role_q(HOST)), recorder=Count("pk", filter=role_q(RECORDER)),
        decision_maker=Count("pk", filter=dm), **{f"n_{rule}": Count("pk", filter=q) for rule, _sev, q in dm_rules})
    long_q = Q(pages__gt=policy.preread_max_pages)
    materials = Material.objects.filter(meeting_id=meeting.pk).order_by().aggregate(
        n=Count("pk"), n_preread_pages=Count("pk", filter=long_q))
    count, unknown = _notice_lead(meeting, calendar_for(organisation), org_zone(organisation), now)
    plan = AgendaPlan(start=meeting.start, end=meeting.end, urgent=meeting.urgent, notice_workdays=count.count,
                      notice_assumed=count.assumed, unknown_years=unknown)
    roles = {role for role in (HOST, RECORDER, DECISION_MAKER) if people[role]}
    decide_places = _decide_places(meeting) if totals["decide"] and DECISION_MAKER not in roles else ()

    def topic_rows(condition, k):
        rows, places = _topic_rows(meeting, condition, k, invited=invited)
        return [f for t in rows for f in topic_findings(topic_in(t), places[t.pk], policy, invited=t.invited)]

    def presenter_rows(condition, k):
        rows, places = _topic_rows(meeting, condition, k)
        gone = {p.person_id: participant_in(p) for p in Participant.objects.filter(
            meeting_id=meeting.pk, person_id__in=[t.presenter_id for t in rows]).select_related("person", "substitute")}
        found = []
        for t in rows:
            p = gone.get(t.presenter_id)
            found += presenter_findings(topic_in(t), places[t.pk], policy, declined=p if p and p.declined else None,
                                        replaced=p if p and p.substitute_name else None)
        return found

    def decision_maker_rows(condition, k):
        rows = Participant.objects.filter(meeting_id=meeting.pk).filter(condition).select_related(
            "person", "substitute").order_by("id")[:k]
        return [f for p in rows for f in decision_maker_findings(participant_in(p), policy)]

    def material_rows(condition, k):
        rows = Material.objects.filter(meeting_id=meeting.pk).filter(condition).only("name", "pages").order_by("id")
        return [f for m in rows[:k] for f in material_findings(MaterialIn(name=m.name, pages=m.pages), policy)]

    decides = bool(totals["decide"])
    parts = [
        _Fixed(count_findings(totals["n"], policy)),
        _PerRow(per_topic, totals, topic_rows),
        _Fixed(time_findings(totals["total"] or 0, plan.duration_minutes, policy)),
        _Fixed(role_findings(roles, decide_places, policy)),
        _PerRow(presenter_gone, totals, presenter_rows),
        # Decision-makers who sent someone, then those who declined, when a topic needs a decision.
        _PerRow(dm_rules[:1], people if decides else {"n_decision_maker_substituted": 0}, decision_maker_rows),
        _PerRow(dm_rules[1:], people if decides else {"n_decision_maker_declined": 0}, decision_maker_rows),
        _Fixed(notice_findings(plan, policy)),
        _PerRow([("preread_pages", severity_for(policy, "preread_pages"), long_q)], materials, material_rows),
        _Fixed(preread_lead_findings(plan, policy, has_materials=bool(materials["n"]))),
        _Fixed(calendar_findings(plan)),
    ]
    shown, total = [], 0
    for severity in (BLOCK, WARN):  # blocking findings first, as the full check sorts them
        for part in parts:
            total += part.count(severity)
            shown += part.first(severity, SHOWN - len(shown))
    changed = _order_changed(totals)
    return AgendaSummary(
        findings=tuple(shown), finding_count=total, topic_count=totals["n"], topic_minutes=totals["total"] or 0,
        meeting_minutes=plan.duration_minutes, order_changed=changed, suggested=_suggested(meeting) if changed else (),
    )
