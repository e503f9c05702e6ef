"""API for the agenda: the check, applying an order, and the agenda as .docx. Outsiders get 404."""

from django.utils import translation
from ninja import Router, Schema

from closeloop.lib.office import DOCX_CONTENT_TYPE, docx_response
from closeloop.meetings.agenda import agenda_check_for
from closeloop.meetings.exports import agenda_document
from closeloop.meetings.selectors import meeting_for_user
from closeloop.meetings.services import planning as services

router = Router(tags=["agenda"])


class FindingOut(Schema):
    rule: str
    severity: str
    message: str
    fix: str
    numbers: dict
    topic_id: int | None = None


class OrderReasonOut(Schema):
    topic_id: int
    reason: str


class AgendaCheckOut(Schema):
    blocking: bool
    findings: list[FindingOut]
    current_order: list[int]
    suggested_order: list[int]
    order_changed: bool
    order_reasons: list[OrderReasonOut]  # in the suggested order: why each topic goes where it goes
    topic_minutes: int
    meeting_minutes: int
    buffer_minutes: int


class ReorderIn(Schema):
    topic_ids: list[int]


def _language(request):
    # A token request has no session: speak the caller's own language, not the server default.
    return translation.override(getattr(request.auth, "language", None) or translation.get_language())


@router.get("/{int:meeting_id}/agenda-check", response=AgendaCheckOut)
def agenda_check(request, meeting_id: int):
    """The agenda check: findings (warn/block) with their numbers and fix, and the suggested topic order."""
    meeting = meeting_for_user(request.auth, meeting_id)
    with _language(request):
        return agenda_check_for(meeting).as_dict()


@router.post("/{int:meeting_id}/agenda/reorder", response=AgendaCheckOut)
def agenda_reorder(request, meeting_id: int, payload: ReorderIn):
    """Put the topics in this order (every topic id once); only the host, the recorder and admins may."""
    meeting = meeting_for_user(request.auth, meeting_id)
    with _language(request):
        services.topics_reorder(actor=request.auth, meeting=meeting, topic_ids=payload.topic_ids)
        return agenda_check_for(meeting).as_dict()


@router.get("/{int:meeting_id}/agenda.docx", openapi_extra={
    "responses": {200: {"description": "The agenda (议程表) in the caller's language",
                        "content": {DOCX_CONTENT_TYPE: {}}}}})
def agenda_docx(request, meeting_id: int):
    """The agenda (议程表) as a Word document in the caller's language."""
    meeting = meeting_for_user(request.auth, meeting_id)
    document, filename = agenda_document(meeting, viewer=request.auth)
    return docx_response(document, filename)
