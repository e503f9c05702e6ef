"""Findings on the topics: each topic's minutes, presenter and outcome, the meeting's time and the topic count."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .data import DECIDE, WARN, Finding, severity_for


def topic_findings(t, n, policy, *, invited):
    """The findings of one topic at place `n` of the agenda (`invited`: its presenter is a participant)."""
    if t.minutes > policy.topic_max_minutes:
        yield Finding(
            "topic_minutes", severity_for(policy, "topic_minutes"),
            _("Topic %(n)s “%(title)s” is %(minutes)s min; the limit is %(limit)s min.")
            % {"n": n, "title": t.title, "minutes": t.minutes, "limit": policy.topic_max_minutes},
            _("Split it into two topics or shorten it to %(limit)s min.") % {"limit": policy.topic_max_minutes},
            {"topic": n, "minutes": t.minutes, "limit": policy.topic_max_minutes}, t.id,
        )
    pres = t.presentation_minutes or 0
    if pres > policy.presentation_max_minutes:
        yield Finding(
            "presentation_minutes", severity_for(policy, "presentation_minutes"),
            _("The presentation of topic %(n)s “%(title)s” is %(minutes)s min; the limit is %(limit)s min.")
            % {"n": n, "title": t.title, "minutes": pres, "limit": policy.presentation_max_minutes},
            _("Shorten the presentation to %(limit)s min and send the details as pre-read material.")
            % {"limit": policy.presentation_max_minutes},
            {"topic": n, "minutes": pres, "limit": policy.presentation_max_minutes}, t.id,
        )
    if t.presenter_id is None:
        yield Finding(
            "presenter_missing", severity_for(policy, "presenter_missing"),
            _("Topic %(n)s “%(title)s” has no presenter.") % {"n": n, "title": t.title},
            _("Name the person who presents this topic."), {"topic": n}, t.id,
        )
    elif not invited:
        yield Finding(
            "presenter_not_participant", severity_for(policy, "presenter_not_participant"),
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


def time_findings(total, length, policy):
    """Findings on the topics' `total` minutes against the meeting's `length`."""
    limit = policy.meeting_max_minutes
    if total > limit:
        yield Finding(
            "meeting_minutes", severity_for(policy, "meeting_minutes"),
            _("The topics add up to %(total)s min; a meeting should take at most %(limit)s min.")
            % {"total": total, "limit": limit},
            _("Shorten or move topics to another meeting until they add up to %(limit)s min or less.")
            % {"limit": limit},
            {"minutes": total, "limit": limit},
        )
    if length > limit:
        yield Finding(
            "meeting_length", severity_for(policy, "meeting_length"),
            _("The meeting is scheduled for %(length)s min; the limit is %(limit)s min.")
            % {"length": length, "limit": limit},
            _("End the meeting earlier, at most %(limit)s min after the start.") % {"limit": limit},
            {"minutes": length, "limit": limit},
        )
    buffer = length - total
    if buffer < 0:
        yield Finding(
            "buffer", severity_for(policy, "buffer"),
            _("The topics need %(total)s min but the meeting is scheduled for %(length)s min.")
            % {"total": total, "length": length},
            _("Lengthen the meeting to %(needed)s min or shorten the topics by %(over)s min.")
            % {"needed": total + policy.buffer_min_minutes, "over": -buffer + policy.buffer_min_minutes},
            {"minutes": total, "scheduled": length, "buffer": buffer, "limit": policy.buffer_min_minutes},
        )
    elif buffer < policy.buffer_min_minutes:
        yield Finding(
            "buffer", severity_for(policy, "buffer"),
            _("Only %(buffer)s min are left as buffer; keep at least %(limit)s min.")
            % {"buffer": buffer, "limit": policy.buffer_min_minutes},
            _("Shorten the topics by %(short)s min or lengthen the meeting.")
            % {"short": policy.buffer_min_minutes - buffer},
            {"minutes": total, "scheduled": length, "buffer": buffer, "limit": policy.buffer_min_minutes},
        )


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
    return (Finding("topic_count", severity_for(policy, "topic_count"), message, fix,
                    {"count": count, "min": lo, "max": hi}),)
