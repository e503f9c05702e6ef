"""Rules of the live record as pure functions on plain data (no ORM): the loop check, the timer, sign-in hints.

`loop_check(...)` lists the points still open before a meeting may be closed: a decision without an action
item (unless marked "no action needed"), a disagreement without a resolution path, an owner or a date, a
"decide" topic without a decision or a reason why not, and action items their owners have not confirmed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

DECIDE = "decide"
ESCALATE, DATA, RESOLVED = "escalate", "data", "resolved"
CANCELLED = "cancelled"
# A working day is searched this far ahead at most (a long holiday is ~10 days).
_NEXT_WORKDAY_LIMIT = 60


@dataclass(frozen=True)
class LoopTopic:
    id: int
    title: str
    kind: str
    no_decision_reason: str = ""


@dataclass(frozen=True)
class LoopDecision:
    id: int
    topic_id: int
    text: str
    no_action_needed: bool = False


@dataclass(frozen=True)
class LoopDisagreement:
    id: int
    topic_id: int
    subject: str
    path: str = ""
    escalate_to_id: int | None = None
    owner_id: int | None = None
    data_needed: str = ""
    due: dt.date | None = None


@dataclass(frozen=True)
class LoopItem:
    id: int
    topic_id: int | None
    task: str
    decision_id: int | None = None
    owner_id: int | None = None
    owner_confirmed: bool = False
    status: str = "not_started"


@dataclass(frozen=True)
class OpenPoint:
    """One open point: which rule, what to do, and where (topic, object and the field to fill)."""

    rule: str
    message: str
    topic_id: int | None
    object_type: str  # topic, decision, disagreement or action_item
    object_id: int
    field: str = ""

    def as_dict(self):
        return {"rule": self.rule, "message": self.message, "topic_id": self.topic_id,
                "object_type": self.object_type, "object_id": self.object_id, "field": self.field}


def _short(text, limit=40):
    """The text cut to `limit` characters with an ellipsis (as Truncator.chars, at a fraction of its cost: the
    check names every open point of a meeting that may have a thousand)."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _decision_points(decisions, items):
    covered = {i.decision_id for i in items if i.decision_id is not None and i.status != CANCELLED}
    for d in decisions:
        if not d.no_action_needed and d.id not in covered:
            yield OpenPoint(
                "decision_without_action",
                _("Decision “%(text)s” has no action item: add one, or mark it “no action needed”.")
                % {"text": _short(d.text)}, d.topic_id, "decision", d.id, "no_action_needed")


def _disagreement_points(disagreements):
    for d in disagreements:
        def point(rule, message, field_name, d=d):
            return OpenPoint(rule, message % {"subject": _short(d.subject)}, d.topic_id, "disagreement", d.id,
                             field_name)

        if d.path == RESOLVED:
            continue
        if d.path not in (ESCALATE, DATA):
            yield point("disagreement_without_path",
                        _("Disagreement “%(subject)s” has no resolution path: escalate it, or say who "
                          "brings which data by when."), "path")
            continue
        if d.path == ESCALATE and d.escalate_to_id is None:
            yield point("disagreement_escalate_to_missing",
                        _("Disagreement “%(subject)s” is escalated, but to whom?"), "escalate_to")
        if d.path == DATA and d.owner_id is None:
            yield point("disagreement_owner_missing",
                        _("Disagreement “%(subject)s”: say who brings the data."), "owner")
        if d.path == DATA and not (d.data_needed or "").strip():
            yield point("disagreement_data_missing",
                        _("Disagreement “%(subject)s”: say which data is needed."), "data_needed")
        if d.due is None:
            yield point("disagreement_due_missing",
                        _("Disagreement “%(subject)s” has no date: by when is it resolved?"), "due")


def _topic_points(topics, decisions):
    decided = {d.topic_id for d in decisions}
    for t in topics:
        if t.kind == DECIDE and t.id not in decided and not (t.no_decision_reason or "").strip():
            yield OpenPoint(
                "decide_topic_without_decision",
                _("Topic “%(title)s” must reach a decision: record it, or say why there is none.")
                % {"title": _short(t.title)}, t.id, "topic", t.id, "no_decision_reason")


def _item_points(items):
    for i in items:
        if i.status != CANCELLED and not i.owner_confirmed:
            yield OpenPoint(
                "item_not_confirmed",
                _("Action item “%(task)s” is not confirmed by its owner.") % {"task": _short(i.task)},
                i.topic_id, "action_item", i.id, "owner_confirmed")


def loop_check(*, topics, decisions, disagreements, items) -> list[OpenPoint]:
    """Every open point of the record, in agenda order (topics in the order given, then their objects)."""
    points = [
        *_topic_points(topics, decisions), *_decision_points(decisions, items),
        *_disagreement_points(disagreements), *_item_points(items),
    ]
    order = {t.id: n for n, t in enumerate(topics)}
    return sorted(points, key=lambda p: order.get(p.topic_id, len(order)))


# Timer -------------------------------------------------------------------------------------------

def elapsed_seconds(*, started_at, elapsed, now) -> int:
    """Seconds spent on a topic: the stopped runs plus the current one."""
    running = int((now - started_at).total_seconds()) if started_at is not None else 0
    return max(0, elapsed + max(0, running))


def remaining_seconds(*, budget_minutes, elapsed) -> int:
    """Negative once over budget."""
    return (budget_minutes or 0) * 60 - elapsed


# Sign-in and follow-up -----------------------------------------------------------------------------

def suggested_presence(response, reason="", substitute_id=None):
    """(presence, reason, substitute id) suggested by the answer to the notice."""
    if response == "declined":
        return "absent", reason or "", None
    if response == "substitute":
        return ("substitute", reason or "", substitute_id) if substitute_id else ("absent", reason or "", None)
    return "present", "", None


def followup_due(*, meeting_end: dt.datetime, hours: int, is_working_day=None) -> dt.date:
    """The default date for a disagreement's data: `hours` after the meeting, moved to a working day."""
    day = (meeting_end + dt.timedelta(hours=hours or 0)).date()
    if is_working_day is None or is_working_day(day):
        return day
    for step in range(1, _NEXT_WORKDAY_LIMIT + 1):
        candidate = day + dt.timedelta(days=step)
        if is_working_day(candidate):
            return candidate
    return day


# Opening the record ---------------------------------------------------------------------------------

# The recorder may set up (sign people in at the door) this long before the start; earlier, the meeting is not
# being held: recording it days ahead would close a loop that never happened.
RECORD_OPENS_BEFORE = dt.timedelta(minutes=15)


def record_opens_at(start: dt.datetime) -> dt.datetime:
    return start - RECORD_OPENS_BEFORE


def record_may_open(*, start: dt.datetime, now: dt.datetime) -> bool:
    return now >= record_opens_at(start)
