"""API for channels (mounted at /notify): one's inbox, one's preferences, department robots, and the
organisation's outbox for its administrators (anyone else: 404).

Another person's inbox item, or a robot one may not manage, answers 404; someone who manages no
department answers 403 on the robot list. Robot URLs and secrets are accepted, never returned.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from closeloop.lib.apiutil import org_of
from closeloop.lib.pagination import CappedCountPagination
from closeloop.notify import services
from closeloop.notify.api.schemas import (
    InboxFilter,
    InboxItemOut,
    MarkedOut,
    OutboxFilter,
    OutboxMessageOut,
    OutboxSummaryOut,
    PreferencesIn,
    PreferencesOut,
    RetriedOut,
    RetryFailedIn,
    RobotIn,
    RobotOut,
    RobotPatch,
    UnreadOut,
)
from closeloop.notify.models import Kind
from closeloop.notify.preferences import chosen_channels, person_zone, preference_of
from closeloop.notify.selectors import (
    departments_managed_by,
    inbox_for,
    inbox_item_for,
    outbox_filtered,
    outbox_for,
    outbox_message_for,
    outbox_summary,
    robot_for_user,
    robots_manageable_by,
)
from closeloop.notify.selectors import unread_count as count_unread
from closeloop.notify.services import outbox_retry, outbox_retry_failed
from closeloop.org.api.schemas import ErrorOut
from closeloop.org.models import Department

router = Router(tags=["notifications"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/inbox", response=list[InboxItemOut], summary="My inbox, newest first")
@paginate(CappedCountPagination)
def inbox_list(request, filters: Query[InboxFilter]):
    items = inbox_for(request.auth)
    if filters.unread is not None:
        items = items.filter(read_at__isnull=filters.unread)
    return items


@router.get("/inbox/unread", response=UnreadOut, summary="How many of my inbox items are unread")
def inbox_unread(request):
    return {"unread": count_unread(request.auth)}


@router.post("/inbox/read-all", response=MarkedOut, summary="Mark my whole inbox read")
def inbox_read_all(request):
    return {"marked": services.inbox_mark_all_read(actor=request.auth)}


@router.get("/inbox/{item_id}", response={200: InboxItemOut, 404: ErrorOut}, summary="One item of my inbox")
def inbox_get(request, item_id: int):
    return inbox_item_for(request.auth, item_id)


@router.post("/inbox/{item_id}/read", response={200: InboxItemOut, 404: ErrorOut}, summary="Mark one item read")
def inbox_read(request, item_id: int):
    return services.inbox_mark_read(actor=request.auth, item=inbox_item_for(request.auth, item_id))


def _preferences_out(person):
    preference = preference_of(person)
    return {
        "channels": {kind: chosen_channels(person, kind) for kind in Kind.values},
        "quiet_start": preference.quiet_start if preference else None,
        "quiet_end": preference.quiet_end if preference else None,
        "time_zone": str(person_zone(person)),
    }


@router.get("/preferences", response=PreferencesOut, summary="My channels per kind of message and quiet hours")
def preferences_get(request):
    return _preferences_out(request.auth)


@router.put("/preferences", response={200: PreferencesOut, 422: ErrorOut},
            summary="Set my channels (kinds left out keep theirs) and quiet hours (both or neither)")
def preferences_put(request, payload: PreferencesIn):
    services.preferences_update(actor=request.auth, person=request.auth, channels=payload.channels,
                                quiet_start=payload.quiet_start, quiet_end=payload.quiet_end)
    return _preferences_out(request.auth)


def _robot_data(request, data):
    if "department_id" in data:
        pk = data.pop("department_id")
        department = Department.objects.filter(organisation=org_of(request.auth), pk=pk).first()
        if department is None:
            raise ValidationError({"department_id": _("No such entry in your organisation: %(id)s.") % {"id": pk}})
        data["department"] = department
    return data


def _renamed(exc):
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({("department_id" if k == "department" else k): v for k, v in exc.error_dict.items()})


@router.get("/robots", response={200: list[RobotOut], 403: ErrorOut},
            summary="Robots of the departments I manage (administrators, department heads), paged")
@paginate(CappedCountPagination)
def robots_list(request):
    departments = departments_managed_by(request.auth)
    if not departments:
        raise PermissionDenied(_("Only administrators and department heads set up robots."))
    return robots_manageable_by(request.auth, departments)


@router.post("/robots", response={201: RobotOut, **ERRORS}, summary="Add a department robot")
def robot_create(request, payload: RobotIn):
    try:
        robot = services.robot_create(actor=request.auth, data=_robot_data(request, payload.dict()))
    except ValidationError as exc:
        raise _renamed(exc) from None
    return Status(201, robot)


@router.get("/robots/{robot_id}", response={200: RobotOut, 404: ErrorOut}, summary="One robot")
def robot_get(request, robot_id: int):
    return robot_for_user(request.auth, robot_id)


@router.patch("/robots/{robot_id}", response={200: RobotOut, **ERRORS},
              summary="Change a robot; a URL or secret left out is kept")
def robot_update(request, robot_id: int, payload: RobotPatch):
    robot = robot_for_user(request.auth, robot_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    try:
        return services.robot_update(actor=request.auth, robot=robot, data=_robot_data(request, data))
    except ValidationError as exc:
        raise _renamed(exc) from None


@router.delete("/robots/{robot_id}", response={204: None, 404: ErrorOut}, summary="Remove a robot")
def robot_delete(request, robot_id: int):
    services.robot_delete(actor=request.auth, robot=robot_for_user(request.auth, robot_id))
    return Status(204, None)



@router.get("/outbox", response=list[OutboxMessageOut],
            summary="The organisation's outbox, newest first (administrators; by default failed and pending)")
@paginate(CappedCountPagination)
def outbox_list(request, filters: Query[OutboxFilter]):
    return outbox_filtered(outbox_for(request.auth), state=filters.state or "", channel=filters.channel or "",
                           recipient=filters.recipient or "")


@router.get("/outbox/summary", response={200: OutboxSummaryOut, 404: ErrorOut},
            summary="Failed and pending counts and the oldest pending message's age (administrators)")
def outbox_summary_get(request):
    data = outbox_summary(outbox_for(request.auth), now=timezone.now())
    age = data["oldest_pending_age"]
    return {**data, "oldest_pending_age_seconds": age.total_seconds() if age is not None else None}


@router.post("/outbox/retry-failed", response={200: RetriedOut, 404: ErrorOut, 422: ErrorOut},
             summary="Queue every failed message again (optionally of one channel or recipient)")
def outbox_retry_all(request, payload: RetryFailedIn):
    failed = outbox_filtered(outbox_for(request.auth), state="failed", channel=payload.channel or "",
                             recipient=payload.recipient or "")
    return {"queued": outbox_retry_failed(actor=request.auth, messages=failed)}


@router.post("/outbox/{message_id}/retry", response={200: OutboxMessageOut, 404: ErrorOut, 422: ErrorOut},
             summary="Queue one failed or waiting message again now (administrators)")
def outbox_retry_one(request, message_id: int):
    return outbox_retry(actor=request.auth, message=outbox_message_for(request.auth, message_id))
