"""The loop check, the timer and the sign-in hints as pure rules: each open point appears and disappears."""

import datetime as dt

from closeloop.record.rules import (
    LoopDecision,
    LoopDisagreement,
    LoopItem,
    LoopTopic,
    elapsed_seconds,
    followup_due,
    loop_check,
    remaining_seconds,
    suggested_presence,
)

DECIDE = LoopTopic(1, "部门分工与资源协调", "decide")
DISCUSS = LoopTopic(2, "Q3推广目标及策略", "discuss")


def rules_of(**parts):
    data = {"topics": [DECIDE, DISCUSS], "decisions": [], "disagreements": [], "items": []}
    data.update(parts)
    return [p.rule for p in loop_check(**data)]


def test_a_decide_topic_without_a_decision_is_open_until_decided_or_explained():
    assert rules_of() == ["decide_topic_without_decision"]
    assert rules_of(topics=[LoopTopic(1, "分工", "decide", no_decision_reason="等财务数据")], ) == []
    assert rules_of(decisions=[LoopDecision(10, 1, "市场部牵头", no_action_needed=True)]) == []


def test_a_discuss_topic_needs_no_decision():
    assert rules_of(topics=[DISCUSS]) == []


def test_a_decision_needs_an_action_item_or_no_action_needed():
    decision = LoopDecision(10, 1, "市场部牵头推广")
    assert rules_of(decisions=[decision]) == ["decision_without_action"]
    item = LoopItem(20, 1, "提交推广方案", decision_id=10, owner_id=5, owner_confirmed=True)
    assert rules_of(decisions=[decision], items=[item]) == []
    assert rules_of(decisions=[LoopDecision(10, 1, "市场部牵头推广", no_action_needed=True)]) == []


def test_a_cancelled_item_does_not_carry_out_a_decision():
    decision = LoopDecision(10, 1, "市场部牵头推广")
    item = LoopItem(20, 1, "提交推广方案", decision_id=10, owner_confirmed=True, status="cancelled")
    assert rules_of(decisions=[decision], items=[item]) == ["decision_without_action"]


def test_an_item_in_the_topic_but_for_another_decision_does_not_count():
    decisions = [LoopDecision(10, 1, "A"), LoopDecision(11, 1, "B")]
    item = LoopItem(20, 1, "task", decision_id=10, owner_confirmed=True)
    points = loop_check(topics=[DECIDE], decisions=decisions, disagreements=[], items=[item])
    assert [(p.rule, p.object_id) for p in points] == [("decision_without_action", 11)]


def test_a_disagreement_needs_a_path():
    dis = LoopDisagreement(30, 2, "预算分配比例")
    assert rules_of(topics=[DISCUSS], disagreements=[dis]) == ["disagreement_without_path"]
    resolved = LoopDisagreement(30, 2, "预算分配比例", path="resolved")
    assert rules_of(topics=[DISCUSS], disagreements=[resolved]) == []


def test_an_escalated_disagreement_needs_whom_and_a_date():
    dis = LoopDisagreement(30, 2, "预算分配比例", path="escalate")
    assert rules_of(topics=[DISCUSS], disagreements=[dis]) == [
        "disagreement_escalate_to_missing", "disagreement_due_missing"]
    done = LoopDisagreement(30, 2, "预算分配比例", path="escalate", escalate_to_id=7, due=dt.date(2026, 6, 17))
    assert rules_of(topics=[DISCUSS], disagreements=[done]) == []


def test_a_data_disagreement_needs_an_owner_the_data_and_a_date():
    dis = LoopDisagreement(30, 2, "预算分配比例", path="data")
    assert rules_of(topics=[DISCUSS], disagreements=[dis]) == [
        "disagreement_owner_missing", "disagreement_data_missing", "disagreement_due_missing"]
    done = LoopDisagreement(30, 2, "预算分配比例", path="data", owner_id=7, data_needed="Q2各渠道ROI",
                            due=dt.date(2026, 6, 16))
    assert rules_of(topics=[DISCUSS], disagreements=[done]) == []


def test_an_item_not_confirmed_by_its_owner_is_open():
    item = LoopItem(20, 2, "提交推广方案", owner_id=5)
    points = loop_check(topics=[DISCUSS], decisions=[], disagreements=[], items=[item])
    assert [(p.rule, p.object_type, p.field) for p in points] == [
        ("item_not_confirmed", "action_item", "owner_confirmed")]
    assert "提交推广方案" in points[0].message
    confirmed = LoopItem(20, 2, "提交推广方案", owner_id=5, owner_confirmed=True)
    assert loop_check(topics=[DISCUSS], decisions=[], disagreements=[], items=[confirmed]) == []


def test_open_points_follow_the_agenda_and_name_where_they_are():
    topics = [DISCUSS, DECIDE]  # discuss first on this agenda
    points = loop_check(topics=topics, decisions=[], items=[],
                        disagreements=[LoopDisagreement(30, 2, "预算")])
    assert [(p.topic_id, p.rule) for p in points] == [
        (2, "disagreement_without_path"), (1, "decide_topic_without_decision")]
    assert points[0].as_dict()["object_id"] == 30


def test_the_timer_adds_the_running_part_and_goes_negative_over_budget():
    start = dt.datetime(2026, 6, 15, 14, 0, tzinfo=dt.UTC)
    assert elapsed_seconds(started_at=None, elapsed=90, now=start) == 90
    assert elapsed_seconds(started_at=start, elapsed=90, now=start + dt.timedelta(minutes=2)) == 210
    assert remaining_seconds(budget_minutes=20, elapsed=210) == 20 * 60 - 210
    assert remaining_seconds(budget_minutes=1, elapsed=75) == -15


def test_the_answer_to_the_notice_suggests_the_sign_in():
    assert suggested_presence("accepted") == ("present", "", None)
    assert suggested_presence("pending") == ("present", "", None)
    assert suggested_presence("declined", "出差") == ("absent", "出差", None)
    assert suggested_presence("substitute", "出差", 9) == ("substitute", "出差", 9)
    assert suggested_presence("substitute", "出差", None) == ("absent", "出差", None)


def test_the_follow_up_date_is_hours_after_the_meeting_on_a_working_day():
    end = dt.datetime(2026, 6, 19, 15, 30)  # a Friday
    assert followup_due(meeting_end=end, hours=24) == dt.date(2026, 6, 20)
    weekdays = lambda day: day.weekday() < 5  # noqa: E731
    assert followup_due(meeting_end=end, hours=24, is_working_day=weekdays) == dt.date(2026, 6, 22)
    assert followup_due(meeting_end=end, hours=4, is_working_day=weekdays) == dt.date(2026, 6, 19)
