"""API for the progress sync of a request under /api/v1/retrospectives/progress/{request_id}: the timeline, posting an
update, asking for a change of the request and answering it. The request's visibility applies (404)."""

from ninja import Router

from closeloop.collab.selectors import request_for_user
from closeloop.org.api.schemas import ErrorOut

from .. import services
from ..selectors import progress_timeline, request_changes, retro_policy_for
from .schemas import ChangeAnswerIn, ChangeIn, ChangeOut, ProgressIn, ProgressOut, TimelineOut

router = Router(tags=["retrospectives"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/{request_id}", response={200: TimelineOut, 404: ErrorOut},
            summary="A request's progress timeline and its changes, for the initiator and both sides")
def timeline(request, request_id: int):
    found = request_for_user(request.auth, request_id)
    updates = list(progress_timeline(found))
    risks = [u for u in updates if u.early_warning is not None]
    return {"request": found.pk, "cadence": retro_policy_for(found.organisation).progress_cadence,
            "early_warnings": sum(1 for u in risks if u.early_warning),
            "late_warnings": sum(1 for u in risks if not u.early_warning),
            "updates": updates, "changes": list(request_changes(found))}


@router.post("/{request_id}/updates", response={201: ProgressOut, **ERRORS},
             summary="Post a progress update: % done, what was done, next steps, risks")
def progress_post(request, request_id: int, payload: ProgressIn):
    found = request_for_user(request.auth, request_id)
    return 201, services.progress_post(actor=request.auth, request=found, data=payload.dict())


@router.post("/{request_id}/changes", response={201: ChangeOut, **ERRORS},
             summary="The initiator asks to change the wanted date or scope; every receiving department must agree")
def change_ask(request, request_id: int, payload: ChangeIn):
    found = request_for_user(request.auth, request_id)
    return 201, services.request_change_ask(actor=request.auth, request=found, data=payload.dict())


def _change(found, change_id):
    from django.http import Http404

    change = found.changes.filter(pk=change_id).first()
    if change is None:
        raise Http404
    return change


@router.post("/{request_id}/changes/{change_id}/answer", response={200: ChangeOut, **ERRORS},
             summary="A receiving department agrees to or refuses the change (a refusal needs a comment)")
def change_answer(request, request_id: int, change_id: int, payload: ChangeAnswerIn):
    found = request_for_user(request.auth, request_id)
    change = services.request_change_answer(actor=request.auth, change=_change(found, change_id),
                                            department=payload.department, answer=payload.answer,
                                            comment=payload.comment)
    return request_changes(found).get(pk=change.pk)


@router.post("/{request_id}/changes/{change_id}/withdraw", response={200: ChangeOut, **ERRORS},
             summary="The initiator withdraws a change still waiting for answers")
def change_withdraw(request, request_id: int, change_id: int):
    found = request_for_user(request.auth, request_id)
    change = services.request_change_withdraw(actor=request.auth, change=_change(found, change_id))
    return request_changes(found).get(pk=change.pk)
