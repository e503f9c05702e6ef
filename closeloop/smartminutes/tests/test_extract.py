"""Kind, owner, task and vagueness of single notes (sentences written for these tests, not the shared dev set)."""

import datetime as dt

import pytest

from closeloop.smartminutes.rules import DueContext, extract, extract_notes, normalize, split_sentences
from closeloop.smartminutes.rules.owner import is_name
from closeloop.workcal.rules import WorkingCalendar

CONTEXT = DueContext(dt.datetime(2026, 9, 29, 10), WorkingCalendar("CN"))
D = dt.date

ACTIONS = [
    # text, owner, task, due
    ("请孙悦在10月9日前提交三季度销售复盘报告。", "孙悦", "提交三季度销售复盘报告", D(2026, 10, 9)),
    ("由欧阳娜娜负责,3个工作日内完成供应商比价表。", "欧阳娜娜", "完成供应商比价表", D(2026, 10, 9)),
    ("王总要求销售部明天把客户名单发给大家。", "销售部", "把客户名单发给大家", D(2026, 9, 30)),
    ("一致同意由韩梅梅牵头筹备年会，12月底前提交方案。", "韩梅梅", "筹备年会", D(2026, 12, 31)),
    ("会议决定由财务部在10月10日前完成预算调整。", "财务部", "完成预算调整", D(2026, 10, 10)),
    ("经讨论确定，人事部2个工作日内发布值班表。", "人事部", "发布值班表", D(2026, 10, 8)),
    ("请各部门负责人本周五前反馈人员需求。", "各部门负责人", "反馈人员需求", D(2026, 10, 2)),
    ("@陈晓明 周四前把测试用例评审完", "陈晓明", "把测试用例评审完", D(2026, 10, 1)),
    ("马丽：明天下班前把样品寄给客户。", "马丽", "把样品寄给客户", D(2026, 9, 30)),
    ("下周五前把培训课件发到群里，这件事杜鹃负责。", "杜鹃", "把培训课件发到群里", D(2026, 10, 9)),
    ("ＩＴ部　两周内完成机房巡检。", "IT部", "完成机房巡检", D(2026, 10, 13)),
    ("Linda will circulate the minutes within 2 working days.", "Linda", "circulate the minutes", D(2026, 10, 8)),
    ("物流部 to confirm the shipping schedule by Oct 12.", "物流部", "confirm the shipping schedule",
     D(2026, 10, 12)),
    ("Action: Priya to book the venue by Sept 30.", "Priya", "book the venue", D(2026, 9, 30)),
    ("Kevin and Amy to prepare the board deck by Friday.", "Kevin", "prepare the board deck", D(2026, 10, 2)),
    ("The marketing team will launch the campaign next Friday.", "marketing team", "launch the campaign",
     D(2026, 10, 9)),
    ("10月9日前各部门提交预算。", "各部门", "提交预算", D(2026, 10, 9)),
    ("明天上午十点前张伟把合同发给法务。", "张伟", "把合同发给法务", D(2026, 9, 30)),
    ("后续由运营部跟进用户反馈,两周内给出改进方案。", "运营部", "跟进用户反馈", D(2026, 10, 13)),
]


@pytest.mark.parametrize(("text", "owner", "task", "due"), ACTIONS)
def test_an_action_gives_owner_task_and_due(text, owner, task, due):
    result = extract(text, CONTEXT)
    assert (result.kind, result.owner, result.task, result.due) == ("action", owner, task, due)
    assert result.vague is False


@pytest.mark.parametrize("text", [
    "会议决定国庆期间客服热线正常开放。", "会议批准了市场部的预算追加申请。", "最终确定采用供应商A的方案。",
    "经讨论，由刘备担任项目负责人。", "We agreed to postpone the launch to November.",
    "The board approved the new pricing model.", "It was decided that remote work stays at two days a week.",
    "一致通过：年会定于12月20日举行。", "会议明确：所有报销单须附发票原件。", "新系统上线时间定在6月1日。",
])
def test_a_decision_assigns_nobody(text):
    result = extract(text, CONTEXT)
    assert (result.kind, result.owner, result.task, result.due) == ("decision", None, None, None)


@pytest.mark.parametrize("text", [
    "黄海涛提到竞品已经在华东降价。", "大家认为目前的方案风险较大。", "郑爽汇报了上月的渠道数据。",
    "供应商交付延期的问题暂无结论。", "Sarah mentioned the vendor is late again.", "谁来负责年会?",
    "上周已完成门店巡检。", "销售部不同意市场部的预算方案。", "", "。。。", "   ", "陈总强调，所有合同必须经法务审核。",
    "关于是否外包客服，暂不做决定。",
])
def test_talk_questions_and_past_work_are_none(text):
    assert extract(text, CONTEXT).kind == "none"


@pytest.mark.parametrize(("text", "words"), [
    ("运营部要尽快改善用户留存。", {"尽快"}),
    ("客户成功部下周五前再研究一下续约策略。", {"一下"}),
    ("Maria will look into the refund backlog by Friday.", {"look into"}),
    ("市场部月底前加强渠道管理。", {"加强"}),
])
def test_vague_wording_is_named(text, words):
    result = extract(text, CONTEXT)
    assert result.kind == "action" and result.vague and words <= set(result.vague_words)
    assert "vague" in result.flags


def test_an_action_without_owner_or_date_is_vague_and_says_why():
    no_owner = extract("需要有人在本周四前确认会议室。", CONTEXT)
    assert (no_owner.kind, no_owner.owner, no_owner.vague) == ("action", None, True)
    assert "owner_missing" in no_owner.flags
    no_date = extract("薛峰负责提交数据中台建设方案。", CONTEXT)
    assert no_date.vague and "due_missing" in no_date.flags


def test_a_deliverable_named_with_a_vague_word_is_not_vague():
    result = extract("张敏负责在10月9日前完成渠道优化方案。", CONTEXT)
    assert result.vague is False and result.vague_words == ()


def test_the_organisations_own_vague_words_count():
    result = extract("张敏10月9日前酌情提交方案。", CONTEXT, vague_words=["酌情"])
    assert result.vague and "酌情" in result.vague_words


def test_an_assignment_without_a_date_is_an_action_even_under_decision_wording():
    result = extract("会议同意由财务部统一采购办公设备。", CONTEXT)
    assert (result.kind, result.owner, result.due, result.vague) == ("action", "财务部", None, True)


def test_the_task_is_read_from_the_owners_clause_after_a_decision():
    result = extract("会议批准追加研发预算50万元，由财务部下周一前完成拨付。", CONTEXT)
    assert (result.kind, result.owner, result.task, result.due) == ("action", "财务部", "完成拨付", D(2026, 10, 5))


def test_please_without_a_name_is_an_action_without_owner():
    result = extract("Please ensure everyone completes the security training.", CONTEXT)
    assert (result.kind, result.owner, result.vague) == ("action", None, True)


def test_a_name_with_a_rare_surname_owns_what_it_is_responsible_for():
    assert extract("禤晓明负责下周三前提交报价单。", CONTEXT).owner == "禤晓明"
    assert extract("背景：公司今年扩张很快。", CONTEXT).kind == "none"


def test_those_attending_are_an_owner():
    assert extract("请各位与会人员会后填写满意度问卷。", CONTEXT).owner == "各位与会人员"


def test_a_recurring_weekday_is_not_a_due_date():
    result = extract("客服部门每周一提交周报。", CONTEXT)
    assert (result.kind, result.owner, result.due) == ("action", "客服部门", None)


def test_a_second_owner_is_kept_and_flagged():
    result = extract("产品部和设计部共同完成改版方案，下下周三前提交。", CONTEXT)
    assert (result.owner, result.co_owners, result.due) == ("产品部", ("设计部",), D(2026, 10, 14))
    assert "second_owner" in result.flags


def test_notes_split_into_sentences_each_read_alone():
    results = extract_notes("会议决定Q3预算维持不变。请李娜下周三前把方案发给大家！\n张伟认为可以", CONTEXT)
    assert [r.kind for r in results] == ["decision", "action", "none"]
    assert split_sentences("a。b\n\nc？") == ["a。", "b", "c？"]


def test_full_width_text_reads_like_half_width():
    assert normalize("ＰＭＯ　在５／８前，提交") == "PMO 在5/8前,提交"


@pytest.mark.parametrize(("name", "expected"), [
    ("张伟", True), ("欧阳娜娜", True), ("王经理", True), ("人力资源部", True), ("测试负责人", True), ("Kevin", True),
    ("PMO", True), ("IT部", True), ("法务", True), ("会议", False), ("我们", False), ("We agreed", False),
    ("新版本推迟到", False), ("The team", False),
])
def test_what_reads_as_a_name(name, expected):
    assert is_name(name) is expected


@pytest.mark.parametrize(("task", "thing"), [
    ("提交渠道报告", "渠道报告"), ("把会议纪要发给大家", "会议纪要"), ("完成竞品价格调研报告", "竞品价格调研报告"),
    ("提交测试报告(含缺陷清单)", "测试报告(含缺陷清单)"),
    ("send the updated pricing sheet to Sales", "the updated pricing sheet"),
    ("加强渠道管理", None), ("look into the churn numbers", None), ("跟进一下客户回款情况", None), (None, None),
])
def test_the_deliverable_is_the_thing_the_task_hands_over(task, thing):
    from closeloop.smartminutes.rules.deliverable import deliverable_of

    assert deliverable_of(task) == thing
