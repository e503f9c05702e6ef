"""Completing a request, the retrospective's deadline and meeting, the prefilled facts, the report and its
improvement items (services, on the database)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.actions.models import ActionItem, ChangeRequest
from closeloop.conftest import SHANGHAI
from closeloop.meetings.choices import MeetingType
from closeloop.notify.models import OutboxMessage
from closeloop.org.choices import RuleMode
from closeloop.org.selectors import policy_for
from closeloop.retro import services
from closeloop.retro.choices import QUESTIONS, RetroState
from closeloop.retro.facts import retrospective_facts
from closeloop.retro.models import Improvement

from .conftest import moment

pytestmark = pytest.mark.django_db


def _plan(retro, parties, day=dt.date(2026, 3, 27)):
    return services.retrospective_plan_meeting(actor=parties["host"], retrospective=retro, data={
        "start": dt.datetime(day.year, day.month, day.day, 14, tzinfo=SHANGHAI),
        "end": dt.datetime(day.year, day.month, day.day, 15, tzinfo=SHANGHAI), "place": "301会议室"})


def _assess(retro, parties):
    retro.refresh_from_db()
    goals = [{"goal": g.goal, "result": "reached", "evidence": "手册经销售部确认"} for g in retro.goals.all()]
    goals[-1].update(result="partly", reason="铺货晚两天")
    return services.retrospective_update(actor=parties["host"], retrospective=retro, version=retro.version, data={
        "goals": goals, "went_well": "需求说明清楚，答复及时", "stuck": "促销员到岗晚", "next_time": "提前锁定人手"})


def test_completion_is_refused_while_an_item_is_open(items, accepted, parties):
    with pytest.raises(ValidationError) as error:
        services.request_complete(actor=parties["host"], request=accepted, now=moment(2026, 3, 23))
    assert "2" in str(error.value.message_dict["request"])


def test_only_the_initiator_side_completes(done, accepted, parties):
    with pytest.raises(PermissionDenied):
        services.request_complete(actor=parties["head"], request=accepted, now=moment(2026, 3, 23))


def test_completion_starts_the_five_working_day_deadline_and_tells_both_sides(completed, parties):
    assert completed.due == dt.date(2026, 3, 30) and completed.state == RetroState.AWAITING
    assert [g.goal for g in completed.goals.all()] == ["明确各部门职责分工、铺货时间节点、培训资料交付标准"]
    told = set(OutboxMessage.objects.filter(kind="notice.retro_completed").values_list("recipient__username",
                                                                                         flat=True))
    assert told == {"host", "market_head", "head", "product_head"}


def test_completion_across_the_spring_festival_counts_the_adjusted_saturday(done, accepted, parties):
    retro = services.request_complete(actor=parties["host"], request=accepted, now=moment(2026, 2, 13, 16))
    assert retro.due == dt.date(2026, 2, 27)


def test_the_meeting_is_planned_with_both_sides_and_the_three_questions(completed, parties):
    meeting, warnings = _plan(completed, parties)
    assert warnings == []
    assert meeting.type == MeetingType.RETROSPECTIVE
    topics = list(meeting.topics.order_by("order"))
    assert [t.title for t in topics] == [str(question) for question, _outcome in QUESTIONS]
    assert all(t.kind == "discuss" and t.required_outcome for t in topics)
    invited = set(meeting.participants.values_list("person__username", flat=True))
    assert {"host", "market_head", "head", "product_head"} <= invited
    completed.refresh_from_db()
    assert completed.state == RetroState.PLANNED and completed.meeting == meeting
    assert meeting.collab_links.filter(request=completed.request).exists()


def test_a_meeting_after_the_deadline_warns_or_is_refused_by_policy(completed, parties):
    policy = policy_for(completed.request.organisation)
    policy.retrospective_mode = RuleMode.BLOCK
    policy.save()
    with pytest.raises(ValidationError) as error:
        _plan(completed, parties, day=dt.date(2026, 3, 31))
    assert "start" in error.value.message_dict
    policy.retrospective_mode = RuleMode.WARN
    policy.save()
    _meeting, warnings = _plan(completed, parties, day=dt.date(2026, 3, 31))
    assert warnings and "2026-03-30" in warnings[0]


def test_the_facts_are_prefilled_from_the_data(completed, done, parties):
    ChangeRequest.objects.create(item=done["product"], kind="date", requested_by=parties["product_head"],
                                 reason="等待设计稿", old_due=dt.date(2026, 3, 18), new_due=dt.date(2026, 3, 20),
                                 state="accepted")
    facts = retrospective_facts(completed.request)
    by_task = {row["task"]: row for row in facts["items"]}
    sales = by_task["重点渠道铺货"]
    assert sales["original_due"] == "2026-03-10" and sales["done_on"] == "2026-03-12"
    assert sales["late_workdays"] == 2 and sales["delays"][0]["reason"] == "促销员到岗晚两天"
    assert by_task["提供产品卖点手册"]["late_workdays"] == 0
    assert facts["summary"] == {"items": 2, "done": 2, "cancelled": 0, "on_time": 1, "late": 1, "delays": 1,
                                "changes": 1, "early_warnings": 0, "late_warnings": 0}
    assert facts["changes"][0]["reason"] == "等待设计稿"
    answers = {row["department"]: row for row in facts["answers"]}
    assert answers["销售部"]["workdays"] == 0 and not answers["销售部"]["late"]
    assert answers["产品部"]["late"] and answers["产品部"]["workdays"] == 2  # Sat 02-14 and Tue 02-24
    assert [m["meeting"] for m in facts["minutes"]] == ["2026年Q3新品上市营销活动协作"]


def test_the_report_cannot_go_before_the_meeting_is_held_and_assessed(completed, parties):
    with pytest.raises(ValidationError) as error:
        services.retrospective_send(actor=parties["host"], retrospective=completed, now=moment(2026, 3, 27, 16))
    assert "meeting" in error.value.message_dict
    _plan(completed, parties)
    with pytest.raises(ValidationError) as error:
        services.retrospective_send(actor=parties["host"], retrospective=completed, now=moment(2026, 3, 27, 10))
    assert "meeting" in error.value.message_dict  # planned for 14:00, not held yet
    with pytest.raises(ValidationError) as error:
        services.retrospective_send(actor=parties["host"], retrospective=completed, now=moment(2026, 3, 27, 16))
    assert "goals" in error.value.message_dict


def test_a_stale_save_is_refused(completed, parties):
    from closeloop.lib.errors import Conflict

    with pytest.raises(Conflict):
        services.retrospective_update(actor=parties["host"], retrospective=completed, version=completed.version - 1,
                                      data={"went_well": "x"})


def test_sending_makes_the_measures_improvement_items_and_tells_the_readers(completed, parties):
    _plan(completed, parties)
    _assess(completed, parties)
    for measure, owner, due in (("需求发起时同步人力计划", parties["market_head"], dt.date(2026, 4, 10)),
                                ("铺货排期提前两周确认", parties["head"], dt.date(2026, 4, 17))):
        services.improvement_add(actor=parties["host"], retrospective=completed, data={
            "measure": measure, "owner": owner, "due": due, "deliverable": "更新协作流程说明"},
            now=moment(2026, 3, 27, 16))
    retro = services.retrospective_send(actor=parties["host"], retrospective=completed, now=moment(2026, 3, 27, 16))
    assert retro.state == RetroState.SENT and retro.facts["summary"]["items"] == 2
    items = ActionItem.objects.filter(improvement__retrospective=retro).order_by("due")
    assert [(i.task, i.owner.username, str(i.due)) for i in items] == [
        ("需求发起时同步人力计划", "market_head", "2026-04-10"), ("铺货排期提前两周确认", "head", "2026-04-17")]
    assert all(i.meeting_id == retro.meeting_id and i.created_by == parties["host"] for i in items)
    assert parties["host"] in items[1].collaborators.all()  # led by the initiator
    readers = {r.person.username: r.as_head_of for r in retro.readers.select_related("person", "as_head_of")}
    assert set(readers) == {"market_head", "head", "product_head", "admin"}  # heads + management (the PMO)
    assert readers["admin"] is None
    assert OutboxMessage.objects.filter(kind="minutes.retro_report", recipient=parties["product_head"],
                                        subject__contains="retrospective report").exists()
    reader = services.report_acknowledge(actor=parties["head"], retrospective=retro)
    assert reader.acknowledged_at is not None
    with pytest.raises(PermissionDenied):
        services.report_acknowledge(actor=parties["member"], retrospective=retro)
    with pytest.raises(ValidationError):
        services.improvement_add(actor=parties["host"], retrospective=retro, data={
            "measure": "late", "owner": parties["head"], "due": dt.date(2026, 5, 1), "deliverable": "x"})


def test_a_measure_needs_its_owner_due_date_and_deliverable(completed, parties):
    with pytest.raises(ValidationError) as error:
        services.improvement_add(actor=parties["host"], retrospective=completed, data={
            "measure": "提前锁定人手", "owner": parties["head"], "due": dt.date(2026, 4, 1), "deliverable": " "},
            now=moment(2026, 3, 27, 16))
    assert "deliverable" in error.value.message_dict
    assert not Improvement.objects.exists()
