"""Reads for retrospectives and progress sync, with the visibility rules applied.

A retrospective is visible to whoever may see its request and to the readers of its report (department heads
and the management group); progress and changes to whoever may see the request. Everyone else gets 404.
"""

from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.http import Http404
from django.utils import timezone

from closeloop.collab.selectors import (
    can_answer,
    can_manage,
    collab_policy_for,
    linked_meetings_all,
    request_for_user,
    requests_visible_to,
)
from closeloop.lib.apiutil import organisation_tz

from .choices import RetroState
from .models import Improvement, ProgressUpdate, ReportReceipt, RequestChange, RetroPolicy, Retrospective


def today_in(organisation, now=None):
    return timezone.localtime(now or timezone.now(), organisation_tz(organisation)).date()


def retro_policy_for(organisation):
    """The organisation's rules; the defaults (unsaved) until an administrator saves them, so reading writes
    nothing."""
    return RetroPolicy.objects.filter(organisation=organisation).first() or RetroPolicy(organisation=organisation)


def retrospectives_visible_to(person):
    if not person.is_authenticated or not person.is_active or person.organisation_id is None:
        return Retrospective.objects.none()
    reader = ReportReceipt.objects.filter(retrospective=OuterRef("pk"), person=person)
    return Retrospective.objects.filter(request__organisation_id=person.organisation_id).filter(
        Q(request__in=requests_visible_to(person).values("pk")) | Exists(reader))


def retrospective_for_user(person, pk):
    """The retrospective if this person may see it, else Http404 (existence is never revealed)."""
    try:
        return (retrospectives_visible_to(person)
                .select_related("request__organisation", "request__initiator", "request__initiating_department__head",
                                "meeting", "completed_by", "sent_by").get(pk=pk))
    except (Retrospective.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_run(person, retrospective):
    """Plan, record, send: the initiator, their head, administrators (who may manage the request)."""
    return can_manage(person, retrospective.request)


def request_items(request):
    """Every action item decided in the request's meetings (improvement items of its retrospective aside)."""
    from closeloop.actions.models import ActionItem

    return (ActionItem.objects.filter(meeting__in=linked_meetings_all(request))
            .filter(improvement__isnull=True).select_related("owner", "department").order_by("due", "pk"))


def management_of(organisation):
    """The management group of the collaboration policy; administrators when nobody is named."""
    from closeloop.org.choices import Role
    from closeloop.org.models import Person

    people = list(collab_policy_for(organisation).management.filter(is_active=True))
    return people or list(Person.objects.filter(organisation=organisation, is_active=True, role=Role.ADMIN))


def report_readers(request):
    """[(person, department or None)]: both sides' department heads, then the management group."""
    readers, seen = [], set()
    departments = [request.initiating_department] if request.initiating_department_id else []
    departments += [r.department for r in request.receipts.select_related("department__head")]
    for department in departments:
        head = department.head
        if head is not None and head.is_active and head.pk not in seen:
            seen.add(head.pk)
            readers.append((head, department))
    for person in management_of(request.organisation):
        if person.pk not in seen:
            seen.add(person.pk)
            readers.append((person, None))
    return readers


def retrospective_detail(retrospective):
    return (Retrospective.objects.select_related(
        "request__organisation", "request__initiator", "request__initiating_department__head", "meeting",
        "completed_by", "sent_by")
        .prefetch_related("goals", "improvements__owner", "improvements__item", "readers__person",
                          "readers__as_head_of")
        .get(pk=retrospective.pk))


def open_improvements(person):
    """Improvement measures whose action item is still open, across the organisation (those this person may
    see: the action item's own visibility applies)."""
    from closeloop.actions.choices import OPEN_STATUSES
    from closeloop.actions.selectors.items import items_visible_to

    return (Improvement.objects.filter(item__in=items_visible_to(person).filter(status__in=OPEN_STATUSES))
            .select_related("item__owner", "item__department", "retrospective__request__initiator", "owner")
            .order_by("item__due", "pk"))


def is_executor(person, request):
    """Someone who does the work: a member, head or delegate of a receiving department, or an item's owner."""
    if not person.is_authenticated:
        return False
    receipts = list(request.receipts.all())
    if any(r.department_id == person.department_id or r.delegate_id == person.pk or can_answer(person, r)
           for r in receipts):
        return True
    return request_items(request).filter(owner=person).exists()


def executor_department(person, request):
    for receipt in request.receipts.select_related("department"):
        if receipt.department_id == person.department_id or receipt.delegate_id == person.pk:
            return receipt.department
    return person.department


def progress_timeline(request):
    return ProgressUpdate.objects.filter(request=request).select_related("author", "department")


def request_changes(request):
    return (RequestChange.objects.filter(request=request).select_related("asked_by")
            .prefetch_related("answers__department", "answers__by"))


def change_for_user(person, pk):
    try:
        change = RequestChange.objects.select_related("request").get(pk=pk)
    except (RequestChange.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    request_for_user(person, change.request_id)
    return change


def request_visible(person, pk):
    return request_for_user(person, pk)





def _overdue_retrospectives(organisation, *, start, end, today, department_ids, project_id):
    from closeloop.collab.models import Receipt

    qs = Retrospective.objects.filter(request__organisation=organisation, state=RetroState.AWAITING,
                                      due__gte=start, due__lte=end, due__lt=today)
    if department_ids is not None:
        receiving = Receipt.objects.filter(request=OuterRef("request"), department_id__in=department_ids)
        qs = qs.filter(Q(request__initiating_department_id__in=department_ids) | Exists(receiving))
    if project_id is not None:
        qs = qs.filter(request__project_id=project_id)
    return qs.annotate(what=Value("retrospective", output_field=CharField()), text=F("request__subject"),
                       ref=F("request_id"), day=F("due"))


def _open_improvements(organisation, *, sent_before, department_ids, project_id):
    from closeloop.actions.choices import OPEN_STATUSES

    qs = Improvement.objects.filter(retrospective__request__organisation=organisation, item__isnull=False,
                                    item__status__in=OPEN_STATUSES, retrospective__sent_at__lt=sent_before)
    if department_ids is not None:
        qs = qs.filter(item__department_id__in=department_ids)
    if project_id is not None:
        qs = qs.filter(retrospective__request__project_id=project_id)
    return qs.annotate(what=Value("improvement", output_field=CharField()), text=F("measure"), ref=F("item_id"),
                       day=F("item__due"))


def after_work_rows(organisation, *, start, end, today, sent_before, department_ids=None, project_id=None):
    """For the figures of management (insight), in one query: the retrospectives whose deadline lies in
    [start, end] and has passed by `today` with no meeting planned (a department sees those its side took part
    in, initiating or receiving); and the improvement measures of the reports sent before `sent_before` (a
    moment) whose action item is still open (by the item's department). Returns (retrospectives, measures), each
    a list of (id, text, ref, day) by day: the request's subject, id and the deadline; the measure, its item's id
    and the item's due date."""
    fields = ("what", "id", "text", "ref", "day")
    retros = _overdue_retrospectives(organisation, start=start, end=end, today=today,
                                     department_ids=department_ids, project_id=project_id)
    measures = _open_improvements(organisation, sent_before=sent_before, department_ids=department_ids,
                                  project_id=project_id)
    rows = retros.order_by().values_list(*fields).union(measures.order_by().values_list(*fields), all=True)
    found = {"retrospective": [], "improvement": []}
    for what, *row in rows:
        found[what].append(tuple(row))
    return (sorted(found["retrospective"], key=lambda r: (r[3], r[0])),
            sorted(found["improvement"], key=lambda r: (r[3], r[0])))
