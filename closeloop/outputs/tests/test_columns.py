"""Every output's columns are the seed's (003 §一, in the issue's words), in Chinese and in English."""

import pytest
from django.utils import translation

from closeloop.outputs import rules
from closeloop.outputs.choices import OutputKind
from closeloop.outputs.selectors import output_of

pytestmark = pytest.mark.django_db

SEED = {
    "problem_analysis": ("问题整改清单", {
        "rectification": ["序号", "问题", "根本原因", "整改措施", "责任人", "完成时间", "验证标准", "状态"]}),
    "kickoff": ("分工与里程碑", {
        "division": ["序号", "部门", "职责与任务", "负责人", "交付物", "里程碑", "完成时间", "状态"],
        "milestones": ["序号", "里程碑", "交付物", "负责人", "完成时间", "状态"]}),
    "resource_review": ("资源分配确认表", {
        "comparison": ["序号", "优先级", "需求部门", "需求", "需求价值", "资源占用", "分配决定", "承接部门",
                       "部门确认"],
        "plans": ["序号", "部门", "行动事项", "负责人", "完成时间", "状态"]}),
    "retrospective": ("下阶段行动计划", {
        "plan": ["序号", "下阶段目标", "行动事项", "负责人", "部门", "完成时间", "交付物", "状态"],
        "adjustments": ["序号", "调整事项", "行动事项", "负责人", "完成时间", "状态"]}),
}


def labels(view):
    return {s.key: [label for _key, label in s.columns] for s in view.sections}


@pytest.mark.parametrize("meeting_type", list(SEED))
def test_each_meeting_type_has_its_output_with_the_seeds_columns(scenario, meeting_type):
    meeting = scenario(meeting_type)
    kind = rules.kind_for(meeting_type)
    with translation.override("zh-hans"):
        view = output_of(meeting, kind)
        assert view.title == SEED[meeting_type][0]
        assert labels(view) == SEED[meeting_type][1]
        assert [label for _k, label in view.decisions.columns] == ["序号", "决议", "决策人"]


def test_decision_meetings_and_weekly_syncs_have_the_minutes_only():
    assert rules.kind_for("decision") is None and rules.kind_for("weekly_sync") is None
    assert set(rules.KIND_OF_TYPE.values()) == set(OutputKind)


def test_the_rectification_rows_are_the_items_with_their_columns(rectification, meeting):
    with translation.override("zh-hans"):
        [section] = output_of(meeting, "rectification").sections
    rows = {r["item"].task: dict(r["values"]) for r in section.rows}
    assert rows["提交成本报告"] == {
        "no": "1", "problem": "客户投诉激增", "root_cause": "产品功能与宣传不符", "corrective_action": "提交成本报告",
        "responsible": "王销售", "due": "2026-06-19", "verification": "投诉量下降50%", "status": "未开始"}
    assert rows["优化落地页引导"]["root_cause"] == "落地页引导不清晰" and rows["优化落地页引导"]["no"] == "2"


def test_in_english_the_labels_follow(rectification, meeting):
    with translation.override("en"):
        view = output_of(meeting, "rectification")
    assert view.title == "Rectification list"
    assert labels(view)["rectification"] == ["No.", "Problem", "Root cause", "Corrective action", "Responsible",
                                             "Due date", "Verification standard", "Status"]
    assert dict(view.sections[0].rows[0]["values"])["status"] == "Not started"


def test_the_work_plan_lists_milestones_by_date_and_the_division_by_department(scenario, items, columns, meeting):
    scenario("kickoff")
    columns(items["page"], milestone="M2 新版落地页上线")
    with translation.override("zh-hans"):
        division, milestones = output_of(meeting, "work-plan").sections
    assert [dict(r["values"])["department"] for r in division.rows] == ["市场部", "销售部"]
    assert [dict(r["values"])["milestone"] for r in milestones.rows] == ["M2 新版落地页上线"]


def test_the_next_phase_plan_shows_goals_and_only_the_adjusted_items_under_adjustments(scenario, items, columns,
                                                                                       meeting):
    scenario("retrospective")
    columns(items["cost"], goal="Q3 转化率达到 5%", adjustment="生产线方案改为分两期")
    with translation.override("zh-hans"):
        plan, adjustments = output_of(meeting, "next-phase-plan").sections
    assert [dict(r["values"])["goal"] for r in plan.rows] == ["Q3 转化率达到 5%", ""]
    assert [dict(r["values"])["adjustment"] for r in adjustments.rows] == ["生产线方案改为分两期"]


def test_requests_are_compared_highest_priority_first(scenario, items, columns, meeting, cast):
    scenario("resource_review")
    sales = cast["departments"]["sales"]
    columns(items["cost"], need="客服需求", priority=2, requested_by=sales.pk, value="降低投诉", resources="1人×2周",
            allocation="6月下旬投入1人")
    columns(items["page"], need="销售需求", priority=1, value="提升转化", resources="2人×3周", allocation="立即投入2人")
    with translation.override("zh-hans"):
        comparison, plans = output_of(meeting, "resource-allocation").sections
    cells = [dict(r["values"]) for r in comparison.rows]
    assert [c["need"] for c in cells] == ["销售需求", "客服需求"]
    assert cells[1]["requested_by"] == "销售部" and cells[1]["receiving"] == "销售部"
    assert cells[0]["confirmation"] == "待确认"
    assert [dict(r["values"])["department"] for r in plans.rows] == ["市场部", "销售部"]


def test_summary_says_live_until_all_closed():
    assert rules.summary(["done", "in_progress"]) == {"total": 2, "closed": 1, "open": 1, "all_closed": False}
    assert rules.summary(["done", "cancelled"])["all_closed"]
    assert not rules.summary([])["all_closed"]
