"""The demo's collaboration requests (seed 002 stages 1 and 3), built through the collab services.

市场部 asks 销售部 and 产品部 for the Q3推广 launch support: 产品部 accepts, 销售部 reports a difficulty with a
resource request that the finance head approves, then accepts; the request is tied to the 项目Q3推广跨部门协作会
and its memo is signed by the three heads. 产品部's request to 财务部 waits for an answer past its deadline.
"""

from closeloop.collab import services
from closeloop.collab.models import Request
from closeloop.collab.selectors import collab_policy_for
from closeloop.org.models import Department

SUBJECT = "Q3推广上线跨部门支持"
LATE_SUBJECT = "新品定价成本测算支持"


def build_requests(builder, seed_meeting):
    """Both requests; a request kept from an earlier load (its signed memo is permanent) gets the new meeting."""
    p, org = builder.p, builder.org
    policy = collab_policy_for(org)
    policy.finance_department = Department.objects.get(organisation=org, name="财务部")
    policy.save()
    policy.management.set([p["pmo"]])
    kept = Request.objects.filter(organisation=org, subject=SUBJECT).first()
    if kept is not None:
        services.request_link_meeting(actor=p["zhang.market"], request=kept, meeting=seed_meeting)
        return kept, build_late_request(builder)
    return build_story(builder, seed_meeting), build_late_request(builder)


def build_story(builder, seed_meeting):
    p = builder.p
    sales, product = p["wang.sales"].department, p["li.product"].department
    sent_day = builder.workday(-4)
    request, _warnings = services.request_create(actor=p["zhang.market"], receiving_departments=[sales, product],
                                                 now=builder.at(sent_day, 9, 30), data={
        "subject": SUBJECT, "scenario": "project", "priority": "urgent_important", "project": builder.project,
        "background": "为保障新品7月顺利上市，需销售部提前铺货、产品部提供培训资料。",
        "goal": "明确各部门职责分工、铺货时间节点、培训资料交付标准。",
        "what": "销售部：7月1日前完成重点渠道铺货；产品部：提供产品卖点手册并完成销售培训。",
        "why": "Q3推广目标为转化率5%，铺货与培训是上线前提。",
        "due": builder.workday(20), "acceptance_standard": "铺货覆盖前20大渠道；卖点手册经销售部确认。",
        "wanted_start": builder.workday(5),
    })
    services.request_answer(actor=p["li.product"], request=request, department=product, answer="accept",
                            note="产品部可在两周内提供卖点手册初稿。", now=builder.at(sent_day, 15))
    services.request_answer(actor=p["wang.sales"], request=request, department=sales, answer="difficulty",
                            note="现有人手无法覆盖前20大渠道的铺货。", missing=["people", "budget"],
                            resource_request="7月临时促销员2名，预算2万元。", now=builder.at(builder.workday(-3), 10))
    resource = services.resource_request_create(actor=p["wang.sales"], request=request, data={
        "title": "Q3铺货临时促销员", "reason": "铺货覆盖前20大渠道需临时增加人手。",
        "people": [{"role": "临时促销员", "count": 2, "period": "7月"}], "budget_amount": 20000,
        "budget_category": "personnel", "period_start": builder.workday(10), "period_end": builder.workday(30)})
    services.resource_approve(actor=p["qian.finance"], resource_request=resource, reason="在Q3推广预算内。")
    services.request_answer(actor=p["wang.sales"], request=request, department=sales, answer="accept",
                            note="促销员预算已批准，销售部接收。", now=builder.at(builder.workday(-2), 11))
    services.request_link_meeting(actor=p["zhang.market"], request=request, meeting=seed_meeting)
    memo = services.memo_create(actor=p["zhang.market"], request=request)
    memo = services.memo_submit(actor=p["zhang.market"], memo=memo)
    for signature in memo.signatures.select_related("department__head"):
        services.memo_sign(signature=signature, actor=signature.department.head, comment="同意")
    return request


def build_late_request(builder):
    """Sent three working days ago with a one-working-day deadline: the worker reminds, then escalates."""
    p = builder.p
    late, _warnings = services.request_create(
        actor=p["li.product"], receiving_departments=[p["qian.finance"].department],
        now=builder.at(builder.workday(-3), 16), data={
            "subject": LATE_SUBJECT, "scenario": "problem", "priority": "important",
            "background": "Q4新品定价需要成本数据支撑。", "goal": "确定新品定价区间。",
            "what": "财务部提供新品单位成本与毛利测算。", "why": "定价评审会前需完成测算。",
            "due": builder.workday(8), "acceptance_standard": "测算表含三种定价方案的毛利率。"})
    return late
