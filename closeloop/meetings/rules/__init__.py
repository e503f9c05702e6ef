"""The agenda check: pure rules on plain data (no ORM), so they are fast and tested without a database.

`agenda_check(plan, policy)` returns findings, each naming its rule, the numbers behind it and the fix.
Every limit comes from the organisation's policy; each rule warns or blocks as the policy says.

    data (policy values, inputs, findings) → topics, people, notice (the findings of each area) and order (the
    suggested topic order) → check (all of them for one agenda)
"""

from .check import AgendaCheck, agenda_check
from .data import (
    BLOCK,
    DECIDE,
    DECISION_MAKER,
    HOST,
    INFORM,
    RECORDER,
    RULE_MODES,
    WARN,
    AgendaPlan,
    Finding,
    MaterialIn,
    ParticipantIn,
    PolicyValues,
    TopicIn,
    severity_for,
)
from .notice import calendar_findings, material_findings, notice_findings, preread_due, preread_lead_findings
from .order import SuggestedTopic, order_reason, suggested_order
from .people import decision_maker_findings, presenter_findings, role_findings
from .topics import count_findings, time_findings, topic_findings

__all__ = [
    "BLOCK", "DECIDE", "DECISION_MAKER", "HOST", "INFORM", "RECORDER", "RULE_MODES", "WARN", "AgendaCheck",
    "AgendaPlan", "Finding", "MaterialIn", "ParticipantIn", "PolicyValues", "SuggestedTopic", "TopicIn",
    "agenda_check", "calendar_findings", "count_findings", "decision_maker_findings", "material_findings",
    "notice_findings", "order_reason", "preread_due", "preread_lead_findings", "presenter_findings",
    "role_findings", "severity_for", "suggested_order", "time_findings", "topic_findings",
]
