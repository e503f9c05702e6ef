from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.DELAYED)


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    CONFIRMED = "confirmed", _("Confirmed by the owner")
    STATUS = "status", _("Status changed")
    PROGRESS = "progress", _("Progress")
    DELAY = "delay", _("Delayed with a new date")
    CHANGE_ASKED = "change_asked", _("Change asked")
    CHANGE_ACCEPTED = "change_accepted", _("Change accepted")
    CHANGE_REFUSED = "change_refused", _("Change refused")
    CHANGE_WITHDRAWN = "change_withdrawn", _("Change withdrawn")
    RISK = "risk", _("Risk raised")


class ChangeKind(models.TextChoices):
    DATE = "date", _("Due date")
    SCOPE = "scope", _("Scope")
    BOTH = "both", _("Due date and scope")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for the initiator")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
