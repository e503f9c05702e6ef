"""The agenda check's rules on plain data: each finding appears when broken and disappears when fixed."""

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import translation

from closeloop.meetings.rules import (
    AgendaPlan,
    MaterialIn,
    ParticipantIn,
    PolicyValues,
    TopicIn,
    agenda_check,
    suggested_order,
)

START = dt.datetime(2026, 6, 15, 14, 0, tzinfo=dt.UTC)
POLICY = PolicyValues()
ALL_WARN = replace(POLICY, roles_mode="warn")
ALL_BLOCK = PolicyValues(**{f: "block" for f in (
    "notice_lead_mode", "preread_mode", "topics_mode", "topic_minutes_mode", "meeting_minutes_mode",
    "buffer_mode", "roles_mode")})


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def topic(pk, order=None, **kw):
    defaults = {"title": f"议题{pk}", "minutes": 20, "kind": "discuss", "presenter_id": 1}
    defaults.update(kw)
    return TopicIn(id=pk, order=order if order is not None else pk, **defaults)


def good_plan(**changes):
    plan = AgendaPlan(
        start=START, end=START + dt.timedelta(minutes=90), urgent=False,
        topics=(topic(1), topic(2), topic(3, kind="decide", required_outcome="确认分工")),
        participants=(ParticipantIn(1, ("host",)), ParticipantIn(2, ("recorder",)),
                      ParticipantIn(3, ("decision_maker",))),
        notice_workdays=5,
    )
    return replace(plan, **changes)


def by_rule(check, rule):
    return [f for f in check.findings if f.rule == rule]


def test_a_well_planned_agenda_has_no_findings():
    check = agenda_check(good_plan(), POLICY)
    assert check.findings == ()
    assert check.ok and not check.blocking


def test_it_flags_a_topic_over_its_limit_with_numbers_and_fix():
    plan = good_plan(topics=(topic(1), topic(2, title="预算", minutes=40), topic(3)))
    [f] = by_rule(agenda_check(plan, POLICY), "topic_minutes")
    assert f.message == "Topic 2 “预算” is 40 min; the limit is 30 min."
    assert "30 min" in f.fix and "Split" in f.fix
    assert f.numbers == {"topic": 2, "minutes": 40, "limit": 30}
    assert f.topic_id == 2 and f.severity == "warn"


def test_a_topic_at_its_limit_is_fine():
    plan = good_plan(topics=(topic(1, minutes=30), topic(2, minutes=20), topic(3, minutes=20)))
    assert by_rule(agenda_check(plan, POLICY), "topic_minutes") == []


def test_the_topic_limit_comes_from_the_policy():
    plan = good_plan(topics=(topic(1, minutes=25), topic(2), topic(3)))
    assert by_rule(agenda_check(plan, replace(POLICY, topic_max_minutes=20)), "topic_minutes")
    assert not by_rule(agenda_check(plan, POLICY), "topic_minutes")


def test_it_flags_a_long_presentation():
    plan = good_plan(topics=(topic(1, presentation_minutes=15), topic(2), topic(3)))
    [f] = by_rule(agenda_check(plan, POLICY), "presentation_minutes")
    assert f.numbers == {"topic": 1, "minutes": 15, "limit": 10}
    fixed = good_plan(topics=(topic(1, presentation_minutes=10), topic(2), topic(3)))
    assert not by_rule(agenda_check(fixed, POLICY), "presentation_minutes")


def test_it_flags_topics_adding_up_over_the_meeting_limit():
    topics = tuple(topic(i, minutes=25) for i in range(1, 5))  # 100 min
    plan = good_plan(topics=topics, end=START + dt.timedelta(minutes=120))
    check = agenda_check(plan, POLICY)
    [f] = by_rule(check, "meeting_minutes")
    assert f.numbers == {"minutes": 100, "limit": 90}
    [length] = by_rule(check, "meeting_length")
    assert length.numbers == {"minutes": 120, "limit": 90}
    assert not by_rule(agenda_check(good_plan(), POLICY), "meeting_minutes")


def test_it_asks_for_a_buffer():
    plan = good_plan(topics=(topic(1, minutes=30), topic(2, minutes=25), topic(3, minutes=30)))  # 85 of 90
    [f] = by_rule(agenda_check(plan, POLICY), "buffer")
    assert f.numbers["buffer"] == 5 and f.numbers["limit"] == 10
    assert "Only 5 min" in f.message and "by 5 min" in f.fix
    roomy = good_plan(topics=(topic(1, minutes=30), topic(2, minutes=20), topic(3, minutes=30)))  # 80 of 90
    assert not by_rule(agenda_check(roomy, POLICY), "buffer")


def test_it_says_when_the_topics_do_not_fit_the_scheduled_time():
    plan = good_plan(end=START + dt.timedelta(minutes=45))
    [f] = by_rule(agenda_check(plan, POLICY), "buffer")
    assert f.message == "The topics need 60 min but the meeting is scheduled for 45 min."
    assert f.numbers["buffer"] == -15
    assert "70 min" in f.fix


@pytest.mark.parametrize("count, found", [(2, True), (3, False), (5, False), (6, True)])
def test_it_wants_three_to_five_topics(count, found):
    topics = tuple(topic(i, minutes=10) for i in range(1, count + 1))
    plan = good_plan(topics=topics, end=START + dt.timedelta(minutes=90))
    findings = by_rule(agenda_check(plan, POLICY), "topic_count")
    assert bool(findings) is found
    if found:
        assert findings[0].numbers == {"count": count, "min": 3, "max": 5}


def test_it_blocks_without_host_or_recorder_by_default():
    plan = good_plan(participants=(ParticipantIn(3, ("decision_maker",)), ParticipantIn(1, ("presenter",))))
    check = agenda_check(plan, POLICY)
    assert {f.rule for f in check.findings if f.blocking} == {"host", "recorder"}
    assert check.blocking


def test_roles_warn_instead_of_block_when_the_policy_says_so():
    plan = good_plan(participants=(ParticipantIn(1, ()), ParticipantIn(3, ("decision_maker",))))
    check = agenda_check(plan, ALL_WARN)
    assert {"host", "recorder"} <= check.rules()
    assert not check.blocking


def test_a_decision_topic_needs_a_decision_maker():
    plan = good_plan(participants=(ParticipantIn(1, ("host",)), ParticipantIn(2, ("recorder",))))
    [f] = by_rule(agenda_check(plan, POLICY), "decision_maker")
    assert f.numbers == {"topics": [3]} and f.severity == "block"
    no_decision = replace(plan, topics=(topic(1), topic(2), topic(3)))
    assert not by_rule(agenda_check(no_decision, POLICY), "decision_maker")


def test_it_flags_a_topic_without_presenter_and_a_presenter_not_invited():
    plan = good_plan(topics=(topic(1, presenter_id=None), topic(2, presenter_id=99, presenter_name="孙七"), topic(3)))
    check = agenda_check(plan, ALL_WARN)
    [missing] = by_rule(check, "presenter_missing")
    [outside] = by_rule(check, "presenter_not_participant")
    assert missing.topic_id == 1 and outside.topic_id == 2
    assert "孙七" in outside.message
    assert not by_rule(agenda_check(good_plan(), POLICY), "presenter_missing")


def test_a_decision_without_required_outcome_only_warns_even_when_everything_blocks():
    plan = good_plan(topics=(topic(1), topic(2), topic(3, kind="decide", required_outcome="  ")))
    [f] = by_rule(agenda_check(plan, ALL_BLOCK), "required_outcome")
    assert f.severity == "warn"
    assert "必达结论" in f.fix


def test_a_late_notice_warns_or_blocks_per_policy():
    plan = good_plan(notice_workdays=2)
    [warn] = by_rule(agenda_check(plan, POLICY), "notice_lead")
    assert warn.severity == "warn"
    assert warn.numbers["workdays"] == 2 and warn.numbers["limit"] == 3
    [block] = by_rule(agenda_check(plan, ALL_BLOCK), "notice_lead")
    assert block.severity == "block"
    assert not by_rule(agenda_check(good_plan(notice_workdays=3), ALL_BLOCK), "notice_lead")


def test_an_urgent_meeting_accepts_a_short_notice_with_a_warning():
    policy = replace(ALL_BLOCK, notice_lead_urgent_workdays=1)
    for days in (1, 2):
        [f] = by_rule(agenda_check(good_plan(urgent=True, notice_workdays=days), policy), "notice_lead")
        assert f.severity == "warn", days
        assert "urgent" in f.message
    [f] = by_rule(agenda_check(good_plan(urgent=True, notice_workdays=0), policy), "notice_lead")
    assert f.severity == "block"
    [f] = by_rule(agenda_check(good_plan(urgent=False, notice_workdays=2), policy), "notice_lead")
    assert f.severity == "block"


def test_an_assumed_count_says_which_year_is_unknown():
    plan = good_plan(notice_workdays=1, notice_assumed=True, unknown_years=(2027,))
    [f] = by_rule(agenda_check(plan, POLICY), "notice_lead")
    assert "2027" in f.message and "Monday to Friday" in f.message
    assert f.numbers["assumed"] is True
    [known] = by_rule(agenda_check(good_plan(notice_workdays=1), POLICY), "notice_lead")
    assert "Monday to Friday" not in known.message


def test_pre_read_materials_over_the_page_limit_and_sent_late():
    plan = good_plan(materials=(MaterialIn("方案.pdf", 12), MaterialIn("数据.xlsx", None)), notice_workdays=0,
                     urgent=True)
    check = agenda_check(plan, POLICY)
    [pages] = by_rule(check, "preread_pages")
    assert pages.numbers == {"pages": 12, "limit": 5} and "方案.pdf" in pages.message
    [lead] = by_rule(check, "preread_lead")
    assert lead.numbers == {"workdays": 0, "limit": 1}
    fine = good_plan(materials=(MaterialIn("方案.pdf", 5),), notice_workdays=3)
    assert not {"preread_pages", "preread_lead"} & agenda_check(fine, POLICY).rules()


def test_blocking_findings_come_first():
    plan = good_plan(notice_workdays=1, participants=(ParticipantIn(1, ("recorder",)),
                                                      ParticipantIn(3, ("decision_maker",))))
    check = agenda_check(plan, POLICY)
    severities = [f.severity for f in check.findings]
    assert severities == sorted(severities, key=lambda s: s != "block")
    assert severities[0] == "block" and "warn" in severities


def test_the_suggested_order_puts_urgent_then_information_first_and_keeps_the_rest_s_order():
    topics = (topic(10, order=1), topic(11, order=2, kind="decide"), topic(12, order=3, kind="inform"),
              topic(13, order=4, urgent=True), topic(14, order=5, kind="decide"))
    assert suggested_order(topics) == (13, 12, 10, 11, 14)
    check = agenda_check(good_plan(topics=topics, end=START + dt.timedelta(minutes=120)), ALL_WARN)
    assert check.current_order == (10, 11, 12, 13, 14)
    assert check.order_changed
    with translation.override("en"):
        rows = [(t.id, t.was, t.now, t.moved, t.reason.split(":")[0]) for t in check.suggested_topics()]
        reasons = check.as_dict()["order_reasons"]
    assert rows == [(13, 4, 1, True, "Urgent"), (12, 3, 2, True, "Information"),
                    (10, 1, 3, True, "Discussion or decision"), (11, 2, 4, True, "Discussion or decision"),
                    (14, 5, 5, False, "Discussion or decision")]
    assert [r["topic_id"] for r in reasons] == [13, 12, 10, 11, 14]
    assert reasons[1]["reason"].startswith("Information: early")


def test_a_decision_is_never_suggested_before_the_discussion_that_prepares_it():
    # The budget request is explained, then approved: moving the approval first would make no sense.
    topics = (topic(1, kind="discuss"), topic(2, kind="decide"))
    assert suggested_order(topics) == (1, 2)
    assert not agenda_check(good_plan(topics=topics), POLICY).order_changed


def test_an_agenda_already_in_the_suggested_order_is_left_alone():
    topics = (topic(1, kind="inform"), topic(2), topic(3, kind="decide"))
    check = agenda_check(good_plan(topics=topics), POLICY)
    assert check.suggested_order == check.current_order == (1, 2, 3)
    assert not check.order_changed


def test_the_order_follows_the_order_field_not_the_tuple():
    topics = (topic(1, order=3), topic(2, order=1), topic(3, order=2))
    check = agenda_check(good_plan(topics=topics), POLICY)
    assert check.current_order == (2, 3, 1)
    plan = good_plan(topics=(topic(1, order=2, minutes=40), topic(2, order=1), topic(3, order=3)))
    [f] = by_rule(agenda_check(plan, POLICY), "topic_minutes")
    assert f.numbers["topic"] == 2


def test_policy_values_copy_a_policy_like_object():
    class Row:
        topic_max_minutes = 15
        roles_mode = "warn"
        unrelated = 1

    values = PolicyValues.from_object(Row())
    assert values.topic_max_minutes == 15 and values.roles_mode == "warn"
    assert values.meeting_max_minutes == 90


def test_the_check_serialises_to_plain_json_types():
    import json

    data = agenda_check(good_plan(notice_workdays=0), POLICY).as_dict()
    assert json.loads(json.dumps(data))["findings"][0]["rule"] == "notice_lead"


def test_a_meeting_in_a_year_the_calendar_does_not_know_is_flagged_even_with_enough_notice():
    plan = good_plan(notice_workdays=5, notice_assumed=True, unknown_years=(2027,))
    [f] = by_rule(agenda_check(plan, POLICY), "calendar_unknown")
    assert f.severity == "warn" and "2027" in f.message and "estimated" in f.message
    assert f.numbers == {"years": [2027]}
    assert not by_rule(agenda_check(good_plan(), POLICY), "calendar_unknown")
