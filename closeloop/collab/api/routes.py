"""API for collaboration requests under /api/v1/requests.

Every endpoint finds the request through request_for_user (404 for anyone not entitled) and writes
through the services (403 for people who may see but not act). Errors name the field.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from closeloop.lib.apiutil import aware, in_org, org_of, organisation_tz, unknown_ref
from closeloop.lib.office import DOCX_CONTENT_TYPE
from closeloop.lib.pagination import CappedCountPagination, MarkedRows, first_rows
from closeloop.org.api.schemas import ErrorOut
from closeloop.org.models import Department, Person, Project

from .. import exports, services
from ..selectors import (
    linked_decisions,
    linked_meetings,
    request_detail,
    request_for_user,
    request_list,
    request_story,
)
from .schemas import (
    AnswerIn,
    DecisionRef,
    EventOut,
    MeetingPlanIn,
    MeetingRef,
    NoteIn,
    ReplyIn,
    RequestFilter,
    RequestIn,
    RequestListOut,
    RequestOut,
    RequestPatch,
    WithdrawIn,
)

router = Router(tags=["requests"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _today(person):
    return timezone.localtime(timezone.now(), organisation_tz(person.organisation)).date()


def _mark_overdue(request, today):
    for receipt in request.receipts.all():
        receipt.overdue = receipt.state == "pending" and receipt.answer_due is not None and receipt.answer_due < today
    return request


def _meetings(request, person):
    return linked_meetings(request, person).prefetch_related(None)  # the API shows no minutes


def _detail(http, request, warnings=()):
    """The request with the first rows of its lists that grow (the latest of its story) and their counts."""
    request = _mark_overdue(request_detail(request, with_story=False), _today(http.auth))
    latest, request.events_count = first_rows(request_story(request).reverse())
    request.story = latest[::-1]
    meetings, request.meetings_count = first_rows(_meetings(request, http.auth))
    request.meetings = [MeetingRef.from_orm(m) for m in meetings]
    request.decisions, request.decisions_count = first_rows(linked_decisions(request, http.auth))
    request.warnings = [{"field": w.field, "message": w.message} for w in warnings]
    return request


@router.get("", response=list[RequestListOut], summary="Requests you may see, newest first")
@paginate(CappedCountPagination)
def requests_list(request, filters: Query[RequestFilter]):
    org_of(request.auth)
    tab = "mine" if filters.mine else "to_answer" if filters.to_answer else ""
    today = _today(request.auth)
    rows = request_list(request.auth, tab=tab, state=filters.state or "", overdue=filters.overdue, today=today)
    return MarkedRows(rows, lambda r: _mark_overdue(r, today))


@router.post("", response={201: RequestOut, **ERRORS}, summary="Send a request to one or more departments")
def request_create(request, payload: RequestIn):
    org = org_of(request.auth)
    data = payload.dict()
    departments = [in_org(Department, org, pk, "receiving_departments") for pk in data.pop("receiving_departments")]
    viewers = [in_org(Person, org, pk, "viewers") for pk in data.pop("viewers")]
    data["project"] = in_org(Project, org, data.pop("project"), "project")
    created, warnings = services.request_create(actor=request.auth, data=data, receiving_departments=departments,
                                                viewers=viewers)
    return 201, _detail(request, created, warnings)


@router.get("/{request_id}", response={200: RequestOut, 404: ErrorOut},
            summary="A request, the latest steps of its story, its first meetings and decisions")
def request_get(request, request_id: int):
    return _detail(request, request_for_user(request.auth, request_id))


@router.get("/{request_id}/events", response={200: list[EventOut], 404: ErrorOut},
            summary="A request's whole story, oldest first (paged)")
@paginate(CappedCountPagination)
def request_events(request, request_id: int):
    return request_story(request_for_user(request.auth, request_id))


@router.get("/{request_id}/meetings", response={200: list[MeetingRef], 404: ErrorOut},
            summary="The request's meetings you may see, by start (paged)")
@paginate(CappedCountPagination)
def request_meetings(request, request_id: int):
    return _meetings(request_for_user(request.auth, request_id), request.auth)


@router.get("/{request_id}/decisions", response={200: list[DecisionRef], 404: ErrorOut},
            summary="The decisions taken in those meetings, in meeting order (paged)")
@paginate(CappedCountPagination)
def request_decisions(request, request_id: int):
    return linked_decisions(request_for_user(request.auth, request_id), request.auth)


@router.patch("/{request_id}", response={200: RequestOut, 409: ErrorOut, **ERRORS},
              summary="Change what is asked; send the version you read")
def request_update(request, request_id: int, payload: RequestPatch):
    found = request_for_user(request.auth, request_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    updated = services.request_update(actor=request.auth, request=found, data=data, version=version)
    return _detail(request, updated)


@router.post("/{request_id}/answer", response={200: RequestOut, **ERRORS},
             summary="Answer for a receiving department: accept, clarify (a question) or difficulty")
def request_answer(request, request_id: int, payload: AnswerIn):
    found = request_for_user(request.auth, request_id)
    data = payload.dict()
    _receipt, warnings = services.request_answer(
        actor=request.auth, request=found, department=data["department"], answer=data["answer"], note=data["note"],
        missing=data["missing"], proposed_date=data["proposed_date"], resource_request=data["resource_request"])
    return _detail(request, found, warnings)


@router.post("/{request_id}/reply", response={200: RequestOut, **ERRORS},
             summary="The initiator answers a department's question; its clock resumes")
def request_reply(request, request_id: int, payload: ReplyIn):
    found = request_for_user(request.auth, request_id)
    services.request_reply(actor=request.auth, request=found, department=payload.department, note=payload.note)
    return _detail(request, found)


@router.post("/{request_id}/escalate", response={200: RequestOut, **ERRORS},
             summary="Escalate every department that has not answered to the head above and the PMO")
def request_escalate(request, request_id: int, payload: NoteIn):
    found = request_for_user(request.auth, request_id)
    services.request_escalate(actor=request.auth, request=found, note=payload.note)
    return _detail(request, found)


@router.post("/{request_id}/withdraw", response={200: RequestOut, **ERRORS}, summary="Withdraw the request")
def request_withdraw(request, request_id: int, payload: WithdrawIn):
    found = request_for_user(request.auth, request_id)
    services.request_withdraw(actor=request.auth, request=found, reason=payload.reason)
    return _detail(request, found)


@router.post("/{request_id}/meetings", response={201: MeetingRef, **ERRORS},
             summary="Plan a meeting from the request (objective, both sides' people and materials prefilled)")
def request_plan_meeting(request, request_id: int, payload: MeetingPlanIn):
    found = request_for_user(request.auth, request_id)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    for name in ("start", "end"):
        data[name] = aware(data[name], found.organisation)
    meeting = services.request_plan_meeting(actor=request.auth, request=found, data=data)
    return 201, meeting


class MeetingLinkIn(Schema):
    meeting: int


@router.post("/{request_id}/meetings/link", response={201: MeetingRef, **ERRORS},
             summary="Attach an existing meeting (one you may see) to the request's story")
def request_link_meeting(request, request_id: int, payload: MeetingLinkIn):
    from closeloop.meetings.selectors import meeting_for_user

    found = request_for_user(request.auth, request_id)
    try:
        meeting = meeting_for_user(request.auth, payload.meeting)
    except Http404:
        raise unknown_ref("meeting", payload.meeting) from None
    services.request_link_meeting(actor=request.auth, request=found, meeting=meeting)
    return 201, meeting


def _export(http, request_id, extension, render, content_type):
    found = request_for_user(http.auth, request_id)
    language = http.auth.language or settings.LANGUAGE_CODE
    meetings = linked_meetings(found, http.auth).prefetch_related("participants__person__department")
    with translation.override(language):
        data = render(request_detail(found), list(meetings))
        name = exports.filename(found, extension)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _binary(content_type):
    return {"responses": {200: {"content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/{request_id}/record.docx", response={200: None, 404: ErrorOut}, openapi_extra=_binary(DOCX_CONTENT_TYPE),
            summary="The 跨部门沟通协作记录表 of the request (.docx)")
def record_docx(request, request_id: int):
    return _export(request, request_id, "docx", exports.record_docx, DOCX_CONTENT_TYPE)


@router.get("/{request_id}/record.xlsx", response={200: None, 404: ErrorOut},
            openapi_extra=_binary(exports.XLSX_CONTENT_TYPE), summary="The 跨部门沟通协作记录表 of the request (.xlsx)")
def record_xlsx(request, request_id: int):
    return _export(request, request_id, "xlsx", exports.record_xlsx, exports.XLSX_CONTENT_TYPE)
