"""API for retrospectives under /api/v1/retrospectives.

Every endpoint finds the retrospective (or the request) through a permission-aware selector (404 for anyone not
entitled) and writes through the services (403 for people who may see but not act). Errors name the field.
"""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from ninja import Router
from ninja.pagination import paginate

from closeloop.collab.selectors import request_for_user
from closeloop.lib.apiutil import aware, in_org, org_of
from closeloop.lib.office import DOCX_CONTENT_TYPE, docx_response
from closeloop.lib.pagination import CappedCountPagination
from closeloop.org.api.schemas import ErrorOut
from closeloop.org.models import Person

from .. import exports, services
from ..facts import retrospective_facts
from ..selectors import open_improvements, retrospective_detail, retrospective_for_user, retrospectives_visible_to
from .schemas import (
    CompleteIn,
    ImprovementIn,
    ImprovementOut,
    MeetingRef,
    OpenImprovementOut,
    PlanIn,
    RetrospectiveListOut,
    RetrospectiveOut,
    RetrospectivePatch,
)

router = Router(tags=["retrospectives"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _detail(retrospective, warnings=()):
    retrospective = retrospective_detail(retrospective)
    if not retrospective.facts:
        retrospective.facts = retrospective_facts(retrospective.request)
    retrospective.warnings = list(warnings)
    return retrospective


@router.get("", response=list[RetrospectiveListOut], summary="Retrospectives you may see, newest first")
@paginate(CappedCountPagination)
def retrospectives_list(request):
    org_of(request.auth)
    return retrospectives_visible_to(request.auth).select_related("request").order_by("-completed_at", "-id")


@router.get("/improvements", response=list[OpenImprovementOut],
            summary="Every open improvement measure of the organisation (those you may see), by due date")
@paginate(CappedCountPagination)
def improvements_open(request):
    org_of(request.auth)
    return open_improvements(request.auth)


@router.post("", response={201: RetrospectiveOut, **ERRORS},
             summary="Mark a request complete (every item done or cancelled); the retrospective deadline starts")
def request_complete(request, payload: CompleteIn):
    org_of(request.auth)
    found = request_for_user(request.auth, payload.request)  # a request you may not see: 404, as everywhere
    retrospective = services.request_complete(actor=request.auth, request=found)
    return 201, _detail(retrospective)


@router.get("/{retro_id}", response={200: RetrospectiveOut, 404: ErrorOut},
            summary="A retrospective: goals and results, prefilled facts, measures, readers")
def retrospective_get(request, retro_id: int):
    return _detail(retrospective_for_user(request.auth, retro_id))


@router.patch("/{retro_id}", response={200: RetrospectiveOut, 409: ErrorOut, **ERRORS},
              summary="Record the findings (goals, good practices, bottlenecks); send the version you read")
def retrospective_update(request, retro_id: int, payload: RetrospectivePatch):
    retrospective = retrospective_for_user(request.auth, retro_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if data.get("goals") is not None:
        data["goals"] = [{**g, "result": g.get("result") or ""} for g in data["goals"]]
    services.retrospective_update(actor=request.auth, retrospective=retrospective, data=data, version=version)
    return _detail(retrospective)


@router.post("/{retro_id}/meeting", response={201: MeetingRef, **ERRORS},
             summary="Plan the retrospective meeting: both sides invited, the three questions as topics")
def retrospective_plan(request, retro_id: int, payload: PlanIn):
    retrospective = retrospective_for_user(request.auth, retro_id)
    organisation = retrospective.request.organisation
    data = {**payload.dict(), "start": aware(payload.start, organisation), "end": aware(payload.end, organisation)}
    meeting, warnings = services.retrospective_plan_meeting(actor=request.auth, retrospective=retrospective,
                                                            data=data)
    meeting.warnings = warnings
    return 201, meeting


@router.post("/{retro_id}/improvements", response={201: ImprovementOut, **ERRORS},
             summary="Add an improvement measure (owner, due date, deliverable)")
def improvement_add(request, retro_id: int, payload: ImprovementIn):
    retrospective = retrospective_for_user(request.auth, retro_id)
    organisation = retrospective.request.organisation
    data = payload.dict()
    data["owner"] = in_org(Person, organisation, data["owner"], "owner")
    return 201, services.improvement_add(actor=request.auth, retrospective=retrospective, data=data)


@router.delete("/{retro_id}/improvements/{improvement_id}", response={204: None, **ERRORS},
               summary="Remove a measure before the report is sent")
def improvement_remove(request, retro_id: int, improvement_id: int):
    retrospective = retrospective_for_user(request.auth, retro_id)
    improvement = retrospective.improvements.filter(pk=improvement_id).first()
    if improvement is None:
        raise Http404
    services.improvement_remove(actor=request.auth, improvement=improvement)
    return 204, None


@router.post("/{retro_id}/send", response={200: RetrospectiveOut, **ERRORS},
             summary="Approve and send the 协作复盘报告; the measures become improvement action items")
def retrospective_send(request, retro_id: int):
    retrospective = retrospective_for_user(request.auth, retro_id)
    services.retrospective_send(actor=request.auth, retrospective=retrospective)
    return _detail(retrospective)


@router.post("/{retro_id}/acknowledge", response={200: RetrospectiveOut, **ERRORS},
             summary="A reader (department head, management group) acknowledges reading the report")
def retrospective_acknowledge(request, retro_id: int):
    retrospective = retrospective_for_user(request.auth, retro_id)
    services.report_acknowledge(actor=request.auth, retrospective=retrospective)
    return _detail(retrospective)


def _binary(content_type):
    return {"responses": {200: {"content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/{retro_id}/report.docx", response={200: None, 404: ErrorOut},
            openapi_extra=_binary(DOCX_CONTENT_TYPE), summary="The 协作复盘报告 (.docx)")
def report_docx(request, retro_id: int):
    retrospective = retrospective_for_user(request.auth, retro_id)
    language = request.auth.language or settings.LANGUAGE_CODE
    with translation.override(language):
        document = exports.report_document(retrospective, language=language)
        return docx_response(document, exports.report_filename(retrospective))
