"""The demo's completed request with its retrospective (seed 002 stages 4 and 5), built through the services.

市场部 asked 产品部 for the channel training kit; 产品部 posted its progress (with an early warning), delivered
one item late after a delay, and 市场部 completed the request. The retrospective was held with the three questions,
the 协作复盘报告 was sent to both heads and the PMO, and its two improvement measures became action items: one is
done, one is still open.
"""

from closeloop.actions.models import ActionItem
from closeloop.actions.services.items import action_item_create, action_item_set_status
from closeloop.collab import services as collab
from closeloop.retro import services

SUBJECT = "渠道培训资料协作"
MEASURES = ["需求发起时同步附上人力与排期计划", "培训资料设计稿提前一周冻结"]


def _item(builder, meeting, task, owner, due, done_on):
    item = action_item_create(actor=builder.p["zhang.market"], organisation=builder.org, meeting=meeting, data={
        "task": task, "owner": owner, "due": due, "deliverable": "经市场部验收", "owner_confirmed": False})
    action_item_set_status(actor=owner, item=item, status="done", note="已交付，见共享盘“渠道培训”目录。")
    ActionItem.objects.filter(pk=item.pk).update(closed_at=builder.at(done_on, 17))  # the demo's past
    return item


def build_retrospective(builder):
    """The completed request, its progress, its retrospective and report; returns the retrospective."""
    p, org = builder.p, builder.org
    ActionItem.objects.filter(organisation=org, task__in=MEASURES).delete()  # from an earlier load
    initiator, product = p["zhang.market"], p["li.product"]
    request, _warnings = collab.request_create(
        actor=initiator, receiving_departments=[product.department], now=builder.at(builder.workday(-25), 9), data={
            "subject": SUBJECT, "scenario": "project", "priority": "important", "project": builder.project,
            "goal": "1. 渠道培训资料按期交付\n2. 销售团队完成培训",
            "what": "产品部提供渠道培训手册与培训视频。", "why": "Q3新品上市前渠道需完成培训。",
            "due": builder.workday(-6), "acceptance_standard": "培训手册经市场部验收；培训覆盖全部渠道。"})
    collab.request_answer(actor=product, request=request, department=product.department, answer="accept",
                          note="产品部接收。", now=builder.at(builder.workday(-25), 15))
    kickoff = builder.workday(-23)
    meeting = collab.request_plan_meeting(actor=initiator, request=request, data={
        "type": "kickoff", "title": "渠道培训资料启动会", "start": builder.at(kickoff, 10),
        "end": builder.at(kickoff, 11)})
    _item(builder, meeting, "编写渠道培训手册", product, builder.workday(-12), builder.workday(-12))
    late = _item(builder, meeting, "录制培训视频", p["emma.product"], builder.workday(-9), builder.workday(-7))
    ActionItem.objects.filter(pk=late.pk).update(original_due=builder.workday(-10))
    services.progress_post(actor=product, request=request, now=builder.at(builder.workday(-15), 18), data={
        "percent": 50, "done": "培训手册初稿完成。", "next_steps": "录制培训视频。",
        "risks": "视频设计稿可能延后，影响录制。", "affected_due": builder.workday(-10)})
    services.progress_post(actor=product, request=request, now=builder.at(builder.workday(-7), 18), data={
        "percent": 100, "done": "手册与视频均已交付。"})
    completed_on = builder.workday(-5)
    retro = services.request_complete(actor=initiator, request=request, now=builder.at(completed_on, 10))
    held = builder.workday(-3)
    services.retrospective_plan_meeting(actor=initiator, retrospective=retro, data={
        "start": builder.at(held, 14), "end": builder.at(held, 15), "place": "3楼会议室B"})
    retro.refresh_from_db()
    services.retrospective_update(actor=initiator, retrospective=retro, version=retro.version, data={
        "went_well": "需求说明清楚，产品部当天接收；进度每周同步，风险提前预警。",
        "stuck": "培训视频设计稿延后两天，录制顺延。", "next_time": "设计稿提前冻结；发起需求时附排期。",
        "goals": [{"goal": "渠道培训资料按期交付", "result": "partly", "evidence": "手册按期，视频晚2个工作日",
                   "reason": "视频设计稿延后"},
                  {"goal": "销售团队完成培训", "result": "reached", "evidence": "培训签到表覆盖全部渠道"}]})
    now = builder.at(held, 16)
    owners = [(MEASURES[0], initiator, builder.workday(-1)), (MEASURES[1], product, builder.workday(10))]
    for measure, owner, due in owners:
        services.improvement_add(actor=initiator, retrospective=retro, now=now, data={
            "measure": measure, "owner": owner, "due": due, "deliverable": "更新后的协作流程说明"})
    retro = services.retrospective_send(actor=initiator, retrospective=retro, now=now)
    first = retro.improvements.select_related("item").get(measure=MEASURES[0]).item
    action_item_set_status(actor=initiator, item=first, status="done", note="协作流程说明已更新。")
    services.report_acknowledge(actor=product, retrospective=retro, now=builder.at(builder.workday(-2), 9))
    return retro
