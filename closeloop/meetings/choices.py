from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingType(models.TextChoices):
    KICKOFF = "kickoff", _("Kickoff")
    PROBLEM_ANALYSIS = "problem_analysis", _("Problem analysis")
    RESOURCE_REVIEW = "resource_review", _("Resource review")
    DECISION = "decision", _("Decision")
    WEEKLY_SYNC = "weekly_sync", _("Weekly sync")
    RETROSPECTIVE = "retrospective", _("Retrospective")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOTICED = "noticed", _("Notice sent")
    CANCELLED = "cancelled", _("Cancelled")


class TopicKind(models.TextChoices):
    INFORM = "inform", _("Inform")
    DISCUSS = "discuss", _("Discuss")
    DECIDE = "decide", _("Decide")


class ParticipantRole(models.TextChoices):
    HOST = "host", _("Host")
    RECORDER = "recorder", _("Recorder")
    PRESENTER = "presenter", _("Presenter")
    DECISION_MAKER = "decision_maker", _("Decision-maker")
    EXECUTOR = "executor", _("Executor")
    INFORMED = "informed", _("Informed")
    CC = "cc", _("CC")


class Response(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SUBSTITUTE = "substitute", _("Sends a substitute")
