"""`agenda_check(plan, policy)`: every area's findings for one agenda, with the suggested topic order."""

from __future__ import annotations

from dataclasses import dataclass

from .data import BLOCK, DECIDE, AgendaPlan, Finding, PolicyValues
from .notice import calendar_findings, material_findings, notice_findings, preread_lead_findings
from .order import SuggestedTopic, order_reason, suggested_order
from .people import decision_maker_findings, presenter_findings, role_findings
from .topics import count_findings, time_findings, topic_findings


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


def _check_topics(plan, policy, position):
    invited = {p.person_id for p in plan.participants}  # once, not per topic
    for t in plan.topics:
        yield from topic_findings(t, position[t.id], policy, invited=t.presenter_id in invited)


def _check_time(plan, policy):
    return time_findings(sum(t.minutes for t in plan.topics), plan.duration_minutes, policy)


def _check_count(plan, policy):
    return count_findings(len(plan.topics), policy)


def _check_roles(plan, policy, position):
    roles = {r for p in plan.participants for r in p.roles}
    return role_findings(roles, [position[t.id] for t in plan.topics if t.kind == DECIDE], policy)


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


def _check_materials(plan, policy):
    for m in plan.materials:
        yield from material_findings(m, policy)
    yield from preread_lead_findings(plan, policy, has_materials=bool(plan.materials))


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
