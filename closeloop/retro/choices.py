"""Values of retrospectives (seed 002 stage 5) and of progress sync (stage 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RetroState(models.TextChoices):
    """Where a completed request's retrospective stands."""

    AWAITING = "awaiting", _("Retrospective to plan")
    PLANNED = "planned", _("Retrospective planned")
    SENT = "sent", _("Report sent")


class GoalResult(models.TextChoices):
    REACHED = "reached", _("Reached")
    PARTLY = "partly", _("Partly reached")
    NOT = "not", _("Not reached")


class Cadence(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class ChangeKind(models.TextChoices):
    DATE = "date", _("Wanted date")
    SCOPE = "scope", _("Scope")
    BOTH = "both", _("Wanted date and scope")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving side")
    ACCEPTED = "accepted", pgettext_lazy("request change", "Agreed")
    REFUSED = "refused", pgettext_lazy("request change", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("request change", "Withdrawn")


class ChangeAnswer(models.TextChoices):
    AGREE = "agree", _("Agree")
    REFUSE = "refuse", _("Refuse")


# The seed's three questions, the retrospective meeting's prepared topics (title, required outcome).
QUESTIONS = [
    (_("Were the expected goals reached? If not, why?"),
     _("For each goal: reached, partly or not, with evidence and the reason when not reached.")),
    (_("What went well, and where did the collaboration get stuck?"),
     _("The good practices to keep and the bottlenecks, with the facts behind them.")),
    (_("What should change next time?"),
     _("Improvement measures, each with an owner, a due date and a deliverable.")),
]
