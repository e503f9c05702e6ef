from django.db import models
from django.utils.translation import gettext_lazy as _


class OutputKind(models.TextChoices):
    """The written output of a meeting type (seed 003 §一); the values are the API's path segments."""

    WORK_PLAN = "work-plan", _("Division of work and milestones")  # 分工与里程碑
    RECTIFICATION = "rectification", _("Rectification list")  # 问题整改清单
    RESOURCE_ALLOCATION = "resource-allocation", _("Resource allocation confirmation")  # 资源分配确认表
    NEXT_PHASE_PLAN = "next-phase-plan", _("Next phase action plan")  # 下阶段行动计划
