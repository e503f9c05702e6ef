from django.db import models
from django.utils.translation import gettext_lazy as _


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    SUBSTITUTE = "substitute", _("Substitute attends")


class ResolutionPath(models.TextChoices):
    ESCALATE = "escalate", _("Escalate")
    DATA = "data", _("Bring data")
    RESOLVED = "resolved", _("Resolved in the meeting")


class RecordState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
