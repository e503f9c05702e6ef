"""API for follow-ups (mounted at /actions beside the action items): the owner raises a risk.

An item the caller may not see answers 404; seeing it without owning it answers 403.
"""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from closeloop.actions.selectors.items import item_for_user
from closeloop.followup.services import action_item_raise_risk
from closeloop.org.api.schemas import ErrorOut

router = Router(tags=["follow-ups"])


class RiskIn(Schema):
    note: str = Field(..., max_length=4000, description="The risk, and the support needed")


class PersonRef(Schema):
    id: int
    name: str


class RiskOut(Schema):
    event_id: int
    item_id: int
    workdays_left: int | None = Field(None, description="Working days from today to the due date")
    late: bool = Field(description="Raised later than the policy's risk warning lead time")
    notified: list[PersonRef]
    message: str


@router.post("/{int:item_id}/risk", response={201: RiskOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Raise a risk on your item: the meeting's host and the initiator are told at once")
def raise_risk(request, item_id: int, payload: RiskIn):
    item = item_for_user(request.auth, item_id)
    event = action_item_raise_risk(actor=request.auth, item=item, note=payload.note)
    names = ", ".join(str(p) for p in event.recipients)
    return Status(201, {
        "event_id": event.pk, "item_id": item.pk, "workdays_left": event.workdays_left, "late": event.late,
        "notified": [{"id": p.pk, "name": str(p)} for p in event.recipients],
        "message": (_("Risk sent to %(names)s.") % {"names": names}) if names
        else _("Risk recorded; nobody else to tell."),
    })
