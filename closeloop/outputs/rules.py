"""Which output a meeting type has, its sections and columns, and what the recorder is asked for: plain data.

The column labels are the seed's words (Chinese through the catalogue): 问题, 根本原因, 整改措施, 责任人,
完成时间, 验证标准, 状态 for the 问题整改清单, and so on.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from closeloop.outputs.choices import OutputKind

KIND_OF_TYPE = {
    "kickoff": OutputKind.WORK_PLAN,
    "problem_analysis": OutputKind.RECTIFICATION,
    "resource_review": OutputKind.RESOURCE_ALLOCATION,
    "retrospective": OutputKind.NEXT_PHASE_PLAN,
}

# The ItemColumns fields the recorder is asked for, per output.
PROMPTED = {
    OutputKind.WORK_PLAN: ("milestone",),
    OutputKind.RECTIFICATION: ("problem", "root_cause", "verification"),
    OutputKind.RESOURCE_ALLOCATION: ("requested_by", "need", "value", "resources", "priority", "allocation"),
    OutputKind.NEXT_PHASE_PLAN: ("goal", "adjustment"),
}

CLOSED_STATUSES = ("done", "cancelled")



# Column labels have their own context, so that 负责人 elsewhere does not decide 责任人 here.
COLUMN_LABELS = {
    "no": pgettext_lazy("output column", "No."),  # 序号
    "problem": pgettext_lazy("output column", "Problem"),  # 问题
    "root_cause": pgettext_lazy("output column", "Root cause"),  # 根本原因
    "corrective_action": pgettext_lazy("output column", "Corrective action"),  # 整改措施
    "owner": pgettext_lazy("output column", "Owner"),  # 负责人
    "responsible": pgettext_lazy("output column", "Responsible"),  # 责任人 (the 整改清单's word)
    "due": pgettext_lazy("output column", "Due date"),  # 完成时间
    "verification": pgettext_lazy("output column", "Verification standard"),  # 验证标准
    "status": pgettext_lazy("output column", "Status"),  # 状态
    "department": pgettext_lazy("output column", "Department"),  # 部门
    "responsibility": pgettext_lazy("output column", "Responsibility / task"),  # 职责与任务
    "deliverable": pgettext_lazy("output column", "Deliverable"),  # 交付物
    "milestone": pgettext_lazy("output column", "Milestone"),  # 里程碑
    "requested_by": pgettext_lazy("output column", "Requesting department"),  # 需求部门
    "need": pgettext_lazy("output column", "Request"),  # 需求
    "value": pgettext_lazy("output column", "Value"),  # 需求价值
    "resources": pgettext_lazy("output column", "Resources needed"),  # 资源占用
    "priority": pgettext_lazy("output column", "Priority"),  # 优先级
    "allocation": pgettext_lazy("output column", "Allocation decided"),  # 分配决定
    "receiving": pgettext_lazy("output column", "Receiving department"),  # 承接部门
    "confirmation": pgettext_lazy("output column", "Department confirmation"),  # 部门确认
    "task": pgettext_lazy("output column", "Action item"),  # 行动事项
    "goal": pgettext_lazy("output column", "Next phase goal"),  # 下阶段目标
    "adjustment": pgettext_lazy("output column", "Adjustment decided"),  # 调整事项
    "decision": pgettext_lazy("output column", "Decision"),  # 决议
    "decided_by": pgettext_lazy("output column", "Decided by"),  # 决策人
}


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: object
    columns: tuple
    only: str = ""  # keep only the rows with this column filled in
    group_by: str = ""  # rows come grouped (sorted) by this column


SECTIONS = {
    OutputKind.WORK_PLAN: (
        SectionSpec("division", _("Division of work"), (  # 各部门职责分工
            "no", "department", "responsibility", "owner", "deliverable", "milestone", "due", "status"),
            group_by="department"),
        SectionSpec("milestones", _("Key milestones"), (  # 关键里程碑
            "no", "milestone", "deliverable", "owner", "due", "status"), only="milestone"),
    ),
    OutputKind.RECTIFICATION: (
        SectionSpec("rectification", _("Rectification list"), (
            "no", "problem", "root_cause", "corrective_action", "responsible", "due", "verification", "status")),
    ),
    OutputKind.RESOURCE_ALLOCATION: (
        SectionSpec("comparison", _("Requests compared and the allocation decided"), (
            "no", "priority", "requested_by", "need", "value", "resources", "allocation", "receiving",
            "confirmation")),
        SectionSpec("plans", _("Resulting plan per department"), (
            "no", "department", "task", "owner", "due", "status"), group_by="department"),
    ),
    OutputKind.NEXT_PHASE_PLAN: (
        SectionSpec("plan", _("Next phase action plan"), (
            "no", "goal", "task", "owner", "department", "due", "deliverable", "status")),
        SectionSpec("adjustments", _("Adjustments decided"), (
            "no", "adjustment", "task", "owner", "due", "status"), only="adjustment"),
    ),
}

DECISION_COLUMNS = ("no", "decision", "decided_by")


def kind_for(meeting_type):
    """The output of a meeting type, or None (decision meetings and weekly syncs have the minutes only)."""
    return KIND_OF_TYPE.get(meeting_type)


def label(column):
    return COLUMN_LABELS[column]


def priority_key(priority, due, pk):
    """Requests compared: the highest priority (1) first, those without one last; then by date."""
    return (priority is None, priority or 0, due is None, due or "", pk)


def summary(statuses):
    """{"total", "closed", "open", "all_closed"} from the items' statuses: the output is live until all close."""
    statuses = list(statuses)
    closed = sum(1 for s in statuses if s in CLOSED_STATUSES)
    return {"total": len(statuses), "closed": closed, "open": len(statuses) - closed,
            "all_closed": bool(statuses) and closed == len(statuses)}


def may_confirm(*, actor_id, head_id, is_admin=False):
    """A line of the allocation is confirmed by the head of its receiving department (nobody else speaks
    for the department; an administrator does not either)."""
    return head_id is not None and actor_id == head_id


def check_priority(value):
    """None, or a message when a priority is not 1…99."""
    if value is None:
        return None
    if not 1 <= value <= 99:
        return _("Give a priority from 1 (highest) to 99.")
    return None
