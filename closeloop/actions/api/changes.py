"""API: changes of date or scope. The owner asks (POST /{item_id}/changes); the initiator accepts or refuses
(POST /changes/{id}/accept|refuse); the owner may withdraw. Hidden items and their changes answer 404."""

from django.http import Http404
from ninja import Body, Router, Status
from ninja.pagination import paginate

from closeloop.actions.api.schemas import ChangeIn, ChangeOut, DecisionIn
from closeloop.actions.models import ChangeRequest
from closeloop.actions.selectors.items import item_for_user
from closeloop.actions.selectors.lists import changes_awaiting_qs
from closeloop.actions.services import changes as services_change
from closeloop.lib.pagination import CappedCountPagination
from closeloop.org.api.schemas import ErrorOut

router = Router(tags=["action items"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _change(request, change_id):
    change = ChangeRequest.objects.filter(pk=change_id).first()
    if change is None:
        raise Http404
    item_for_user(request.auth, change.item_id)  # 404 when the caller may not see the item
    return change


def _fresh(change):
    return ChangeRequest.objects.select_related("requested_by", "decided_by").get(pk=change.pk)


@router.get("/changes/awaiting", response=list[ChangeOut],
            summary="Changes waiting for your answer as initiator, oldest first (paged)")
@paginate(CappedCountPagination)
def changes_waiting(request):
    return changes_awaiting_qs(request.auth)


@router.get("/{int:item_id}/changes", response={200: list[ChangeOut], 404: ErrorOut},
            summary="An item's change requests, latest first (paged)")
@paginate(CappedCountPagination)
def item_changes(request, item_id: int):
    item = item_for_user(request.auth, item_id)
    return item.change_requests.select_related("requested_by", "decided_by").order_by("-created_at", "-id")


@router.post("/{int:item_id}/changes", response={201: ChangeOut, **ERRORS},
             summary="The owner asks to change the due date and/or the scope, with a reason")
def change_ask(request, item_id: int, payload: ChangeIn):
    item = item_for_user(request.auth, item_id)
    change = services_change.change_request_ask(
        actor=request.auth, item=item, reason=payload.reason, new_due=payload.new_due, new_task=payload.new_task,
        new_deliverable=payload.new_deliverable)
    return Status(201, _fresh(change))


@router.post("/changes/{int:change_id}/accept", response={200: ChangeOut, **ERRORS},
             summary="The initiator accepts: the change is applied to the item")
def change_accept(request, change_id: int, payload: Body[DecisionIn | None] = None):
    change = services_change.change_request_accept(actor=request.auth, change=_change(request, change_id),
                                                   comment=payload.comment if payload else "")
    return _fresh(change)


@router.post("/changes/{int:change_id}/refuse", response={200: ChangeOut, **ERRORS},
             summary="The initiator refuses, with a comment; the item stays as it was")
def change_refuse(request, change_id: int, payload: DecisionIn):
    change = services_change.change_request_refuse(actor=request.auth, change=_change(request, change_id),
                                                   comment=payload.comment)
    return _fresh(change)


@router.post("/changes/{int:change_id}/withdraw", response={200: ChangeOut, **ERRORS},
             summary="The owner withdraws a change not yet answered")
def change_withdraw(request, change_id: int):
    change = services_change.change_request_withdraw(actor=request.auth, change=_change(request, change_id))
    return _fresh(change)
