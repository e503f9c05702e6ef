"""The pure rules: the answers' state machine, the derived request state, deadlines on China's calendar."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closeloop.collab import rules
from closeloop.collab.choices import Answer, ReceiptState, RequestState
from closeloop.workcal.rules import WorkingCalendar

CN = WorkingCalendar("CN")
STATES = st.sampled_from(list(ReceiptState))
ANSWERS = st.sampled_from(list(Answer))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["answer", "reply"]), ANSWERS), max_size=25))
def test_receipts_move_only_along_allowed_transitions(steps):
    """Random answers and replies on three departments: accepted is final, a reply only follows a question,
    and the derived state always agrees with the departments' states."""
    receipts = [ReceiptState.PENDING] * 3
    for index, action, answer in steps:
        current = receipts[index]
        try:
            if action == "answer":
                new = rules.answer_transition(current, answer)
                assert current != ReceiptState.ACCEPTED
                assert new == {"accept": "accepted", "clarify": "clarify", "difficulty": "difficulty"}[answer]
            else:
                new = rules.reply_transition(current)
                assert current == ReceiptState.CLARIFY and new == ReceiptState.PENDING
        except rules.RuleError as error:
            assert (action == "answer" and current == ReceiptState.ACCEPTED) or (
                action == "reply" and current != ReceiptState.CLARIFY)
            assert error.field in ("answer", "reply")
            continue
        receipts[index] = new
        state = rules.derive_state(receipts)
        if all(r == ReceiptState.ACCEPTED for r in receipts):
            assert state == RequestState.ACCEPTED
        elif ReceiptState.DIFFICULTY in receipts:
            assert state == RequestState.DIFFICULTY
        elif ReceiptState.CLARIFY in receipts:
            assert state == RequestState.CLARIFYING
        else:
            assert state == RequestState.AWAITING


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STATES, min_size=1, max_size=6), st.booleans(), st.booleans())
def test_agreed_needs_every_department_to_accept_and_signed_minutes(states, agreed, withdrawn):
    state = rules.derive_state(states, agreed=agreed, withdrawn=withdrawn)
    if withdrawn:
        assert state == RequestState.WITHDRAWN
    elif state == RequestState.AGREED:
        assert agreed and all(s == ReceiptState.ACCEPTED for s in states)


def test_one_department_accepting_and_another_in_difficulty_holds_the_request():
    assert rules.derive_state([ReceiptState.ACCEPTED, ReceiptState.DIFFICULTY]) == RequestState.DIFFICULTY
    assert rules.derive_state([ReceiptState.ACCEPTED, ReceiptState.PENDING]) == RequestState.AWAITING


@pytest.mark.parametrize(("sent", "expected"), [
    (dt.date(2026, 2, 12), dt.date(2026, 2, 13)),  # Thursday → Friday
    (dt.date(2026, 2, 13), dt.date(2026, 2, 14)),  # Friday → the adjusted working Saturday
    (dt.date(2026, 2, 14), dt.date(2026, 2, 24)),  # over the Spring Festival (02-15 … 02-23)
    (dt.date(2026, 9, 30), dt.date(2026, 10, 8)),  # over National Day
    (dt.date(2026, 10, 9), dt.date(2026, 10, 10)),  # to the adjusted working Saturday
])
def test_the_answer_is_due_one_working_day_after_sending(sent, expected):
    assert rules.answer_due(CN, sent, 1).date == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 20)), st.integers(0, 5))
def test_the_answer_deadline_is_a_working_day_with_exactly_n_working_days_after_sending(sent, n):
    due = rules.answer_due(CN, sent, n).date
    assert CN.working_days_between(sent, due).count == n
    if n:
        assert CN.is_working_day(due)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 1)), st.integers(1, 4), st.integers(0, 20))
def test_a_question_stops_the_clock_and_the_reply_resumes_it(asked, workdays, wait):
    """The days left when the question was asked are counted again from the reply."""
    due = rules.answer_due(CN, asked, workdays).date
    left = rules.workdays_left(CN, asked, due)
    assert left == workdays
    reply = asked + dt.timedelta(days=wait)
    resumed = rules.resumed_due(CN, reply, left).date
    assert CN.working_days_between(reply, resumed).count == workdays
    assert resumed >= due


def test_a_question_asked_after_the_deadline_still_leaves_one_working_day():
    assert rules.workdays_left(CN, dt.date(2026, 2, 25), dt.date(2026, 2, 14)) == 1
    assert rules.resumed_due(CN, dt.date(2026, 2, 14), 1).date == dt.date(2026, 2, 24)


def test_escalation_waits_the_policys_working_days_after_the_deadline():
    due = dt.date(2026, 2, 14)  # the adjusted working Saturday
    assert not rules.escalation_due(CN, due, dt.date(2026, 2, 14), 1)
    assert not rules.escalation_due(CN, due, dt.date(2026, 2, 20), 1)  # holidays are not working days
    assert rules.escalation_due(CN, due, dt.date(2026, 2, 24), 1)
    assert not rules.escalation_due(CN, due, dt.date(2026, 2, 24), 2)


def test_materials_must_reach_the_receivers_two_working_days_before_the_start():
    sent = dt.date(2026, 2, 13)
    assert rules.materials_check(CN, sent, dt.date(2026, 2, 24), 2, "warn") is None  # Sat 14 + Tue 24
    finding = rules.materials_check(CN, sent, dt.date(2026, 2, 23), 2, "warn")
    assert finding.field == "wanted_start" and not finding.blocking and "1" in finding.message
    assert rules.materials_check(CN, sent, dt.date(2026, 2, 23), 2, "block").blocking
    assert rules.materials_check(CN, sent, dt.date(2026, 2, 12), 2, "warn").blocking


def test_a_difficulty_says_what_is_missing_and_proposes_a_date_or_resources():
    today = dt.date(2026, 2, 13)
    with pytest.raises(rules.RuleError) as error:
        rules.difficulty_check([], dt.date(2026, 3, 1), "", "", today)
    assert error.value.field == "missing"
    with pytest.raises(rules.RuleError) as error:
        rules.difficulty_check(["people"], None, " ", "", today)
    assert error.value.field == "proposed_date"
    rules.difficulty_check(["budget"], None, "2 名促销员", "", today)


def test_a_late_answer_warns_or_needs_a_reason():
    due, today = dt.date(2026, 2, 14), dt.date(2026, 2, 24)
    assert rules.late_answer_check(due, dt.date(2026, 2, 14), "", "block") is None
    assert not rules.late_answer_check(due, today, "", "warn").blocking
    assert rules.late_answer_check(due, today, "", "block").blocking
    assert not rules.late_answer_check(due, today, "节假日", "block").blocking
