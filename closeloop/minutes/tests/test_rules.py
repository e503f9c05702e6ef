"""The minutes' state machine and deadlines as pure rules (no database)."""

import datetime as dt

import pytest
from django.utils import translation

from closeloop.minutes import rules
from closeloop.minutes.choices import MinutesState

NOON = dt.datetime(2026, 6, 16, 12, 0, tzinfo=dt.UTC)


def test_the_states_of_the_rules_are_the_model_states():
    assert {rules.DRAFT, rules.IN_REVIEW, rules.APPROVED, rules.DISTRIBUTED, rules.SIGNED_OFF} == set(
        MinutesState.values)


@pytest.mark.parametrize(("state", "action", "target"), [
    ("draft", "submit", "in_review"),
    ("in_review", "return", "draft"),
    ("in_review", "approve", "approved"),
    ("approved", "distribute", "distributed"),
    ("distributed", "sign_off", "signed_off"),
])
def test_each_allowed_transition_leads_to_its_state(state, action, target):
    assert rules.next_state(state, action) == target


@pytest.mark.parametrize(("state", "action"), [
    ("draft", "approve"), ("draft", "return"), ("draft", "distribute"), ("draft", "sign_off"),
    ("in_review", "submit"), ("in_review", "distribute"),
    ("approved", "approve"), ("approved", "submit"), ("approved", "return"), ("approved", "sign_off"),
    ("distributed", "distribute"), ("distributed", "approve"),
    ("signed_off", "sign_off"), ("signed_off", "return"), ("signed_off", "distribute"),
])
def test_every_other_transition_is_refused_with_a_reason(state, action):
    with pytest.raises(rules.TransitionRefused) as refused:
        rules.next_state(state, action)
    assert refused.value.message


def test_approving_approved_minutes_points_to_a_correction():
    with translation.override("en"), pytest.raises(rules.TransitionRefused, match="correction"):
        rules.next_state("approved", "approve")
    with translation.override("zh-hans"), pytest.raises(rules.TransitionRefused, match="更正"):
        rules.next_state("approved", "approve")


@pytest.mark.parametrize("state", ["approved", "distributed", "signed_off"])
def test_frozen_states_cannot_be_edited(state):
    with pytest.raises(rules.TransitionRefused):
        rules.check_editable(state)


@pytest.mark.parametrize("state", ["draft", "in_review"])
def test_draft_and_review_can_be_edited(state):
    rules.check_editable(state)


def test_only_the_latest_approved_version_can_be_corrected():
    rules.check_correctable("distributed", is_latest=True)
    with pytest.raises(rules.TransitionRefused):
        rules.check_correctable("distributed", is_latest=False)
    with pytest.raises(rules.TransitionRefused):
        rules.check_correctable("draft", is_latest=True)


@pytest.mark.parametrize(("action", "roles", "admin", "allowed"), [
    ("submit", {"recorder"}, False, True),
    ("submit", {"host"}, False, True),
    ("submit", {"executor"}, False, False),
    ("approve", {"recorder"}, False, False),
    ("approve", {"host"}, False, True),
    ("approve", set(), True, True),
    ("return", {"recorder", "presenter"}, False, False),
    ("distribute", {"recorder"}, False, True),
    ("correct", {"cc"}, False, False),
    ("save", set(), False, False),
    ("sign_off", set(), True, False),  # a head's signature, never an administrator's
])
def test_who_may_act(action, roles, admin, allowed):
    assert rules.may(action, roles=roles, is_admin=admin) is allowed


def test_the_draft_is_due_the_policy_hours_after_the_end_and_late_only_while_a_draft():
    due = rules.draft_due(NOON, 24)
    assert due == NOON + dt.timedelta(hours=24)
    assert rules.draft_deadline("draft", due, due).overdue is False
    assert rules.draft_deadline("draft", due, due + dt.timedelta(seconds=1)).overdue is True
    assert rules.draft_deadline("in_review", due, due + dt.timedelta(days=3)).overdue is False


def test_distribution_is_due_hours_after_approval_and_late_only_while_approved():
    late = NOON + dt.timedelta(hours=1, minutes=1)
    assert rules.distribution_deadline("approved", NOON, 1, late) == rules.Deadline(
        NOON + dt.timedelta(hours=1), True)
    assert rules.distribution_deadline("distributed", NOON, 1, late).overdue is False
    assert rules.distribution_deadline("draft", None, 1, late) == rules.Deadline(None, False)


def test_signed_off_needs_every_signature_and_at_least_one():
    assert rules.all_signed([True, True]) is True
    assert rules.all_signed([True, False]) is False
    assert rules.all_signed([]) is False
