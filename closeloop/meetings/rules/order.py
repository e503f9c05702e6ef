"""The suggested topic order and the reason for each topic's place."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .data import INFORM


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
