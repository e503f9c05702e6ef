"""The agenda check's plain data: the policy values it reads, its inputs, its findings and each rule's mode."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

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


def severity_for(policy, rule):
    """WARN or BLOCK: the mode the policy gives `rule`."""
    return getattr(policy, RULE_MODES[rule], WARN)
