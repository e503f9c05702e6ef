"""API for the live record (mounted at /record): the whole record as JSON with its revision, a cheap revision
check for polling, and every write of the page (sign-in, notes, disagreements, decisions, action items, timer,
review, close).

A meeting someone may not see answers 404 on every endpoint; seeing it without being its host, recorder or an
administrator answers 403 on writes. Closing with open points answers 422 with the loop check's findings.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from closeloop.actions.models import ActionItem
from closeloop.actions.selectors.items import open_items_for_review
from closeloop.lib.apiutil import api_field_names, in_org, org_of, organisation_tz, unknown_ref
from closeloop.meetings.models import Topic
from closeloop.meetings.selectors import meeting_for_user
from closeloop.org.api.schemas import ErrorOut
from closeloop.org.models import Department, Person
from closeloop.org.selectors import policy_for
from closeloop.record.api.paging import PER_PAGE, SECTIONS, Slice
from closeloop.record.api.schemas import (
    AttendanceIn,
    AttendanceOut,
    CloseIn,
    DecisionIn,
    DecisionOut,
    DisagreementIn,
    DisagreementOut,
    ItemIn,
    ItemOut,
    LoopOpenOut,
    NoteIn,
    NoteOut,
    OpenPointOut,
    ReasonIn,
    RecordOut,
    ReviewItemOut,
    ReviewProgressIn,
    ReviewStatusIn,
    RevisionOut,
    TimerIn,
    TimerOut,
)
from closeloop.record.models import Attendance, Decision, Disagreement, Note
from closeloop.record.selectors import (
    loop_check_for,
    person_can_record,
    record_of,
    record_page,
    record_revision,
    topic_view,
)
from closeloop.record.services import items as services_items
from closeloop.record.services import record as services

router = Router(tags=["live record"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
M = "/meetings/{int:meeting_id}"
REF_FIELDS = ("person", "substitute", "department", "escalate_to", "owner", "decided_by", "decision",
              "collaborators")


def _local(value, org):
    return timezone.localtime(value, organisation_tz(org)) if value else None


def _writable(request, meeting_id):
    meeting = meeting_for_user(request.auth, meeting_id)
    if not person_can_record(request.auth, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators write the meeting's record."))
    return meeting


def _topic(meeting, topic_id):
    return get_object_or_404(Topic, pk=topic_id, meeting=meeting)


def _person(org, pk, field):
    person = in_org(Person, org, pk, field)
    if person is not None and not person.is_active:
        raise unknown_ref(field, pk)
    return person


def _timer(view, org):
    return {"running": view.running, "started_at": _local(view.state.started_at if view.state else None, org),
            "elapsed_seconds": view.elapsed, "budget_seconds": view.budget_seconds,
            "remaining_seconds": view.remaining, "over_budget": view.over}


def _record_out(request, meeting, numbers=None):
    org = meeting.organisation
    numbers = numbers or {}
    wanted = {section: numbers.get(name, 1) for name, section in SECTIONS.items()}
    per_page = {section: PER_PAGE[name] for name, section in SECTIONS.items()}
    slices = {}

    def pages(rows, section):
        slices[section] = Slice(rows, wanted[section], per_page[section])
        return slices[section]

    page = record_page(meeting, request.auth, pages=pages)
    record = page["record"]
    points = Slice(loop_check_for(meeting), numbers.get("open_points", 1), PER_PAGE["open_points"])
    attendance = [{
        "person": row.participant.person, "department": row.participant.person.department,
        "signed_in": row.signed, "presence": row.attendance.presence if row.signed else None,
        "reason": row.attendance.reason if row.signed else "",
        "substitute": row.attendance.substitute if row.signed else None,
        "suggested": dict(zip(("presence", "reason", "substitute_id"), row.suggestion, strict=True)),
    } for row in page["sign_in"]]
    topics = [{
        "id": v.topic.pk, "number": v.number, "title": v.topic.title, "kind": v.topic.kind, "minutes": v.topic.minutes,
        "presenter": v.topic.presenter, "timer": _timer(v, org), "no_decision_reason": v.no_decision_reason,
        "notes": [{**_note(n, org)} for n in v.notes], "disagreements": v.disagreements, "decisions": v.decisions,
        "action_items": v.items,
    } for v in page["topics"]]
    review = [{"id": i.pk, "meeting_id": i.meeting_id, "task": i.task, "owner": i.owner, "due": i.due,
               "status": i.status, "progress": i.progress, "overdue": bool(i.is_overdue),
               "can_update": i.pk in page["review_editable"]} for i in page["review"]]
    return {
        "meeting_id": meeting.pk, "state": record.state if record else "not_started",
        "revision": page["revision"], "opened_at": _local(record.opened_at, org) if record else None,
        "closed_at": _local(record.closed_at, org) if record else None,
        "closed_by": record.closed_by if record else None, "can_record": page["can_record"],
        "close_mode": policy_for(org).close_loop_mode, "attendance": attendance, "review": review,
        "topics": topics, "open_points": [p.as_dict() for p in points.object_list],
        "pages": {**{name: slices[section].as_dict() for name, section in SECTIONS.items()},
                  "open_points": points.as_dict()},
    }


def _note(note, org):
    return {"id": note.pk, "department": note.department, "text": note.text, "author": note.author,
            "created_at": _local(note.created_at, org)}


def _page(name):
    return Query(1, ge=1, le=100_000, description=f"Page of `{name}` ({PER_PAGE[name]} a page; the first by default). "
                 "Past the last page the list is empty.")


@router.get(M, response={200: RecordOut, 404: ErrorOut}, summary="The record with its revision, long lists paged",
            description="`attendance`, `review`, `topics` and `open_points` hold one page each (the first unless "
                        "`attendance_page`, `review_page`, `topics_page` or `open_points_page` asks for another); "
                        "`pages` says how many rows and pages each has. A meeting of a few topics fits on the "
                        "first pages, as before.")
def record_get(request, meeting_id: int, topics_page: int = _page("topics"),
               attendance_page: int = _page("attendance"), review_page: int = _page("review"),
               open_points_page: int = _page("open_points")):
    return _record_out(request, meeting_for_user(request.auth, meeting_id), {
        "topics": topics_page, "attendance": attendance_page, "review": review_page,
        "open_points": open_points_page})


@router.get(M + "/revision", response={200: RevisionOut, 404: ErrorOut},
            summary="The record's revision only: poll it, and fetch the record when it moved")
def record_revision_get(request, meeting_id: int):
    meeting = meeting_for_user(request.auth, meeting_id)
    row = record_revision(meeting.pk)
    return {"state": row[1], "revision": row[0]} if row else {"state": "not_started", "revision": 0}


@router.post(M + "/open", response={200: RecordOut, **ERRORS}, summary="Start the record (idempotent)")
def record_open(request, meeting_id: int):
    meeting = _writable(request, meeting_id)
    services.record_open(actor=request.auth, meeting=meeting)
    return _record_out(request, meeting)


@router.post(M + "/attendance", response={200: AttendanceOut, **ERRORS},
             summary="Sign a participant in: present, absent with a reason, or a substitute")
def attendance_set(request, meeting_id: int, payload: AttendanceIn):
    meeting = _writable(request, meeting_id)
    org = org_of(request.auth)
    with api_field_names(*REF_FIELDS):
        a = services.attendance_set(
            actor=request.auth, meeting=meeting, person=_person(org, payload.person_id, "person_id"),
            presence=payload.presence, reason=payload.reason,
            substitute=_person(org, payload.substitute_id, "substitute_id"))
    a = Attendance.objects.select_related("person__department", "substitute").get(pk=a.pk)
    return {"person": a.person, "department": a.person.department, "signed_in": True, "presence": a.presence,
            "reason": a.reason, "substitute": a.substitute,
            "suggested": {"presence": a.presence, "reason": a.reason, "substitute_id": a.substitute_id}}


@router.post(M + "/attendance/suggested", response={200: dict, **ERRORS},
             summary="Sign in everyone not signed in yet as they answered the notice")
def attendance_suggested(request, meeting_id: int):
    meeting = _writable(request, meeting_id)
    return {"signed_in": services.attendance_confirm_suggested(actor=request.auth, meeting=meeting)}


@router.post(M + "/topics/{int:topic_id}/notes", response={201: NoteOut, **ERRORS},
             summary="A department's viewpoint (department defaults to yours)")
def note_add(request, meeting_id: int, topic_id: int, payload: NoteIn):
    meeting = _writable(request, meeting_id)
    department = in_org(Department, meeting.organisation, payload.department_id, "department_id")
    with api_field_names(*REF_FIELDS):
        note = services.note_add(actor=request.auth, meeting=meeting, topic=_topic(meeting, topic_id),
                                 text=payload.text, department=department)
    return Status(201, _note(note, meeting.organisation))


def _disagreement_data(org, payload):
    return {"subject": payload.subject, "parties": payload.parties, "positions": payload.positions,
            "path": payload.path or "", "escalate_to": _person(org, payload.escalate_to_id, "escalate_to_id"),
            "owner": _person(org, payload.owner_id, "owner_id"), "data_needed": payload.data_needed,
            "due": payload.due}


@router.post(M + "/topics/{int:topic_id}/disagreements", response={201: DisagreementOut, **ERRORS},
             summary="A disagreement with its resolution path; the data path becomes an action item")
def disagreement_add(request, meeting_id: int, topic_id: int, payload: DisagreementIn):
    meeting = _writable(request, meeting_id)
    with api_field_names(*REF_FIELDS):
        dis = services.disagreement_save(
            actor=request.auth, meeting=meeting, topic=_topic(meeting, topic_id),
            data=_disagreement_data(meeting.organisation, payload), owner_confirmed=payload.owner_confirmed)
    return Status(201, dis)


@router.put(M + "/disagreements/{int:row_id}", response={200: DisagreementOut, **ERRORS},
            summary="Change a disagreement (all fields)")
def disagreement_edit(request, meeting_id: int, row_id: int, payload: DisagreementIn):
    meeting = _writable(request, meeting_id)
    dis = get_object_or_404(Disagreement.objects.select_related("topic"), pk=row_id, record__meeting=meeting)
    with api_field_names(*REF_FIELDS):
        return services.disagreement_save(
            actor=request.auth, meeting=meeting, topic=dis.topic, disagreement=dis,
            data=_disagreement_data(meeting.organisation, payload), owner_confirmed=payload.owner_confirmed)


def _decision_data(org, payload):
    return {"text": payload.text, "decided_by": _person(org, payload.decided_by_id, "decided_by_id"),
            "no_objection": payload.no_objection, "no_action_needed": payload.no_action_needed}


@router.post(M + "/topics/{int:topic_id}/decisions", response={201: DecisionOut, **ERRORS},
             summary="A decision: text, who decided, no objection, or no action needed")
def decision_add(request, meeting_id: int, topic_id: int, payload: DecisionIn):
    meeting = _writable(request, meeting_id)
    with api_field_names(*REF_FIELDS):
        dec = services.decision_save(actor=request.auth, meeting=meeting, topic=_topic(meeting, topic_id),
                                     data=_decision_data(meeting.organisation, payload))
    return Status(201, dec)


@router.put(M + "/decisions/{int:row_id}", response={200: DecisionOut, **ERRORS}, summary="Change a decision")
def decision_edit(request, meeting_id: int, row_id: int, payload: DecisionIn):
    meeting = _writable(request, meeting_id)
    dec = get_object_or_404(Decision.objects.select_related("topic"), pk=row_id, record__meeting=meeting)
    with api_field_names(*REF_FIELDS):
        return services.decision_save(actor=request.auth, meeting=meeting, topic=dec.topic, decision=dec,
                                      data=_decision_data(meeting.organisation, payload))


ROWS = {"notes": Note, "disagreements": Disagreement, "decisions": Decision}


def _row_delete(request, meeting_id, kind, row_id):
    meeting = _writable(request, meeting_id)
    if kind not in ROWS:
        raise Http404
    row = get_object_or_404(ROWS[kind], pk=row_id, record__meeting=meeting)
    services.record_row_delete(actor=request.auth, meeting=meeting, row=row)
    return Status(204, None)


# Decisions and disagreements have their own path (shared with their PUT), which Django matches before the
# generic one below: each needs its DELETE there, or it would answer 405.
@router.delete(M + "/decisions/{int:row_id}", response={204: None, **ERRORS}, summary="Delete a decision")
def decision_delete(request, meeting_id: int, row_id: int):
    return _row_delete(request, meeting_id, "decisions", row_id)


@router.delete(M + "/disagreements/{int:row_id}", response={204: None, **ERRORS}, summary="Delete a disagreement")
def disagreement_delete(request, meeting_id: int, row_id: int):
    return _row_delete(request, meeting_id, "disagreements", row_id)


@router.delete(M + "/{kind}/{int:row_id}", response={204: None, **ERRORS},
               summary="Delete a note, disagreement or decision recorded by mistake")
def row_delete(request, meeting_id: int, kind: str, row_id: int):
    return _row_delete(request, meeting_id, kind, row_id)


def _item_out(item):
    findings = getattr(item, "findings", [])
    item = ActionItem.objects.select_related("owner", "department").prefetch_related("collaborators").get(pk=item.pk)
    item.findings = findings
    return item


@router.post(M + "/topics/{int:topic_id}/action-items", response={201: ItemOut, **ERRORS},
             summary="An action item agreed on the topic; blocking SMART findings answer 422 naming the field")
def item_add(request, meeting_id: int, topic_id: int, payload: ItemIn):
    meeting = _writable(request, meeting_id)
    topic = _topic(meeting, topic_id)
    org = meeting.organisation
    data = {
        "task": payload.task, "owner": _person(org, payload.owner_id, "owner_id"),
        "department": in_org(Department, org, payload.department_id, "department_id"),
        "collaborators": [_person(org, pk, "collaborator_ids") for pk in dict.fromkeys(payload.collaborator_ids)],
        "deliverable": payload.deliverable, "due": payload.due, "support_needed": payload.support_needed,
        "owner_confirmed": payload.owner_confirmed,
    }
    decision = None
    if payload.decision_id is not None:
        decision = Decision.objects.filter(pk=payload.decision_id, record__meeting=meeting).first()
        if decision is None:
            raise unknown_ref("decision_id", payload.decision_id)
    with api_field_names(*REF_FIELDS):
        item = services_items.record_item_add(actor=request.auth, meeting=meeting, topic=topic, data=data,
                                              decision=decision)
    return Status(201, _item_out(item))


@router.post(M + "/action-items/{int:item_id}/confirm", response={200: ItemOut, **ERRORS},
             summary="Record that the owner confirmed the item")
def item_confirm(request, meeting_id: int, item_id: int):
    meeting = _writable(request, meeting_id)
    item = get_object_or_404(ActionItem, pk=item_id, meeting=meeting)
    return _item_out(services_items.record_item_confirm(actor=request.auth, meeting=meeting, item=item))


@router.post(M + "/topics/{int:topic_id}/timer", response={200: TimerOut, **ERRORS},
             summary="Start or stop the topic's timer (starting one stops the others)")
def timer(request, meeting_id: int, topic_id: int, payload: TimerIn):
    meeting = _writable(request, meeting_id)
    topic = _topic(meeting, topic_id)
    services.topic_timer(actor=request.auth, topic=topic, action=payload.action)
    return _timer(topic_view(meeting, record_of(meeting), topic), meeting.organisation)


@router.put(M + "/topics/{int:topic_id}/no-decision-reason", response={200: ReasonIn, **ERRORS},
            summary="Why a decide topic reached no decision")
def no_decision_reason(request, meeting_id: int, topic_id: int, payload: ReasonIn):
    meeting = _writable(request, meeting_id)
    state = services.topic_no_decision_reason(actor=request.auth, topic=_topic(meeting, topic_id),
                                              reason=payload.reason)
    return {"reason": state.no_decision_reason}


def _review_item(meeting, item_id):
    return get_object_or_404(open_items_for_review(meeting), pk=item_id)


def _review_out(item):
    return {"id": item.pk, "meeting_id": item.meeting_id, "task": item.task, "owner": item.owner, "due": item.due,
            "status": item.status, "progress": item.progress, "overdue": False, "can_update": True}


@router.post(M + "/review/{int:item_id}/status", response={200: ReviewItemOut, **ERRORS},
             summary="Update an earlier meeting's open item: a delay needs reason and new_due")
def review_status(request, meeting_id: int, item_id: int, payload: ReviewStatusIn):
    meeting = _writable(request, meeting_id)
    item = services_items.record_review_status(
        actor=request.auth, meeting=meeting, item=_review_item(meeting, item_id), status=payload.status,
        reason=payload.reason, new_due=payload.new_due, note=payload.note)
    return _review_out(item)


@router.post(M + "/review/{int:item_id}/progress", response={200: ReviewItemOut, **ERRORS},
             summary="Report an earlier meeting's open item's progress")
def review_progress(request, meeting_id: int, item_id: int, payload: ReviewProgressIn):
    meeting = _writable(request, meeting_id)
    item = services_items.record_review_progress(
        actor=request.auth, meeting=meeting, item=_review_item(meeting, item_id), percent=payload.percent,
        note=payload.note)
    return _review_out(item)


@router.get(M + "/loop-check", response={200: list[OpenPointOut], 404: ErrorOut},
            summary="The open points before the meeting can be closed")
def loop_check(request, meeting_id: int):
    return [p.as_dict() for p in loop_check_for(meeting_for_user(request.auth, meeting_id))]


@router.post(M + "/close", response={200: RecordOut, 403: ErrorOut, 404: ErrorOut, 422: LoopOpenOut},
             summary="Close after the loop check; open points answer 422 (force closes where the policy warns)")
def close(request, meeting_id: int, payload: CloseIn):
    meeting = _writable(request, meeting_id)
    try:
        services.record_close(actor=request.auth, meeting=meeting, force=payload.force)
    except services.LoopOpen as exc:
        detail = _("Open points: close with force=true to close anyway.") if exc.can_force else _(
            "Open points: the policy does not allow closing until they are resolved.")
        return Status(422, {"detail": detail, "errors": {"loop": [p.message for p in exc.points]}, "mode": exc.mode,
                             "can_force": exc.can_force, "open_points": [p.as_dict() for p in exc.points]})
    return _record_out(request, meeting)
