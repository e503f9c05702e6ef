from django.db import models
from django.utils.translation import gettext_lazy as _


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    DISTRIBUTED = "distributed", _("Distributed")
    SIGNED_OFF = "signed_off", _("Signed off")


# The sections of the seed 001 minutes template, in order; the keys of Minutes.content.
SECTIONS = [
    ("title", _("Meeting name")),  # 会议名称
    ("time", _("Meeting time")),  # 会议时间
    ("place", _("Meeting place")),  # 会议地点
    ("host", _("Host")),  # 主持人
    ("recorder", _("Recorder")),  # 记录人
    ("attendees", _("Departments and attendees")),  # 参会部门及人员
    ("absences", _("Absent and why")),  # 缺席人员及原因
    ("agenda", _("Agenda")),  # 会议议程
    ("summary", _("Summary of the discussion")),  # 讨论内容摘要
    ("decisions", _("Decisions")),  # 决议事项
    ("action_plan", _("Action plan")),  # 行动计划
]
SECTION_KEYS = [key for key, _label in SECTIONS]
