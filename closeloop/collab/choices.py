"""Values of a collaboration request: scenario, priority, the answers of a receiving department, states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Scenario(models.TextChoices):
    """The five situations of seed 002 that call for cross-department collaboration."""

    PROJECT = "project", _("Project delivery")  # 项目推进
    RESOURCES = "resources", _("Resource allocation")  # 资源调配
    PROBLEM = "problem", _("Problem solving")  # 问题解决
    ALIGNMENT = "alignment", _("Goal alignment")  # 目标对齐
    PROCESS = "process", _("Process improvement")  # 流程优化


class Priority(models.TextChoices):
    """Urgent × important, the four quadrants."""

    URGENT_IMPORTANT = "urgent_important", _("Urgent and important")
    IMPORTANT = "important", _("Important, not urgent")
    URGENT = "urgent", _("Urgent, not important")
    NORMAL = "normal", _("Neither urgent nor important")


class Answer(models.TextChoices):
    """What a receiving department answers."""

    ACCEPT = "accept", _("Accept")
    CLARIFY = "clarify", _("Ask a question")
    DIFFICULTY = "difficulty", _("Report a difficulty")


class ReceiptState(models.TextChoices):
    """Where one receiving department stands."""

    PENDING = "pending", _("Awaiting answer")
    ACCEPTED = "accepted", pgettext_lazy("collaboration request", "Accepted")
    CLARIFY = "clarify", _("Question to the initiator")
    DIFFICULTY = "difficulty", _("Difficulty reported")


class RequestState(models.TextChoices):
    """The request's state, derived from its receiving departments' (and its signed minutes)."""

    AWAITING = "awaiting", _("Awaiting answers")
    CLARIFYING = "clarifying", _("Clarifying")
    DIFFICULTY = "difficulty", _("Difficulty to resolve")
    ACCEPTED = "accepted", pgettext_lazy("collaboration request", "Accepted")
    AGREED = "agreed", _("Agreed in writing")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Missing(models.TextChoices):
    """What a department lacks when it reports a difficulty."""

    PEOPLE = "people", _("People")
    TIME = "time", _("Time")
    PERMISSIONS = "permissions", _("Permissions")
    BUDGET = "budget", _("Budget")


class EventKind(models.TextChoices):
    """One entry of a request's story (its timeline)."""

    SENT = "sent", pgettext_lazy("collaboration request", "Sent")
    ANSWER = "answer", _("Answered")
    REPLY = "reply", _("Initiator replied")
    REMINDED = "reminded", _("Reminder sent")
    ESCALATED = "escalated", _("Escalated")
    MEETING = "meeting", _("Meeting planned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MemoState(models.TextChoices):
    """A version of the 跨部门协作备忘录."""

    DRAFT = "draft", _("Draft")
    SIGNING = "signing", _("Out for signature")
    SIGNED = "signed", _("Signed")


class SignMethod(models.TextChoices):
    ONLINE = "online", _("Signed online in Closeloop")
    LINK = "link", _("Signed from the link in the message")


# The memo's clauses, in the agreement's order; the keys of Memo.content (each party's rights and duties aside).
MEMO_CLAUSES = [
    ("goal", _("Goal of the collaboration")),  # 协作目标
    ("consensus", _("Agreed points")),  # 共识事项 (the minutes' decisions)
    ("deliverables", _("Deliverables, acceptance standards and dates")),  # 交付标准
    ("disagreements", _("Open disagreements and their paths")),
    ("dispute", _("Dispute resolution: who decides, by when")),  # 争议解决机制
    ("validity", _("Validity")),  # 有效期
]
MEMO_CLAUSE_KEYS = [key for key, _label in MEMO_CLAUSES]


class BudgetCategory(models.TextChoices):
    MARKETING = "marketing", _("Marketing and promotion")
    PERSONNEL = "personnel", _("Personnel and outsourcing")
    EQUIPMENT = "equipment", _("Equipment and materials")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


class ResourceState(models.TextChoices):
    """A 资源申请表 / 预算审批单 on its approval chain."""

    IN_APPROVAL = "in_approval", pgettext_lazy("resource request", "In approval")
    APPROVED = "approved", pgettext_lazy("resource request", "Approved")
    RETURNED = "returned", pgettext_lazy("resource request", "Returned")


class ApprovalRole(models.TextChoices):
    """The steps of the approval chain (policy: finance above one amount, management above a second)."""

    HEAD = "head", _("Department head")
    FINANCE = "finance", _("Finance head")
    MANAGEMENT = "management", _("Management")


class ApprovalDecision(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("resource request", "Approved")
    RETURN = "return", pgettext_lazy("resource request", "Returned")
