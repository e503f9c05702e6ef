"""The held problem analysis's 问题整改清单: each corrective action with its problem, root cause and verification
standard (filled in on the day, before the minutes are approved), then a few days of follow-through that
leave its rows in mixed states: one done, one in progress, one delayed with a new date, two not started.

Built through the services, like the recorder and the owners would.
"""

from django.utils import timezone

from closeloop.actions.models import ActionItem
from closeloop.actions.services.items import action_item_create, action_item_set_status
from closeloop.outputs.services import item_columns_save

COLUMNS = {
    "重新设计落地页引导流程": ("落地页转化率3%，低于目标5%", "引导步骤过多，首屏没有说明产品核心功能",
                      "A/B测试中新版转化率≥5%，样本不少于2万访客"),
    "提交成本报告": ("追加预算缺少投入产出依据", "推广预算按经验分配，未按渠道测算投入产出",
               "成本报告经财务部审核，各渠道ROI可核对"),
    "建立产品与市场信息同步机制": ("客户投诉推广信息与产品功能不符", "产品迭代后未同步市场部，宣传口径滞后",
                        "新版本发布前3个工作日市场部收到功能说明，月度投诉下降50%"),
    "为分歧“是否追加线上投放预算”提供数据": ("追加投放预算存在分歧", "缺少按渠道的投入产出测算数据",
                                 "测算表提交，市场部与财务部均确认"),
    "修复落地页表单提交报错": ("部分访客无法提交试用申请", "表单在部分手机浏览器上校验出错",
                    "主流手机浏览器提交成功率100%，连续7天无报错"),
}
EXTRA_TASK = "修复落地页表单提交报错"


def add_rectification_columns(builder, meeting, recorder, topic):
    """On the day: one more corrective action, and every action's problem, root cause and verification."""
    action_item_create(actor=recorder, organisation=builder.org, meeting=meeting, topic=topic, data={
        "task": EXTRA_TASK, "owner": builder.p["li.product"], "deliverable": "表单修复上线，回归测试通过",
        "due": builder.workday(-2), "owner_confirmed": True,
    })
    for item in ActionItem.objects.filter(meeting=meeting):
        problem, root_cause, verification = COLUMNS[item.task]
        item_columns_save(actor=recorder, item=item, version=0, data={
            "problem": problem, "root_cause": root_cause, "verification": verification})


def follow_through(builder, meeting):
    """The days after: the rows of the 整改清单 in mixed states."""
    items = {i.task: i for i in ActionItem.objects.filter(meeting=meeting).select_related("owner")}
    # The fix is under way but past its date, so the worker has an overdue item to escalate.
    fix = items[EXTRA_TASK]
    action_item_set_status(actor=fix.owner, item=fix, status="in_progress")
    report = items["提交成本报告"]
    action_item_set_status(actor=report.owner, item=report, status="in_progress")
    action_item_set_status(actor=report.owner, item=report, status="done", note="成本报告已提交，见财务部共享盘")
    sync = items["建立产品与市场信息同步机制"]
    # The new date must lie ahead of the real today too, whatever day the demo pretends it is.
    start = max(builder.today, timezone.localdate(timezone=builder.tz))
    action_item_set_status(actor=sync.owner, item=sync, status="delayed", reason="等待市场部确认同步流程",
                           new_due=builder.calendar.add_working_days(start, 3).date)
