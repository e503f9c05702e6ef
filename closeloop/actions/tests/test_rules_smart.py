"""The SMART check as pure rules: no database, both languages, every finding, policy modes."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from closeloop.actions.rules import (
    BLOCK,
    RULE_MODES,
    WARN,
    ItemDraft,
    SmartContext,
    blocking_errors,
    can_transition,
    find_vague_words,
    modes_from_policy,
    next_working_day,
    smart_check,
    vague_words_from_text,
)
from closeloop.org.models import DEFAULT_VAGUE_WORDS
from closeloop.workcal.rules import WorkingCalendar

LANGUAGES = ["zh-hans", "en"]
VAGUE = vague_words_from_text(DEFAULT_VAGUE_WORDS)
CN = WorkingCalendar("CN")
MEETING_DAY = dt.date(2026, 6, 15)  # a Monday
OWNER = 7


def weekdays(day):
    return day.weekday() < 5


def ctx(**kwargs):
    base = {"meeting_date": MEETING_DAY, "vague_words": VAGUE, "is_working_day": CN.is_working_day,
            "present_or_informed_ids": {OWNER, 8}, "modes": {}}
    base.update(kwargs)
    return SmartContext(**base)


def good(**kwargs):
    base = {"task": "提交Q3推广预算明细表", "owner_id": OWNER, "due": dt.date(2026, 6, 18),
            "deliverable": "预算明细表经财务部签字确认"}
    base.update(kwargs)
    return ItemDraft(**base)


def rules(findings):
    return [f.rule for f in findings]


@pytest.fixture(params=LANGUAGES)
def language(request):
    with translation.override(request.param):
        yield request.param


def test_a_specific_item_has_no_findings(language):
    assert smart_check(good(), ctx()) == []


def test_an_english_specific_item_has_no_findings(language):
    draft = good(task="Send the Q3 budget breakdown to Finance", deliverable="Budget sheet signed by Finance")
    assert smart_check(draft, ctx()) == []


@pytest.mark.parametrize("word", ["尽快", "研究一下", "后续讨论", "再看看", "待定"])
def test_it_names_each_chinese_vague_word_in_the_task(language, word):
    findings = smart_check(good(task=f"市场部{word}提交方案"), ctx())
    assert rules(findings) == ["vague"]
    f = findings[0]
    assert f.field == "task" and f.params == {"word": word}
    assert f"“{word}”" in f.message


@pytest.mark.parametrize("text, word", [
    ("Finance to look into the costs", "look into"), ("follow up with sales", "follow up"),
    ("Send the plan ASAP", "ASAP"), ("Owner TBD", "TBD"),
])
def test_it_names_each_english_vague_word_in_the_task(language, text, word):
    findings = smart_check(good(task=text), ctx())
    assert rules(findings) == ["vague"]
    assert findings[0].params["word"] == word
    assert f"“{word}”" in findings[0].message


def test_vague_words_match_whatever_the_case_and_quote_the_policy_spelling(language):
    findings = smart_check(good(task="please LOOK INTO it, asap"), ctx())
    assert [f.params["word"] for f in findings] == ["look into", "ASAP"]


def test_vague_words_match_inside_longer_text_as_substrings(language):
    findings = smart_check(good(task="方案待定稿后发出"), ctx())
    assert [f.params["word"] for f in findings] == ["待定"]


def test_a_vague_deliverable_is_reported_on_the_deliverable_field(language):
    findings = smart_check(good(deliverable="方案再看看"), ctx())
    assert [(f.rule, f.field, f.params["word"]) for f in findings] == [("vague", "deliverable", "再看看")]


def test_the_same_word_in_task_and_deliverable_is_reported_once(language):
    findings = smart_check(good(task="尽快出方案", deliverable="尽快给到"), ctx())
    assert [(f.field, f.params["word"]) for f in findings] == [("task", "尽快")]


def test_several_vague_words_each_get_a_finding_in_order_of_appearance(language):
    findings = smart_check(good(task="再看看, 尽快 follow up"), ctx())
    assert [f.params["word"] for f in findings] == ["再看看", "尽快", "follow up"]


def test_a_word_inside_a_longer_listed_word_is_not_reported_twice():
    assert find_vague_words("我们再看看", ["看看", "再看看"]) == ["再看看"]
    assert find_vague_words("先看看再说", ["看看", "再看看"]) == ["看看"]


def test_the_vague_list_is_the_policys_and_editable(language):
    draft = good(task="研究一下 渠道, 择机推进")
    assert rules(smart_check(draft, ctx(vague_words=["择机"]))) == ["vague"]
    assert smart_check(draft, ctx(vague_words=["择机"]))[0].params["word"] == "择机"
    assert smart_check(draft, ctx(vague_words=[])) == []


def test_the_vague_list_ignores_blank_lines_and_spaces():
    assert vague_words_from_text(" 尽快 \n\n  ASAP\r\n") == ["尽快", "ASAP"]
    assert find_vague_words("anything", ["", "  "]) == []


@pytest.mark.parametrize("field, value, rule", [
    ("owner_id", None, "owner_missing"), ("due", None, "due_missing"),
    ("deliverable", "", "deliverable_missing"), ("deliverable", "   ", "deliverable_missing"),
    ("task", "", "task_missing"),
])
def test_each_missing_part_is_its_own_finding_naming_its_field(language, field, value, rule):
    findings = smart_check(good(**{field: value}), ctx())
    assert rules(findings) == [rule]
    assert findings[0].field == {"owner_id": "owner"}.get(field, field)
    assert findings[0].message


def test_an_empty_draft_lists_every_missing_part(language):
    findings = smart_check(ItemDraft(), ctx())
    assert {(f.rule, f.field) for f in findings} == {
        ("task_missing", "task"), ("owner_missing", "owner"), ("due_missing", "due"),
        ("deliverable_missing", "deliverable")}


def test_a_due_date_before_the_meeting_is_reported(language):
    findings = smart_check(good(due=dt.date(2026, 6, 12)), ctx())  # the Friday before
    assert rules(findings) == ["due_before_meeting"]
    assert findings[0].field == "due"
    assert "2026-06-12" in findings[0].message and "2026-06-15" in findings[0].message


def test_a_due_date_on_the_meeting_day_is_fine(language):
    assert smart_check(good(due=MEETING_DAY), ctx()) == []


def test_a_weekend_due_date_suggests_the_next_working_day(language):
    findings = smart_check(good(due=dt.date(2026, 6, 20)), ctx())  # Saturday
    assert rules(findings) == ["due_not_working_day"]
    assert findings[0].field == "due"
    assert findings[0].params["suggested_due"] == "2026-06-22"
    assert "2026-06-22" in findings[0].message


def test_a_statutory_holiday_suggests_the_first_day_after_it(language):
    # National Day 2026: 10-01 … 10-07 off, 10-10 (Saturday) a working day.
    findings = smart_check(good(due=dt.date(2026, 10, 2)), ctx())
    assert findings[0].params["suggested_due"] == "2026-10-08"


def test_an_adjusted_working_saturday_is_a_fine_due_date(language):
    assert smart_check(good(due=dt.date(2026, 10, 10)), ctx()) == []


def test_the_working_day_rule_uses_the_calendar_it_is_given(language):
    assert smart_check(good(due=dt.date(2026, 10, 2)), ctx(is_working_day=weekdays)) == []


def test_with_no_working_day_in_sight_the_finding_suggests_nothing(language):
    findings = smart_check(good(), ctx(is_working_day=lambda day: False))
    assert findings[0].rule == "due_not_working_day"
    assert findings[0].params["suggested_due"] is None


def test_next_working_day_skips_a_long_holiday():
    assert next_working_day(dt.date(2026, 2, 14), CN.is_working_day) == dt.date(2026, 2, 24)


def test_an_owner_neither_present_nor_informed_is_reported(language):
    findings = smart_check(good(owner_id=99), ctx())
    assert rules(findings) == ["owner_not_present"]
    assert findings[0].field == "owner"


def test_without_a_meeting_the_meeting_rules_are_skipped(language):
    draft = good(owner_id=99, due=dt.date(2020, 1, 6))
    assert smart_check(draft, ctx(meeting_date=None, present_or_informed_ids=None)) == []


def test_without_a_calendar_the_working_day_rule_is_skipped(language):
    assert smart_check(good(due=dt.date(2026, 6, 20)), ctx(is_working_day=None)) == []


def test_findings_warn_unless_the_policy_blocks(language):
    draft = ItemDraft(task="尽快", due=dt.date(2026, 6, 13))
    assert {f.severity for f in smart_check(draft, ctx())} == {WARN}
    modes = {"vague": BLOCK, "owner_missing": BLOCK, "due_before_meeting": BLOCK}
    severities = {f.rule: f.severity for f in smart_check(draft, ctx(modes=modes))}
    assert severities == {"vague": BLOCK, "owner_missing": BLOCK, "deliverable_missing": WARN,
                          "due_before_meeting": BLOCK, "due_not_working_day": WARN}


def test_policy_modes_map_each_rule_to_its_policy_field():
    policy = SimpleNamespace(smart_vague_mode="block", smart_missing_mode="warn", smart_due_mode="block",
                             smart_owner_mode="warn")
    modes = modes_from_policy(policy)
    assert set(modes) == set(RULE_MODES)
    assert modes["vague"] == modes["due_not_working_day"] == modes["due_before_meeting"] == BLOCK
    assert modes["owner_missing"] == modes["owner_not_present"] == WARN


def test_blocking_errors_name_the_fields_of_blocking_findings_only(language):
    findings = smart_check(ItemDraft(task="尽快"), ctx(modes={"vague": BLOCK, "due_missing": BLOCK}))
    errors = blocking_errors(findings)
    assert set(errors) == {"task", "due"}
    assert blocking_errors(findings, {"due"}).keys() == {"due"}


def test_findings_serialise_to_plain_data(language):
    data = smart_check(good(task="ASAP"), ctx())[0].as_dict()
    assert data == {"rule": "vague", "severity": "warn", "message": data["message"], "field": "task",
                    "params": {"word": "ASAP"}}


def test_messages_follow_the_active_language():
    draft = good(owner_id=None)
    with translation.override("en"):
        english = smart_check(draft, ctx())[0].message
    assert "owner" in english.lower()
    with translation.override("zh-hans"):
        assert smart_check(draft, ctx())[0].rule == "owner_missing"


def test_the_check_is_fast_enough_for_every_keystroke():
    import time

    draft = good(task="尽快 " * 200, owner_id=99, due=dt.date(2026, 10, 3))
    started = time.perf_counter()
    for _ in range(200):
        smart_check(draft, ctx())
    assert (time.perf_counter() - started) / 200 < 0.02


@pytest.mark.parametrize("current, target, allowed", [
    ("not_started", "in_progress", True), ("not_started", "done", True), ("not_started", "delayed", True),
    ("not_started", "cancelled", True), ("in_progress", "done", True), ("in_progress", "delayed", True),
    ("in_progress", "not_started", False), ("in_progress", "in_progress", False),
    ("delayed", "delayed", True), ("delayed", "in_progress", True), ("delayed", "not_started", False),
    ("done", "in_progress", False), ("done", "cancelled", False), ("cancelled", "in_progress", False),
    ("cancelled", "done", False), ("not_started", "bogus", False),
])
def test_the_state_machine_allows_only_the_listed_transitions(current, target, allowed):
    assert can_transition(current, target) is allowed
