"""Reads for requests, with the visibility rules applied.

A request is visible to its initiator, the members of the initiating and receiving departments, the
people named on it and administrators (the PMO); a confidential request only to its initiator, the
people named on it (the receiving heads and their delegates are named when it is sent) and
administrators. Everyone else gets 404.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from .choices import EventKind, ReceiptState, RequestState
from .models import Receipt, Request, RequestEvent, RequestMaterial


def requests_visible_to(person):
    """Requests this person may see."""
    if not person.is_authenticated or not person.is_active or person.organisation_id is None:
        return Request.objects.none()
    qs = Request.objects.filter(organisation_id=person.organisation_id)
    if person.is_org_admin:
        return qs
    named = Request.viewers.through.objects.filter(request_id=OuterRef("pk"), person_id=person.pk)
    delegate = Receipt.objects.filter(request=OuterRef("pk"), delegate=person)
    personal = Q(initiator=person) | Exists(named) | Exists(delegate)
    if person.department_id is None:
        return qs.filter(personal)
    receiving = Receipt.objects.filter(request=OuterRef("pk"), department_id=person.department_id)
    departmental = Q(initiating_department_id=person.department_id) | Exists(receiving)
    return qs.filter(personal | (Q(confidential=False) & departmental))


def request_for_user(person, pk, *, for_update=False):
    """The request if this person may see it, else Http404 (existence is never revealed)."""
    qs = requests_visible_to(person)
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=pk)
    except (Request.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_answer(person, receipt):
    """The receiving department's head, or the delegate they named for this request."""
    department = receipt.department
    return person.is_authenticated and (department.head_id == person.pk or receipt.delegate_id == person.pk)


def can_manage(person, request):
    """Reply, escalate, withdraw, plan meetings: the initiator, their department's head, administrators."""
    if not person.is_authenticated:
        return False
    if person.is_org_admin or request.initiator_id == person.pk:
        return True
    department = request.initiating_department
    return department is not None and department.head_id == person.pk


def answerable_receipts(person):
    """Receipts this person answers for (as head or delegate)."""
    return Receipt.objects.filter(Q(department__head=person) | Q(delegate=person))


def request_list(person, *, tab="", state="", overdue=False, today=None, department=None, sent_from=None,
                 sent_to=None):
    """The list's rows: `mine` (I started), `to_answer` (my department's open answers), else all visible;
    narrowed to one receiving `department` and to the requests sent between two aware datetimes
    [sent_from, sent_to) when given (the lists behind management's figures)."""
    qs = requests_visible_to(person)
    if department is not None:
        qs = qs.filter(Exists(Receipt.objects.filter(request=OuterRef("pk"), department_id=department)))
    if sent_from is not None:
        qs = qs.filter(sent_at__gte=sent_from)
    if sent_to is not None:
        qs = qs.filter(sent_at__lt=sent_to)
    if tab == "mine":
        qs = qs.filter(initiator=person)
    elif tab == "to_answer":
        open_for_me = answerable_receipts(person).filter(
            request=OuterRef("pk"), state__in=[ReceiptState.PENDING, ReceiptState.DIFFICULTY])
        qs = qs.filter(Exists(open_for_me))
    if state:
        qs = qs.filter(state=state)
    if overdue and today is not None:
        late = Receipt.objects.filter(request=OuterRef("pk"), state=ReceiptState.PENDING, answer_due__lt=today)
        if department is not None:
            late = late.filter(department_id=department)
        qs = qs.filter(Exists(late))
    return (qs.select_related("initiator", "initiating_department", "project")
            .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.select_related(
                "department__head", "delegate", "answered_by")))
            .order_by("-sent_at", "-id"))


def request_detail(request, *, with_story=True):
    """The request with its departments, materials and, unless `with_story` is false (the API embeds only its
    latest steps: request_story), its whole story, loaded in a fixed number of queries."""
    qs = Request.objects.select_related("initiator", "initiating_department__head", "project", "organisation")
    qs = qs.prefetch_related(
        Prefetch("receipts", queryset=Receipt.objects.select_related("department__head", "delegate", "answered_by")),
        Prefetch("materials", queryset=RequestMaterial.objects.all()),
        "viewers",
    )
    if with_story:
        qs = qs.prefetch_related(
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor", "receipt__department")))
    return qs.get(pk=request.pk)


def request_story(request):
    """The request's story, oldest first, with who did each step and for which department."""
    return (RequestEvent.objects.filter(request=request).select_related("actor", "receipt__department")
            .order_by("at", "id"))


def linked_meetings(request, person):
    """The meetings planned from this request that `person` may see, with their latest minutes."""
    from closeloop.meetings.selectors import meetings_visible_to

    return (meetings_visible_to(person).filter(collab_links__request=request)
            .prefetch_related("minutes_versions").order_by("start", "pk"))  # pk: pages that never overlap


def linked_items(request, person):
    """Action items decided in the request's meetings (those the person may see)."""
    from closeloop.actions.models import ActionItem

    meetings = linked_meetings(request, person)
    return (ActionItem.objects.filter(meeting__in=meetings)
            .select_related("owner", "department", "meeting").order_by("due", "pk"))


def linked_decisions(request, person):
    """Decisions taken in the request's meetings that the person may see, in meeting order."""
    from closeloop.record.models import Decision

    return (Decision.objects.filter(record__meeting__in=linked_meetings(request, person).values("pk"))
            .select_related("record__meeting", "topic").order_by("record__meeting__start", "pk"))


def collab_policy_for(organisation):
    """The organisation's collaboration rules (created with the defaults on first use)."""
    from .models import CollabPolicy

    policy, _created = CollabPolicy.objects.get_or_create(organisation=organisation)
    return policy


def minutes_agreed(request):
    """True when a meeting of the request has approved minutes signed by the head of every department
    that has tasks in them (seed 002 stage 3: the written consensus)."""
    from closeloop.actions.models import ActionItem
    from closeloop.minutes.models import Minutes, SignOff

    for link in request.meeting_links.all():
        minutes = (Minutes.objects.filter(meeting_id=link.meeting_id, approved_at__isnull=False)
                   .order_by("-number").first())
        if minutes is None:
            continue
        with_tasks = set(ActionItem.objects.filter(meeting_id=link.meeting_id, department__isnull=False)
                         .values_list("department_id", flat=True))
        signed = set(SignOff.objects.filter(minutes=minutes, signed_at__isnull=False)
                     .values_list("department_id", flat=True))
        if with_tasks and with_tasks <= signed:
            return True
        if not with_tasks and minutes.signed_off_at is not None:
            return True
    return False


def linked_meetings_all(request):
    """Every meeting of the request (for drafting its memo, whatever the drafter may open)."""
    from closeloop.meetings.models import Meeting

    return Meeting.objects.filter(collab_links__request=request).order_by("start")


def request_decisions(request):
    """The decisions taken in the request's meetings: what a resource request may be tied to."""
    from closeloop.record.models import Decision

    return (Decision.objects.filter(record__meeting__collab_links__request=request)
            .select_related("record__meeting").order_by("record__meeting__start", "pk"))


def receipt_answer_rows(organisation, start, end, *, department_ids=None, project_id=None):
    """For the figures of management (insight): one row per receiving department of the requests sent in
    [start, end) and not withdrawn: (department id, request id, sent at, answer due, state, first answer at,
    first answer late). One query."""
    first = RequestEvent.objects.filter(receipt=OuterRef("pk"), kind=EventKind.ANSWER).order_by("at", "pk")
    qs = (Receipt.objects.filter(request__organisation=organisation, request__sent_at__gte=start,
                                 request__sent_at__lt=end)
          .exclude(request__state=RequestState.WITHDRAWN)
          .annotate(first_at=Subquery(first.values("at")[:1]), first_late=Subquery(first.values("late")[:1])))
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    if project_id is not None:
        qs = qs.filter(request__project_id=project_id)
    return list(qs.order_by("pk").values_list("department_id", "request_id", "request__sent_at", "answer_due",
                                              "state", "first_at", "first_late"))


def memo_parties(request):
    """The memo's parties: the initiating department, then each receiving department."""
    parties = [request.initiating_department] if request.initiating_department_id else []
    parties += [r.department for r in request.receipts.select_related("department__head").order_by("pk")]
    return parties


def memos_visible_to(person):
    from .models import Memo

    return Memo.objects.filter(request__in=requests_visible_to(person))


def memo_for_user(person, pk):
    """The memo version if its request is visible to this person, else Http404."""
    from .models import Memo

    try:
        return (memos_visible_to(person).select_related("request__organisation", "request__initiator",
                                                        "request__initiating_department", "previous")
                .get(pk=pk))
    except (Memo.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def memo_signature_for_token(token):
    from .models import MemoSignature

    signature = (MemoSignature.objects.select_related("memo__request", "department", "head")
                 .filter(token=str(token or "")).first())
    if signature is None:
        raise Http404
    return signature


def memo_diff(old, new, parties):
    """[(label, SectionDiff-like)] between two versions: each clause, then each party's rights and duties."""
    from closeloop.minutes.diff import text_diff

    from .choices import MEMO_CLAUSES

    rows = []
    for key, label in MEMO_CLAUSES:
        a, b = (old.content or {}).get(key, ""), (new.content or {}).get(key, "")
        rows.append({"key": key, "label": str(label), "changed": a != b, "segments": text_diff(a, b)})
    for department in parties:
        for field, label in (("rights", "rights"), ("duties", "duties")):
            a = ((old.content or {}).get("parties") or {}).get(str(department.pk), {}).get(field, "")
            b = ((new.content or {}).get("parties") or {}).get(str(department.pk), {}).get(field, "")
            rows.append({"key": f"parties.{department.pk}.{field}", "label": f"{department} · {label}",
                         "changed": a != b, "segments": text_diff(a, b)})
    return rows


def resource_requests_visible_to(person):
    """Resource requests of the requests this person may see (approvers are named on the request)."""
    from .models import ResourceRequest

    return ResourceRequest.objects.filter(request__in=requests_visible_to(person))


def resource_for_user(person, pk):
    from .models import ResourceRequest

    try:
        return (resource_requests_visible_to(person)
                .select_related("request__organisation", "department__head", "requested_by",
                                "decision__record__meeting")
                .get(pk=pk))
    except (ResourceRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def receipt_for_token(token):
    """The receipt whose answer link this is, else Http404."""
    receipt = (Receipt.objects.select_related("request__organisation", "request__initiator",
                                              "request__initiating_department", "department__head")
               .filter(token=str(token or "")).first())
    if receipt is None:
        raise Http404
    return receipt


def resource_for_link(resource_id, person_id):
    """(resource request, person) named by a signed approval link, the person active in its organisation; else
    Http404. The link is the credential: no visibility rule applies."""
    from closeloop.org.models import Person

    from .models import ResourceRequest

    try:
        resource = (ResourceRequest.objects.select_related("request__organisation", "department__head",
                                                           "requested_by").get(pk=resource_id))
        person = Person.objects.get(pk=person_id, organisation_id=resource.request.organisation_id, is_active=True)
    except (ResourceRequest.DoesNotExist, Person.DoesNotExist):
        raise Http404 from None
    return resource, person
