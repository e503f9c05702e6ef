"""Findings on the people: the roles present, and presenters or decision-makers who declined or sent someone."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .data import DECISION_MAKER, HOST, RECORDER, WARN, Finding, severity_for


def role_findings(roles, decide_places, policy):
    """Findings on the roles present among the participants; `decide_places`: the places of decision topics."""
    if HOST not in roles:
        yield Finding("host", severity_for(policy, "host"), _("Nobody hosts this meeting."),
                      _("Give one participant the host role."))
    if RECORDER not in roles:
        yield Finding("recorder", severity_for(policy, "recorder"), _("Nobody records this meeting."),
                      _("Give one participant the recorder role, e.g. someone from the PMO."))
    if decide_places and DECISION_MAKER not in roles:
        numbers = ", ".join(str(n) for n in decide_places)
        yield Finding(
            "decision_maker", severity_for(policy, "decision_maker"),
            _("Topics %(topics)s need a decision but no decision-maker is invited.") % {"topics": numbers},
            _("Invite the person who decides, with the decision-maker role."),
            {"topics": list(decide_places)},
        )


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
            "presenter_declined", severity_for(policy, "presenter_declined"),
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
            "decision_maker_declined", severity_for(policy, "decision_maker_declined"),
            _("The decision-maker %(name)s has declined.") % {"name": p.name},
            _("Ask them to send someone who may decide for them, or move the meeting."),
            {"person": p.person_id},
        )
