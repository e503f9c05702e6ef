"""The periodic scan of unanswered requests: a reminder once the answer is late, then an escalation.

Registered with the worker's scan registry in AppConfig.ready; `scan_unanswered(now=…)` can be run
directly (tests, catch-up). Rows are keyed per receipt and deadline, so running it again queues nothing.
"""

from django.db import transaction
from django.utils import timezone

from closeloop.lib.apiutil import organisation_tz
from closeloop.org.models import Organisation
from closeloop.workcal.selectors import calendar_for

from . import rules
from .choices import EventKind, ReceiptState, RequestState
from .models import Receipt, RequestEvent
from .notifications import notify_people
from .selectors import collab_policy_for
from .services import receipt_escalate


def late_receipts(organisation, today):
    """Departments whose answer deadline has passed without an answer (questions pause the clock)."""
    return (Receipt.objects.filter(request__organisation=organisation, state=ReceiptState.PENDING,
                                   answer_due__lt=today)
            .exclude(request__state=RequestState.WITHDRAWN)
            .select_related("request__organisation", "request__initiator", "department__head",
                            "department__parent__head", "delegate")
            .order_by("answer_due", "pk"))


def scan_unanswered(*, now=None):
    """Remind the answerers of every late department; escalate those late by the policy's working days."""
    now = now or timezone.now()
    queued = 0
    for organisation in Organisation.objects.order_by("pk"):
        today = rules.local_day(now, organisation_tz(organisation))
        calendar = calendar_for(organisation)
        after = collab_policy_for(organisation).escalate_after_workdays
        for receipt in late_receipts(organisation, today):
            request = receipt.request
            with transaction.atomic():
                rows = notify_people([receipt.department.head, receipt.delegate], event="reminder",
                                     key=f"{receipt.pk}:{receipt.answer_due}",
                                     context={"request": request, "receipt": receipt},
                                     organisation=organisation, now=now)
                if rows:
                    RequestEvent.objects.create(request=request, receipt=receipt, kind=EventKind.REMINDED)
                queued += len(rows)
                if receipt.escalated_at is None and rules.escalation_due(calendar, receipt.answer_due, today, after):
                    queued += len(receipt_escalate(actor=None, receipt=receipt, now=now))
    return queued
