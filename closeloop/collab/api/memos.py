"""API for the 跨部门协作备忘录 under /api/v1/memos: draft, edit (with the version), sign, return, amend, diff,
and the agreement as .docx. A memo is visible to whoever sees its request; everyone else gets 404."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from closeloop.lib.office import DOCX_CONTENT_TYPE
from closeloop.lib.pagination import CappedCountPagination
from closeloop.org.api.schemas import ErrorOut, NonBlank, PersonRef

from .. import exports, services
from ..choices import MemoState
from ..selectors import memo_diff, memo_for_user, memo_parties, memos_visible_to, request_for_user
from .schemas import Ref

router = Router(tags=["memos"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SignatureOut(Schema):
    department: Ref
    head: PersonRef | None
    signed_at: dt.datetime | None
    method: str
    comment: str

    @staticmethod
    def resolve_signed_at(obj):
        return obj.signed_at and timezone.localtime(obj.signed_at)


class MemoOut(Schema):
    id: int
    request: int = Field(..., alias="request_id")
    number: int
    state: MemoState
    content: dict
    previous: int | None = Field(None, alias="previous_id")
    amendment_reason: str
    signed_at: dt.datetime | None
    version: int
    signatures: list[SignatureOut]

    @staticmethod
    def resolve_signatures(obj):
        return list(obj.signatures.select_related("department", "head"))


class MemoCreateIn(Schema):
    request: int


class MemoPatch(Schema):
    version: int
    content: dict = Field(..., description="clauses (goal, consensus, deliverables, disagreements, dispute, "
                                           "validity) and parties: {department id: {rights, duties}}")


class SignIn(Schema):
    department: int | None = Field(None, description="which party you sign for, when you head several")
    comment: str = ""


class ReasonIn(Schema):
    reason: NonBlank


class DiffRow(Schema):
    key: str
    label: str
    changed: bool
    segments: list[dict]


class MemoFilter(Schema):
    request: int | None = None


@router.get("", response=list[MemoOut], summary="Memo versions you may see, by request, latest version first (paged)")
@paginate(CappedCountPagination)
def memos_list(request, filters: Query[MemoFilter]):
    qs = memos_visible_to(request.auth).prefetch_related("signatures__department", "signatures__head")
    if filters.request is not None:
        qs = qs.filter(request_id=filters.request)
    return qs.order_by("request_id", "-number", "-id")


@router.post("", response={201: MemoOut, **ERRORS}, summary="Draft a request's memo from the request and its minutes")
def memo_create(request, payload: MemoCreateIn):
    found = request_for_user(request.auth, payload.request)
    return 201, services.memo_create(actor=request.auth, request=found)


@router.get("/{memo_id}", response={200: MemoOut, 404: ErrorOut}, summary="One memo version")
def memo_get(request, memo_id: int):
    return memo_for_user(request.auth, memo_id)


@router.patch("/{memo_id}", response={200: MemoOut, 409: ErrorOut, **ERRORS},
              summary="Save the draft's clauses; send the version you read")
def memo_update(request, memo_id: int, payload: MemoPatch):
    memo = memo_for_user(request.auth, memo_id)
    return services.memo_save(actor=request.auth, memo=memo, content=payload.content, version=payload.version)


@router.post("/{memo_id}/submit", response={200: MemoOut, **ERRORS}, summary="Send the draft to each party's head")
def memo_submit(request, memo_id: int):
    memo = memo_for_user(request.auth, memo_id)
    return services.memo_submit(actor=request.auth, memo=memo)


@router.post("/{memo_id}/sign", response={200: MemoOut, **ERRORS}, summary="Sign for your department")
def memo_sign(request, memo_id: int, payload: SignIn):
    memo = memo_for_user(request.auth, memo_id)
    mine = [s for s in memo.signatures.select_related("department")
            if request.auth.pk in (s.head_id, s.department.head_id)
            and (payload.department is None or s.department_id == payload.department)]
    if not mine:
        raise PermissionDenied(_("You do not sign for any party of this memo."))
    services.memo_sign(signature=mine[0], actor=request.auth, comment=payload.comment)
    return memo_for_user(request.auth, memo_id)


@router.post("/{memo_id}/return", response={200: MemoOut, **ERRORS}, summary="Return the memo to draft")
def memo_return(request, memo_id: int, payload: ReasonIn):
    memo = memo_for_user(request.auth, memo_id)
    return services.memo_return(actor=request.auth, memo=memo, reason=payload.reason)


@router.post("/{memo_id}/amend", response={201: MemoOut, **ERRORS}, summary="Amend a signed memo as a new version")
def memo_amend(request, memo_id: int, payload: ReasonIn):
    memo = memo_for_user(request.auth, memo_id)
    return 201, services.memo_amend(actor=request.auth, memo=memo, reason=payload.reason)


@router.get("/{memo_id}/diff", response={200: list[DiffRow], 404: ErrorOut},
            summary="Changes since the previous version, clause by clause")
def memo_diff_view(request, memo_id: int):
    memo = memo_for_user(request.auth, memo_id)
    if memo.previous_id is None:
        return []
    rows = memo_diff(memo.previous, memo, memo_parties(memo.request))
    return [{**row, "segments": [{"kind": s.kind, "text": s.text} for s in row["segments"]]} for row in rows]


@router.get("/{memo_id}/memo.docx", response={200: None, 404: ErrorOut}, summary="The memo as an agreement (.docx)",
            openapi_extra={"responses": {200: {"content": {DOCX_CONTENT_TYPE: {
                "schema": {"type": "string", "format": "binary"}}}}}})
def memo_docx(request, memo_id: int):
    memo = memo_for_user(request.auth, memo_id)
    data = exports.memo_docx(memo, memo_parties(memo.request), list(memo.signatures.select_related("department",
                                                                                                     "head")))
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, exports.memo_filename(memo))
    return response
