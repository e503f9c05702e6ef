"""API for 资源申请表 / 预算审批单 under /api/v1/resource-requests: ask, approve or return step by step,
resend after a return (with the version), and the form as .docx / .xlsx. 404 for whoever may not see the
request it belongs to."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from closeloop.lib.office import DOCX_CONTENT_TYPE
from closeloop.lib.pagination import CappedCountPagination
from closeloop.org.api.schemas import ErrorOut, NonBlank, PersonRef

from .. import exports, services
from ..choices import ApprovalRole, BudgetCategory, ResourceState
from ..selectors import request_decisions, request_for_user, resource_for_user, resource_requests_visible_to
from .schemas import Ref

router = Router(tags=["resource requests"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PeopleRow(Schema):
    role: NonBlank
    count: int = Field(..., ge=1)
    period: str = ""


class ApprovalOut(Schema):
    round: int
    step: int
    role: ApprovalRole
    decision: str
    reason: str
    approver: PersonRef | None
    at: dt.datetime

    @staticmethod
    def resolve_at(obj):
        return timezone.localtime(obj.at)


class ResourceOut(Schema):
    id: int
    request: int = Field(..., alias="request_id")
    department: Ref
    requested_by: PersonRef
    title: str
    reason: str
    people: list[dict]
    equipment: str
    budget_amount: Decimal
    budget_category: str
    period_start: dt.date | None
    period_end: dt.date | None
    decision: int | None = Field(None, alias="decision_id", description="The decision of the request's meeting "
                                 "it is tied to, if any.")
    decision_text: str = ""
    state: ResourceState
    chain: list[str]
    current_step: str
    round: int
    version: int
    approvals: list[ApprovalOut]

    @staticmethod
    def resolve_decision_text(obj):
        return obj.decision.text if obj.decision_id else ""

    @staticmethod
    def resolve_current_step(obj):
        return obj.current_role

    @staticmethod
    def resolve_approvals(obj):
        return list(obj.approvals.select_related("approver"))


DECISION_HELP = "A decision taken in one of the request's meetings that this asks resources for (optional)."


class ResourceIn(Schema):
    request: int
    decision_id: int | None = Field(None, description=DECISION_HELP)
    title: NonBlank = Field(..., max_length=200)
    reason: NonBlank
    people: list[PeopleRow] = Field(default_factory=list)
    equipment: str = ""
    budget_amount: Decimal = Field(Decimal(0), ge=0, decimal_places=2)
    budget_category: BudgetCategory | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class ResubmitIn(Schema):
    version: int
    decision_id: int | None = Field(None, description=DECISION_HELP)
    title: NonBlank | None = Field(None, max_length=200)
    reason: NonBlank | None = None
    people: list[PeopleRow] | None = None
    equipment: str | None = None
    budget_amount: Decimal | None = Field(None, ge=0, decimal_places=2)
    budget_category: BudgetCategory | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class DecisionIn(Schema):
    reason: str = ""
    version: int | None = None


class ResourceFilter(Schema):
    request: int | None = None
    state: ResourceState | None = None


@router.get("", response=list[ResourceOut], summary="Resource requests you may see, newest first (paged)")
@paginate(CappedCountPagination)
def resources_list(request, filters: Query[ResourceFilter]):
    qs = resource_requests_visible_to(request.auth).select_related("department", "requested_by")
    if filters.request is not None:
        qs = qs.filter(request_id=filters.request)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-created_at", "-id")


@router.post("", response={201: ResourceOut, **ERRORS}, summary="Ask for people, equipment or budget for a request")
def resource_create(request, payload: ResourceIn):
    found = request_for_user(request.auth, payload.request)
    data = payload.dict(exclude={"request"})
    data["budget_category"] = data["budget_category"] or ""
    data["decision"] = _decision(found, data.pop("decision_id"))
    return 201, services.resource_request_create(actor=request.auth, request=found, data=data)


def _decision(found, decision_id):
    """The decision of one of the request's meetings, or a 422 naming the field."""
    if decision_id is None:
        return None
    decision = request_decisions(found).filter(pk=decision_id).first()
    if decision is None:
        raise ValidationError({"decision_id": _("Choose a decision taken in one of this request's meetings.")})
    return decision


@router.get("/{resource_id}", response={200: ResourceOut, 404: ErrorOut}, summary="One resource request")
def resource_get(request, resource_id: int):
    return resource_for_user(request.auth, resource_id)


@router.post("/{resource_id}/approve", response={200: ResourceOut, 409: ErrorOut, **ERRORS},
             summary="Approve the current step (its approver only)")
def resource_approve(request, resource_id: int, payload: DecisionIn):
    found = resource_for_user(request.auth, resource_id)
    return services.resource_approve(actor=request.auth, resource_request=found, reason=payload.reason,
                                     version=payload.version)


@router.post("/{resource_id}/return", response={200: ResourceOut, 409: ErrorOut, **ERRORS},
             summary="Return the request with a reason (the current step's approver only)")
def resource_return(request, resource_id: int, payload: DecisionIn):
    found = resource_for_user(request.auth, resource_id)
    return services.resource_return(actor=request.auth, resource_request=found, reason=payload.reason,
                                    version=payload.version)


@router.post("/{resource_id}/resubmit", response={200: ResourceOut, 409: ErrorOut, **ERRORS},
             summary="Change a returned request and send it again; send the version you read")
def resource_resubmit(request, resource_id: int, payload: ResubmitIn):
    found = resource_for_user(request.auth, resource_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "decision_id" in data:
        data["decision"] = _decision(found.request, data.pop("decision_id"))
    return services.resource_resubmit(actor=request.auth, resource_request=found, data=data, version=version)


def _binary(content_type):
    return {"responses": {200: {"content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


def _file(request, resource_id, extension, render, content_type):
    found = resource_for_user(request.auth, resource_id)
    with translation.override(request.auth.language or None):
        data, name = render(found), exports.resource_filename(found, extension)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@router.get("/{resource_id}/form.docx", response={200: None, 404: ErrorOut}, openapi_extra=_binary(DOCX_CONTENT_TYPE),
            summary="The 资源申请表 / 预算审批单 with its approvals (.docx)")
def resource_docx(request, resource_id: int):
    return _file(request, resource_id, "docx", exports.resource_docx, DOCX_CONTENT_TYPE)


@router.get("/{resource_id}/form.xlsx", response={200: None, 404: ErrorOut},
            openapi_extra=_binary(exports.XLSX_CONTENT_TYPE), summary="The same as a workbook (.xlsx)")
def resource_xlsx(request, resource_id: int):
    return _file(request, resource_id, "xlsx", exports.resource_xlsx, exports.XLSX_CONTENT_TYPE)
