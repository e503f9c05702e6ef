"""The minutes' state machine and deadlines as pure functions (no ORM), so they are tested without a database.

draft → in_review (submit) → approved (审核通过, approve) or back to draft (return) → distributed → signed_off.
Approved minutes never change again: a correction starts a new draft version.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

DRAFT = "draft"
IN_REVIEW = "in_review"
APPROVED = "approved"
DISTRIBUTED = "distributed"
SIGNED_OFF = "signed_off"

HOST = "host"
RECORDER = "recorder"

SUBMIT = "submit"
RETURN = "return"
APPROVE = "approve"
DISTRIBUTE = "distribute"
SIGN_OFF = "sign_off"
SAVE = "save"
CORRECT = "correct"
CREATE = "create"

# action -> (the state it starts from, the state it leads to); SAVE and CORRECT keep/leave the state.
TRANSITIONS = {
    SUBMIT: (DRAFT, IN_REVIEW),
    RETURN: (IN_REVIEW, DRAFT),
    APPROVE: (IN_REVIEW, APPROVED),
    DISTRIBUTE: (APPROVED, DISTRIBUTED),
    SIGN_OFF: (DISTRIBUTED, SIGNED_OFF),
}
EDITABLE_STATES = frozenset({DRAFT, IN_REVIEW})
FROZEN_STATES = frozenset({APPROVED, DISTRIBUTED, SIGNED_OFF})

# Who may do what, by meeting role; administrators may do all of these. Sign-off is the department head's.
ALLOWED_ROLES = {
    CREATE: {HOST, RECORDER},
    SAVE: {HOST, RECORDER},
    SUBMIT: {HOST, RECORDER},
    RETURN: {HOST},
    APPROVE: {HOST},
    DISTRIBUTE: {HOST, RECORDER},
    CORRECT: {HOST, RECORDER},
}


class TransitionRefused(Exception):
    """The minutes are not in a state that allows this action; `message` says why, for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def may(action, *, roles, is_admin):
    """Whether someone with these meeting roles (or an administrator) may take this action."""
    if is_admin:
        return action in ALLOWED_ROLES
    return bool(ALLOWED_ROLES.get(action, set()) & set(roles))


def next_state(state, action):
    """The state after `action`, or TransitionRefused naming the state the action needs."""
    if action not in TRANSITIONS:
        raise ValueError(action)
    source, target = TRANSITIONS[action]
    if state != source:
        raise TransitionRefused(_refusal(action, state))
    return target


def _refusal(action, state):
    if state in FROZEN_STATES and action in (SUBMIT, RETURN, APPROVE):
        return _("These minutes are already approved; a change needs a correction (a new version).")
    messages = {
        SUBMIT: _("Only a draft can be submitted for review."),
        RETURN: _("Only minutes in review can be sent back to the draft."),
        APPROVE: _("Only minutes in review can be approved."),
        DISTRIBUTE: _("Only approved minutes that have not been distributed yet can be distributed."),
        SIGN_OFF: _("Minutes can be signed off only after they are distributed."),
    }
    return messages[action]


def check_editable(state):
    """Raise TransitionRefused unless the content may still change (draft or in review)."""
    if state not in EDITABLE_STATES:
        raise TransitionRefused(
            _("Approved minutes cannot be changed. Make a correction: it starts a new version.")
        )


def check_correctable(state, *, is_latest):
    """A correction starts from the latest approved version only."""
    if state not in FROZEN_STATES:
        raise TransitionRefused(_("These minutes are not approved yet; edit the draft instead."))
    if not is_latest:
        raise TransitionRefused(_("A newer version exists; correct that one."))


def all_signed(signed_flags):
    """Every required sign-off is in (and there is at least one)."""
    flags = list(signed_flags)
    return bool(flags) and all(flags)


@dataclass(frozen=True)
class Deadline:
    """A deadline and whether it has passed."""

    due_at: dt.datetime | None
    overdue: bool


def draft_due(meeting_end, hours):
    return meeting_end + dt.timedelta(hours=hours)


def draft_deadline(state, due_at, now):
    """The draft is late while it is still a draft after its due time; submitting ends the clock."""
    return Deadline(due_at, bool(due_at) and state == DRAFT and now > due_at)


def distribution_deadline(state, approved_at, hours, now):
    """Distribution is due `hours` after approval; late while still only approved after that."""
    if approved_at is None:
        return Deadline(None, False)
    due_at = approved_at + dt.timedelta(hours=hours)
    return Deadline(due_at, state == APPROVED and now > due_at)


# A head who has not signed off is reminded after this many working days (unless the organisation set its own);
# the PMO hears after twice as many.
SIGNOFF_REMINDER_WORKDAYS = 2


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def document_language(content):
    """The language the minutes are written in: Chinese when their text holds at least as many Chinese characters
    as Latin words (a Chinese name in English minutes does not turn them Chinese), else English."""
    text = " ".join(str(v) for v in (content or {}).values())
    if not text.strip():
        return None
    return "zh-hans" if len(_CJK.findall(text)) >= len(_LATIN_WORD.findall(text)) else "en"
