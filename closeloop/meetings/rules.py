"""The agenda check: pure rules on plain data (no ORM), so they are fast and tested without a database.

`agenda_check(plan, policy)` returns findings, each naming its rule, the numbers behind it and the fix.
Every limit comes from the organisation's policy; each rule warns or blocks as the policy says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WARN = "warn"
BLOCK = "block"

DECIDE = "decide"
INFORM = "inform"
HOST = "host"
RECORDER = "recorder"
DECISION_MAKER = "decision_maker"

# Rule name -> the Policy field holding its mode (warn/block).
RULE_MODES = {
    "topic_minutes": "topic_minutes_mode",
    "presentation_minutes": "topic_minutes_mode",
    "meeting_minutes": "meeting_minutes_mode",
    "meeting_length": "meeting_minutes_mode",
    "buffer": "buffer_mode",
    "topic_count": "topics_mode",
    "host": "roles_mode",
    "recorder": "roles_mode",
    "decision_maker": "roles_mode",
    "presenter_missing": "roles_mode",
    "presenter_not_participant": "roles_mode",
    "presenter_declined": "roles_mode",
    "decision_maker_declined": "roles_mode",
    "notice_lead": "notice_lead_mode",
    "preread_lead": "preread_mode",
    "preread_pages": "preread_mode",
}


@dataclass(frozen=True)
class PolicyValues:
    """The Policy fields the agenda check reads; defaults are DESIGN.md's policy table."""

    notice_lead_workdays: int = 3
    notice_lead_urgent_workdays: int = 1
    notice_lead_mode: str = WARN
    preread_lead_workdays: int = 1
    preread_max_pages: int = 5
    preread_mode: str = WARN
    topics_min: int = 3
    topics_max: int = 5
    topics_mode: str = WARN
    topic_max_minutes: int = 30
    presentation_max_minutes: int = 10
    topic_minutes_mode: str = WARN
    meeting_max_minutes: int = 90
    meeting_minutes_mode: str = WARN
    buffer_min_minutes: int = 10
    buffer_max_minutes: int = 15
    buffer_mode: str = WARN
    roles_mode: str = BLOCK

    @classmethod
    def from_object(cls, policy):
        """Copy the matching attributes of a Policy row (or any object carrying them)."""
        return cls(**{f.name: getattr(policy, f.name) for f in fields(cls) if hasattr(policy, f.name)})


@dataclass(frozen=True)
class TopicIn:
    id: int
    order: int
    title: str
    minutes: int
    presentation_minutes: int | None = None
    kind: str = "discuss"
    urgent: bool = False
    presenter_id: int | None = None
    required_outcome: str = ""
    presenter_name: str = ""


@dataclass(frozen=True)
class ParticipantIn:
    person_id: int
    roles: tuple[str, ...] = ()
    required: bool = True
    declined: bool = False
    name: str = ""
    substitute_name: str = ""  # who attends instead (代参会), when they sent someone


@dataclass(frozen=True)
class MaterialIn:
    name: str
    pages: int | None = None


@dataclass(frozen=True)
class AgendaPlan:
    """What the check looks at: times, topics, participants, materials and the notice lead time."""

    start: dt.datetime
    end: dt.datetime
    urgent: bool = False
    topics: tuple[TopicIn, ...] = ()
    participants: tuple[ParticipantIn, ...] = ()
    materials: tuple[MaterialIn, ...] = ()
    # Working days from the notice (sent, or today if not yet sent) to the meeting; None: not counted.
    notice_workdays: int | None = None
    notice_assumed: bool = False
    unknown_years: tuple[int, ...] = ()  # years the working calendar does not know, when assumed

    @property
    def duration_minutes(self):
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # WARN or BLOCK
    message: str
    fix: str
    numbers: dict = field(default_factory=dict)
    topic_id: int | None = None

    @property
    def blocking(self):
        return self.severity == BLOCK

    def as_dict(self):
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "fix": self.fix,
                "numbers": dict(self.numbers), "topic_id": self.topic_id}


@dataclass(frozen=True)
class AgendaCheck:
    findings: tuple[Finding, ...]
    current_order: tuple[int, ...]
    suggested_order: tuple[int, ...]
    topic_minutes: int
    meeting_minutes: int
    titles: tuple[tuple[int, str], ...] = ()  # (topic id, title) to show the suggested order
    kinds: tuple[tuple[int, str, bool], ...] = ()  # (topic id, kind, urgent): why each topic goes where it goes

    @property
    def blocking(self):
        return any(f.blocking for f in self.findings)

    @property
    def buffer_minutes(self):
        return self.meeting_minutes - self.topic_minutes

    def suggested_topics(self):
        """The topics in the suggested order, each with its place today and the reason for its new place."""
        names, kinds = dict(self.titles), {pk: (kind, urgent) for pk, kind, urgent in self.kinds}
        was = {pk: n for n, pk in enumerate(self.current_order, start=1)}
        return [SuggestedTopic(pk, names.get(pk, ""), was.get(pk, 0), n, order_reason(*kinds.get(pk, ("", False))))
                for n, pk in enumerate(self.suggested_order, start=1)]

    @property
    def order_changed(self):
        return self.suggested_order != self.current_order

    @property
    def finding_count(self):
        return len(self.findings)

    @property
    def topic_count(self):
        return len(self.current_order)

    @property
    def ok(self):
        return not self.findings

    def rules(self):
        return {f.rule for f in self.findings}

    def as_dict(self):
        return {
            "blocking": self.blocking, "findings": [f.as_dict() for f in self.findings],
            "current_order": list(self.current_order), "suggested_order": list(self.suggested_order),
            "order_changed": self.order_changed,
            "order_reasons": [{"topic_id": t.id, "reason": t.reason} for t in self.suggested_topics()],
            "topic_minutes": self.topic_minutes,
            "meeting_minutes": self.meeting_minutes, "buffer_minutes": self.buffer_minutes,
        }


def _severity(policy, rule):
    return getattr(policy, RULE_MODES[rule], WARN)


@dataclass(frozen=True)
class SuggestedTopic:
    id: int
    title: str
    was: int  # its place in the agenda today
    now: int  # its place in the suggestion
    reason: str

    @property
    def moved(self):
        return self.was != self.now


def _tier(topic):
    return 0 if topic.urgent else 1 if topic.kind == INFORM else 2


def suggested_order(topics):
    """Urgent topics first, then information, then the discussions and decisions in the order the host gave them.

    Information comes before what relies on it, so that everyone discusses and decides from the same facts. The
    order of discussions and decisions is kept: a discussion usually prepares the decision after it (strategy
    before the division of work, the budget request before its approval), which no rule can see. Stable."""
    ordered = sorted(topics, key=lambda t: (t.order, t.id))
    return tuple(t.id for t in sorted(ordered, key=_tier))


def order_reason(kind, urgent):
    """Why a topic of this kind has its place in the suggested order, in a sentence for the host."""
    if urgent:
        return _("Urgent: first, so that it gets its time even if the meeting runs late.")
    if kind == INFORM:
        return _("Information: early, so that everyone discusses and decides from the same facts.")
    return _("Discussion or decision: after the information it relies on, in the order you gave.")


def topic_findings(t, n, policy, *, invited):
    """The findings of one topic at place `n` of the agenda (`invited`: its presenter is a participant)."""
    if t.minutes > policy.topic_max_minutes:
        yield Finding(
            "topic_minutes", _severity(policy, "topic_minutes"),
            _("Topic %(n)s “%(title)s” is %(minutes)s min; the limit is %(limit)s min.")
            % {"n": n, "title": t.title, "minutes": t.minutes, "limit": policy.topic_max_minutes},
            _("Split it into two topics or shorten it to %(limit)s min.") % {"limit": policy.topic_max_minutes},
            {"topic": n, "minutes": t.minutes, "limit": policy.topic_max_minutes}, t.id,
        )
    pres = t.presentation_minutes or 0
    if pres > policy.presentation_max_minutes:
        yield Finding(
            "presentation_minutes", _severity(policy, "presentation_minutes"),
            _("The presentation of topic %(n)s “%(title)s” is %(minutes)s min; the limit is %(limit)s min.")
            % {"n": n, "title": t.title, "minutes": pres, "limit": policy.presentation_max_minutes},
            _("Shorten the presentation to %(limit)s min and send the details as pre-read material.")
            % {"limit": policy.presentation_max_minutes},
            {"topic": n, "minutes": pres, "limit": policy.presentation_max_minutes}, t.id,
        )
    if t.presenter_id is None:
        yield Finding(
            "presenter_missing", _severity(policy, "presenter_missing"),
            _("Topic %(n)s “%(title)s” has no presenter.") % {"n": n, "title": t.title},
            _("Name the person who presents this topic."), {"topic": n}, t.id,
        )
    elif not invited:
        yield Finding(
            "presenter_not_participant", _severity(policy, "presenter_not_participant"),
            _("%(name)s presents topic %(n)s “%(title)s” but is not invited.")
            % {"name": t.presenter_name or _("The presenter"), "n": n, "title": t.title},
            _("Invite the presenter as a participant, or choose another presenter."), {"topic": n}, t.id,
        )
    if t.kind == DECIDE and not (t.required_outcome or "").strip():
        # Always a warning: the decision can still be taken, it is only less focused.
        yield Finding(
            "required_outcome", WARN,
            _("Decision topic %(n)s “%(title)s” does not say the outcome it must reach.")
            % {"n": n, "title": t.title},
            _("Write the required outcome (必达结论), e.g. “approve the Q3 budget split”."), {"topic": n}, t.id,
        )


def _check_topics(plan, policy, position):
    invited = {p.person_id for p in plan.participants}  # once, not per topic
    for t in plan.topics:
        yield from topic_findings(t, position[t.id], policy, invited=t.presenter_id in invited)


def _check_time(plan, policy):
    return time_findings(sum(t.minutes for t in plan.topics), plan.duration_minutes, policy)


def time_findings(total, length, policy):
    """Findings on the topics' `total` minutes against the meeting's `length`."""
    limit = policy.meeting_max_minutes
    if total > limit:
        yield Finding(
            "meeting_minutes", _severity(policy, "meeting_minutes"),
            _("The topics add up to %(total)s min; a meeting should take at most %(limit)s min.")
            % {"total": total, "limit": limit},
            _("Shorten or move topics to another meeting until they add up to %(limit)s min or less.")
            % {"limit": limit},
            {"minutes": total, "limit": limit},
        )
    if length > limit:
        yield Finding(
            "meeting_length", _severity(policy, "meeting_length"),
            _("The meeting is scheduled for %(length)s min; the limit is %(limit)s min.")
            % {"length": length, "limit": limit},
            _("End the meeting earlier, at most %(limit)s min after the start.") % {"limit": limit},
            {"minutes": length, "limit": limit},
        )
    buffer = length - total
    if buffer < 0:
        yield Finding(
            "buffer", _severity(policy, "buffer"),
            _("The topics need %(total)s min but the meeting is scheduled for %(length)s min.")
            % {"total": total, "length": length},
            _("Lengthen the meeting to %(needed)s min or shorten the topics by %(over)s min.")
            % {"needed": total + policy.buffer_min_minutes, "over": -buffer + policy.buffer_min_minutes},
            {"minutes": total, "scheduled": length, "buffer": buffer, "limit": policy.buffer_min_minutes},
        )
    elif buffer < policy.buffer_min_minutes:
        yield Finding(
            "buffer", _severity(policy, "buffer"),
            _("Only %(buffer)s min are left as buffer; keep at least %(limit)s min.")
            % {"buffer": buffer, "limit": policy.buffer_min_minutes},
            _("Shorten the topics by %(short)s min or lengthen the meeting.")
            % {"short": policy.buffer_min_minutes - buffer},
            {"minutes": total, "scheduled": length, "buffer": buffer, "limit": policy.buffer_min_minutes},
        )


def _check_count(plan, policy):
    return count_findings(len(plan.topics), policy)


def count_findings(count, policy):
    lo, hi = policy.topics_min, policy.topics_max
    if lo <= count <= hi:
        return ()
    message = ngettext(
        "The meeting has %(count)s topic; plan %(min)s to %(max)s.",
        "The meeting has %(count)s topics; plan %(min)s to %(max)s.", count,
    ) % {"count": count, "min": lo, "max": hi}
    fix = _("Add topics or merge this meeting with another one.") if count < lo else \
        _("Move %(extra)s topics to another meeting.") % {"extra": count - hi}
    return (Finding("topic_count", _severity(policy, "topic_count"), message, fix,
                    {"count": count, "min": lo, "max": hi}),)


def _check_roles(plan, policy, position):
    roles = {r for p in plan.participants for r in p.roles}
    return role_findings(roles, [position[t.id] for t in plan.topics if t.kind == DECIDE], policy)


def role_findings(roles, decide_places, policy):
    """Findings on the roles present among the participants; `decide_places`: the places of decision topics."""
    if HOST not in roles:
        yield Finding("host", _severity(policy, "host"), _("Nobody hosts this meeting."),
                      _("Give one participant the host role."))
    if RECORDER not in roles:
        yield Finding("recorder", _severity(policy, "recorder"), _("Nobody records this meeting."),
                      _("Give one participant the recorder role, e.g. someone from the PMO."))
    if decide_places and DECISION_MAKER not in roles:
        numbers = ", ".join(str(n) for n in decide_places)
        yield Finding(
            "decision_maker", _severity(policy, "decision_maker"),
            _("Topics %(topics)s need a decision but no decision-maker is invited.") % {"topics": numbers},
            _("Invite the person who decides, with the decision-maker role."),
            {"topics": list(decide_places)},
        )


def _check_declined(plan, policy, position):
    """A presenter or a decision-maker who declined leaves a gap; one who sent a substitute is worth a look
    (always a warning: someone attends, but may they present, may they decide?)."""
    declined = {p.person_id: p for p in plan.participants if p.declined}
    replaced = {p.person_id: p for p in plan.participants if p.substitute_name}
    for t in sorted(plan.topics, key=lambda t: position[t.id]):
        yield from presenter_findings(t, position[t.id], policy, declined=declined.get(t.presenter_id),
                                      replaced=replaced.get(t.presenter_id))
    if any(t.kind == DECIDE for t in plan.topics):
        for p in replaced.values():
            yield from decision_maker_findings(p, policy)
        for p in declined.values():
            yield from decision_maker_findings(p, policy)


def presenter_findings(t, n, policy, *, declined=None, replaced=None):
    """The topic at place `n` whose presenter declined (`declined`, their ParticipantIn) or sent a substitute
    (`replaced`)."""
    if replaced is not None:
        p = replaced
        yield Finding(
            "presenter_substituted", WARN,
            _("The presenter of topic %(n)s, %(name)s, has declined; %(substitute)s attends instead.")
            % {"n": n, "name": t.presenter_name or p.name, "substitute": p.substitute_name},
            _("Make sure %(substitute)s has the material and can present it.") % {"substitute": p.substitute_name},
            {"topic": n}, t.id,
        )
    if declined is not None:
        yield Finding(
            "presenter_declined", _severity(policy, "presenter_declined"),
            _("The presenter of topic %(n)s, %(name)s, has declined.")
            % {"n": n, "name": t.presenter_name or declined.name},
            _("Ask them to send a substitute, choose another presenter, or move the topic."),
            {"topic": n}, t.id,
        )


def decision_maker_findings(p, policy):
    """A decision-maker who sent a substitute or declined (when the agenda has a decision topic)."""
    if DECISION_MAKER not in p.roles:
        return
    if p.substitute_name:
        yield Finding(
            "decision_maker_substituted", WARN,
            _("The decision-maker %(name)s has declined; %(substitute)s attends instead.")
            % {"name": p.name, "substitute": p.substitute_name},
            _("Make sure %(substitute)s may decide for them.") % {"substitute": p.substitute_name},
            {"person": p.person_id},
        )
    elif p.declined:
        yield Finding(
            "decision_maker_declined", _severity(policy, "decision_maker_declined"),
            _("The decision-maker %(name)s has declined.") % {"name": p.name},
            _("Ask them to send someone who may decide for them, or move the meeting."),
            {"person": p.person_id},
        )


def _assumed_note(plan):
    if not plan.notice_assumed:
        return ""
    years = ", ".join(str(y) for y in plan.unknown_years) or "?"
    return " " + _("Counted as Monday to Friday: the working calendar does not know %(years)s yet; "
                   "an administrator can import that year.") % {"years": years}


def notice_findings(plan, policy):
    days = plan.notice_workdays
    if days is None:
        return
    shown = max(days, 0)
    need = policy.notice_lead_workdays
    urgent_need = min(policy.notice_lead_urgent_workdays, need)
    if days >= need:
        return
    numbers = {"workdays": shown, "limit": need, "urgent_limit": urgent_need, "assumed": plan.notice_assumed}
    note = _assumed_note(plan)
    if plan.urgent and days >= urgent_need:
        yield Finding(
            "notice_lead", WARN,
            _("The notice goes out %(days)s working days before this urgent meeting; normally %(limit)s.")
            % {"days": shown, "limit": need} + note,
            _("Accepted because the meeting is urgent; send the notice now and say why it is short."), numbers,
        )
        return
    if plan.urgent:
        message = _("The notice goes out %(days)s working days before this urgent meeting; "
                    "even urgent meetings need %(limit)s.") % {"days": shown, "limit": urgent_need}
        fix = _("Move the meeting at least %(limit)s working days after the notice.") % {"limit": urgent_need}
    else:
        message = _("The notice goes out %(days)s working days before the meeting; it should be %(limit)s.") % {
            "days": shown, "limit": need}
        fix = _("Move the meeting at least %(limit)s working days after the notice, "
                "or mark it urgent if it cannot wait.") % {"limit": need}
    yield Finding("notice_lead", _severity(policy, "notice_lead"), message + note, fix, numbers)


def calendar_findings(plan):
    """Working days counted in a year no calendar source knows are estimates: say so, whatever the count."""
    if not plan.notice_assumed:
        return
    years = ", ".join(str(y) for y in plan.unknown_years) or "?"
    yield Finding(
        "calendar_unknown", WARN,
        _("Working days in %(years)s are estimated as Monday to Friday: the working calendar does not know "
          "that year yet.") % {"years": years},
        _("Ask an administrator to import %(years)s into the working calendar.") % {"years": years},
        {"years": list(plan.unknown_years)},
    )


def _check_materials(plan, policy):
    for m in plan.materials:
        yield from material_findings(m, policy)
    yield from preread_lead_findings(plan, policy, has_materials=bool(plan.materials))


def material_findings(m, policy):
    limit = policy.preread_max_pages
    if m.pages and m.pages > limit:
        yield Finding(
            "preread_pages", _severity(policy, "preread_pages"),
            _("The pre-read “%(name)s” has %(pages)s pages; at most %(limit)s are advised.")
            % {"name": m.name, "pages": m.pages, "limit": limit},
            _("Send a summary of at most %(limit)s pages and keep the rest as an appendix.") % {"limit": limit},
            {"pages": m.pages, "limit": limit},
        )


def preread_lead_findings(plan, policy, *, has_materials):
    """Materials reach the participants too late (`plan`'s notice lead time)."""
    days = plan.notice_workdays
    need = policy.preread_lead_workdays
    if has_materials and days is not None and days < need:
        yield Finding(
            "preread_lead", _severity(policy, "preread_lead"),
            _("Pre-read materials reach participants %(days)s working days before the meeting; "
              "they need %(limit)s.") % {"days": max(days, 0), "limit": need} + _assumed_note(plan),
            _("Send the materials now, or move the meeting later."),
            {"workdays": max(days, 0), "limit": need},
        )


def agenda_check(plan: AgendaPlan, policy: PolicyValues) -> AgendaCheck:
    """All findings for one agenda, in the order a host would fix them, plus the suggested topic order."""
    current = tuple(t.id for t in sorted(plan.topics, key=lambda t: (t.order, t.id)))
    position = {pk: i for i, pk in enumerate(current, start=1)}
    findings = [
        *_check_count(plan, policy),
        *_check_topics(plan, policy, position),
        *_check_time(plan, policy),
        *_check_roles(plan, policy, position),
        *_check_declined(plan, policy, position),
        *notice_findings(plan, policy),
        *_check_materials(plan, policy),
        *calendar_findings(plan),
    ]
    # Blocking findings first so the page shows what stops the notice at the top.
    findings.sort(key=lambda f: f.severity != BLOCK)
    return AgendaCheck(
        findings=tuple(findings), current_order=current, suggested_order=suggested_order(plan.topics),
        topic_minutes=sum(t.minutes for t in plan.topics), meeting_minutes=plan.duration_minutes,
        titles=tuple((t.id, t.title) for t in plan.topics), kinds=tuple((t.id, t.kind, t.urgent) for t in plan.topics),
    )


def preread_due(meeting_date, preread_lead_workdays, calendar):
    """The last date to send pre-read materials: N working days before the meeting's date."""
    return calendar.add_working_days(meeting_date, -preread_lead_workdays)
