"""The worker's scans: a retrospective not planned in time (reminder before its deadline, escalation after it),
and progress updates that are late for the policy's cadence. Keys are per deadline, so a re-run queues nothing."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from closeloop.collab.choices import ReceiptState, RequestState
from closeloop.collab.models import Receipt
from closeloop.org.models import Organisation
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for

from . import rules
from .choices import RetroState
from .models import ProgressUpdate, Retrospective
from .notifications import notify_people, notify_person, progress_link, retro_link
from .selectors import management_of, retro_policy_for, today_in


def _escalation_targets(request):
    department = request.initiating_department
    heads = []
    while department is not None:
        if department.head_id is not None and department.head_id != request.initiator_id:
            heads.append(department.head)
            break
        department = department.parent
    return heads + management_of(request.organisation)


def scan_retrospectives_due(*, now=None):
    """Remind the initiator before the deadline; escalate to their head and the management group after it."""
    now = now or timezone.now()
    queued = 0
    for organisation in Organisation.objects.order_by("pk"):
        today, calendar = today_in(organisation, now), calendar_for(organisation)
        policy, rpolicy = policy_for(organisation), retro_policy_for(organisation)
        waiting = (Retrospective.objects.filter(request__organisation=organisation, state=RetroState.AWAITING)
                   .select_related("request__initiator", "request__organisation",
                                   "request__initiating_department__head", "request__initiating_department__parent")
                   .order_by("due", "pk"))
        for retrospective in waiting:
            request = retrospective.request
            context = {"request": request, "retrospective": retrospective}
            with transaction.atomic():
                if today >= rules.reminder_day(calendar, retrospective.due, policy.reminder_workdays):
                    queued += len(notify_person(person=request.initiator, event="retro_reminder",
                                                key=f"{retrospective.pk}:{retrospective.due}", context=context,
                                                organisation=organisation, link=retro_link(retrospective), now=now))
                if retrospective.escalated_at is None and today >= rules.escalation_day(
                        calendar, retrospective.due, rpolicy.escalate_after_workdays):
                    rows = notify_people(_escalation_targets(request), event="retro_escalation",
                                         key=f"{retrospective.pk}:{retrospective.due}", context=context,
                                         organisation=organisation, link=retro_link(retrospective), now=now)
                    Retrospective.objects.filter(pk=retrospective.pk).update(escalated_at=now)
                    queued += len(rows)
    return queued


def running_receipts(organisation):
    """Departments that accepted a request still running (not withdrawn, not completed)."""
    return (Receipt.objects.filter(request__organisation=organisation, state=ReceiptState.ACCEPTED)
            .exclude(request__state=RequestState.WITHDRAWN).filter(request__retrospective__isnull=True)
            .select_related("request__organisation", "department__head", "delegate").order_by("pk"))


def scan_progress_late(*, now=None):
    """Remind each accepting department whose progress update is past due for the policy's cadence (from the last
    update, or from the answer that accepted the request)."""
    now = now or timezone.now()
    queued = 0
    for organisation in Organisation.objects.order_by("pk"):
        today, calendar = today_in(organisation, now), calendar_for(organisation)
        cadence = retro_policy_for(organisation).progress_cadence
        receipts = list(running_receipts(organisation))
        last = {(r, d): day for r, d, day in ProgressUpdate.objects.filter(request__organisation=organisation)
                .values("request_id", "department_id").annotate(day=Max("day"))
                .values_list("request_id", "department_id", "day").order_by()}
        for receipt in receipts:
            since = last.get((receipt.request_id, receipt.department_id))
            if since is None:
                if receipt.answered_at is None:
                    continue
                since = today_in(organisation, receipt.answered_at)
            due = rules.progress_due(calendar, since, cadence)
            if today <= due:
                continue
            with transaction.atomic():
                queued += len(notify_people(
                    [receipt.department.head, receipt.delegate], event="progress_reminder",
                    key=f"{receipt.pk}:{due}", organisation=organisation, link=progress_link(receipt.request),
                    context={"request": receipt.request, "department": receipt.department, "due": due}, now=now))
    return queued
