"""API for the notice: send it, cancel the meeting, answer it, and download the calendar invite.

The meeting is found through meeting_for_user (404 for anyone not entitled); sending and cancelling
are the editors' (403 for others who may see the meeting).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema

from closeloop.lib.apiutil import api_field_names, in_org
from closeloop.lib.ics import CANCEL, REQUEST, meeting_calendar
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.selectors import meeting_detail, meeting_for_user, participant_of
from closeloop.meetings.services import planning as services
from closeloop.meetings.services.notice import meeting_cancel, notice_send
from closeloop.org.api.schemas import ErrorOut
from closeloop.org.models import Person

router = Router(tags=["meetings"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class NoticeOut(Schema):
    id: int
    state: str
    notice_sequence: int
    notice_sent_at: dt.datetime | None
    update: bool
    queued: int
    skipped_person_ids: list[int]


class CancelIn(Schema):
    reason: str = ""


class RespondIn(Schema):
    response: str
    reason: str = ""
    substitute_id: int | None = None


class RespondOut(Schema):
    id: int
    person_id: int
    response: str
    response_reason: str
    substitute_id: int | None
    responded_at: dt.datetime | None


def _notice_out(result):
    m = result.meeting
    return {
        "id": m.pk, "state": m.state, "notice_sequence": m.notice_sequence, "notice_sent_at": m.notice_sent_at,
        "update": result.update, "queued": len(result.queued), "skipped_person_ids": [p.pk for p in result.skipped],
    }


@router.post("/{int:meeting_id}/notice", response={200: NoticeOut, **ERRORS})
def meeting_notice(request, meeting_id: int):
    """Send the notice (or, once sent, an update with SEQUENCE + 1) to every participant and substitute."""
    meeting = meeting_for_user(request.auth, meeting_id)
    return _notice_out(notice_send(actor=request.auth, meeting=meeting))


@router.post("/{int:meeting_id}/cancel", response={200: NoticeOut, **ERRORS})
def meeting_cancel_endpoint(request, meeting_id: int, payload: CancelIn):
    """Cancel the meeting with a reason; if the notice went out, everyone receives a METHOD:CANCEL invite."""
    meeting = meeting_for_user(request.auth, meeting_id)
    return _notice_out(meeting_cancel(actor=request.auth, meeting=meeting, reason=payload.reason))


@router.post("/{int:meeting_id}/respond", response={200: RespondOut, **ERRORS})
def meeting_respond(request, meeting_id: int, payload: RespondIn):
    """The signed-in participant accepts, declines (reason required) or sends a substitute (substitute_id, reason)."""
    meeting = meeting_for_user(request.auth, meeting_id)
    participant = participant_of(request.auth, meeting)
    if participant is None:
        raise PermissionDenied(_("Only invited participants can answer."))
    with api_field_names("substitute"):
        substitute = in_org(Person, meeting.organisation, payload.substitute_id, "substitute")
        participant = services.participant_respond(
            participant=participant, response=payload.response, reason=payload.reason,
            substitute=substitute, actor=request.auth,
        )
    return participant


@router.get("/{int:meeting_id}/invite.ics", response={404: ErrorOut})
def meeting_invite(request, meeting_id: int):
    """The calendar invite (text/calendar): METHOD:REQUEST, or METHOD:CANCEL once cancelled."""
    meeting = meeting_for_user(request.auth, meeting_id)
    method = CANCEL if meeting.state == MeetingState.CANCELLED else REQUEST
    with translation.override(request.auth.language or None):  # token callers skip the language middleware
        content = meeting_calendar(meeting_detail(meeting), method=method)
    response = HttpResponse(
        content,
        content_type=f"text/calendar; method={method}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
