"""Pure rules for requests: the answers' state machine, the derived request state, deadlines on a calendar.

No database: callers pass states, dates and a WorkingCalendar. Errors are RuleError with a field and a
message the service turns into a ValidationError.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import Answer, ReceiptState, RequestState


class RuleError(Exception):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


# The receiving department's answer moves its receipt; an accepted request is final for that department.
ANSWER_TARGET = {
    Answer.ACCEPT: ReceiptState.ACCEPTED,
    Answer.CLARIFY: ReceiptState.CLARIFY,
    Answer.DIFFICULTY: ReceiptState.DIFFICULTY,
}
ANSWERABLE = {ReceiptState.PENDING, ReceiptState.CLARIFY, ReceiptState.DIFFICULTY}


def answer_transition(current, answer):
    """The receipt's state after `answer`; an accepted request cannot be answered again."""
    if answer not in ANSWER_TARGET:
        raise RuleError("answer", _("Answer with accept, clarify or difficulty."))
    if current not in ANSWERABLE:
        raise RuleError("answer", _("This department has already accepted the request."))
    return ANSWER_TARGET[answer]


def reply_transition(current):
    """The initiator answers a department's question: the department is asked to answer again."""
    if current != ReceiptState.CLARIFY:
        raise RuleError("reply", _("This department has not asked a question."))
    return ReceiptState.PENDING


def derive_state(receipt_states, *, agreed=False, withdrawn=False):
    """The request's state from its departments': one difficulty or question holds the whole request."""
    states = list(receipt_states)
    if withdrawn:
        return RequestState.WITHDRAWN
    if states and all(s == ReceiptState.ACCEPTED for s in states):
        return RequestState.AGREED if agreed else RequestState.ACCEPTED
    if ReceiptState.DIFFICULTY in states:
        return RequestState.DIFFICULTY
    if ReceiptState.CLARIFY in states:
        return RequestState.CLARIFYING
    return RequestState.AWAITING


def answer_due(calendar, sent_day, workdays):
    """The working day by whose end the answer is due (a WorkdayResult: .date, .assumed)."""
    return calendar.add_working_days(sent_day, max(int(workdays), 0))


def workdays_left(calendar, today, due):
    """Working days left to answer when the clock stops (at least 1: a reply always leaves a day to answer)."""
    if due is None:
        return 1
    return max(calendar.working_days_between(today, due).count, 1)


def resumed_due(calendar, reply_day, left):
    """The new answer deadline once the initiator replied: the days left, counted from the reply."""
    return calendar.add_working_days(reply_day, max(int(left or 1), 1))


def is_overdue(due, today):
    return due is not None and today > due


def escalation_due(calendar, due, today, after_workdays):
    """True when `today` is at least `after_workdays` working days past the answer deadline."""
    if not is_overdue(due, today):
        return False
    return calendar.working_days_between(due, today).count >= after_workdays


@dataclass(frozen=True)
class Finding:
    """A policy rule that is not met: `blocking` refuses the save, else it is a warning."""

    field: str
    message: str
    blocking: bool


def materials_check(calendar, sent_day, wanted_start, lead_workdays, mode):
    """Seed 002: background materials reach the receivers ≥ N working days before the wanted start."""
    if wanted_start is None:
        return None
    if wanted_start < sent_day:
        return Finding("wanted_start", _("The wanted start is in the past."), True)
    count = calendar.working_days_between(sent_day, wanted_start)
    if count.count >= lead_workdays:
        return None
    message = _("The materials reach the receivers %(n)s working day(s) before the wanted start; "
                "the policy asks for at least %(min)s.") % {"n": count.count, "min": lead_workdays}
    return Finding("wanted_start", message, mode == "block")


def late_answer_check(due, today, note, mode):
    """Answering after the deadline: a warning, or (block) a reason is required in the note."""
    if not is_overdue(due, today):
        return None
    if mode == "block" and not (note or "").strip():
        return Finding("note", _("The answer is late; say why in the note."), True)
    return Finding("note", _("This answer is after the deadline of %(due)s.") % {"due": due.isoformat()}, False)


def difficulty_check(missing, proposed_date, resource_request, note, today):
    """A difficulty says what is missing, and proposes a new date or asks for resources."""
    if not missing:
        raise RuleError("missing", _("Say what is missing: people, time, permissions or budget."))
    if proposed_date is None and not (resource_request or "").strip():
        raise RuleError("proposed_date", _("Propose a new date or describe the resources you need."))
    if proposed_date is not None and proposed_date < today:
        raise RuleError("proposed_date", _("The proposed date is in the past."))


def local_day(now, zone):
    """The calendar date of `now` in the organisation's time zone."""
    return now.astimezone(zone).date() if isinstance(now, dt.datetime) else now


# The memo's life: draft --submit--> signing --(last signature)--> signed; signing --return--> draft.
# A signed version never changes; an amendment starts a new draft version.
MEMO_TRANSITIONS = {
    ("draft", "save"): "draft",
    ("draft", "submit"): "signing",
    ("signing", "sign"): "signing",
    ("signing", "return"): "draft",
    ("signed", "amend"): "signed",
}


def memo_transition(state, action):
    """The memo's state after `action`, or RuleError naming why it is not possible now."""
    target = MEMO_TRANSITIONS.get((state, action))
    if target is None:
        if state == "signed":
            raise RuleError("state", _("This memo is signed and can no longer change; amend it as a new version."))
        if action == "amend":
            raise RuleError("state", _("Only a signed memo can be amended."))
        if state == "signing":
            raise RuleError("state", _("This memo is out for signature; a head must return it before it changes."))
        raise RuleError("state", _("This memo is a draft; submit it for signature first."))
    return target


def all_signed(signed_flags):
    flags = list(signed_flags)
    return bool(flags) and all(flags)


def approval_chain(amount, finance_threshold, management_threshold, *, requester_is_head=False):
    """The approval steps for a budget: the department head (unless the head asks), the finance head above
    the first amount, management above the second."""
    chain = [] if requester_is_head else ["head"]
    if amount > finance_threshold:
        chain.append("finance")
    if amount > management_threshold:
        chain.append("management")
    return chain


def resource_transition(state, step, chain, action):
    """(state, step) after `action` ("approve" / "return" / "resubmit") on a chain of roles."""
    if action == "resubmit":
        if state != "returned":
            raise RuleError("state", _("Only a returned request can be submitted again."))
        return ("approved", 0) if not chain else ("in_approval", 0)
    if state != "in_approval" or step >= len(chain):
        raise RuleError("state", _("This request is not waiting for an approval."))
    if action == "return":
        return "returned", step
    if action == "approve":
        return ("approved", step + 1) if step + 1 >= len(chain) else ("in_approval", step + 1)
    raise RuleError("action", _("Approve or return."))
