from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator / PMO")
    HEAD = "head", _("Department head")
    MEMBER = "member", _("Member")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class RuleMode(models.TextChoices):
    WARN = "warn", _("Warn")
    BLOCK = "block", _("Block")
