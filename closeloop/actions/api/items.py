"""API for action items (mounted at /actions): list, detail with its latest history, the whole history by pages,
create, edit, confirm, status, progress, and the SMART check for live typing feedback.

An item someone may not see answers 404 (so does a meeting they may not see); seeing without being
allowed to change answers 403. Endpoints only parse, call the service and shape the answer.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Query, Router
from ninja.pagination import paginate

from closeloop.actions.api.schemas import (
    EventOut,
    ItemIn,
    ItemListOut,
    ItemOut,
    ItemPatch,
    ListFilter,
    ProgressIn,
    SmartCheckIn,
    SmartCheckOut,
    StatusIn,
    VersionIn,
)
from closeloop.actions.selectors.items import (
    decision_in_meeting,
    item_detail,
    item_for_user,
    item_history,
    meeting_visible_to,
    person_can_change,
    person_may_record_confirmation,
    smart_findings_for,
)
from closeloop.actions.selectors.lists import MINE, VISIBLE, list_items, scope_for
from closeloop.actions.services import items as services
from closeloop.lib.apiutil import in_org, org_of, organisation_tz, unknown_ref
from closeloop.lib.pagination import CappedCountPagination, MarkedRows, first_rows
from closeloop.meetings.selectors import meeting_for_user
from closeloop.org.api.schemas import ErrorOut
from closeloop.org.models import Department, Person, Project

router = Router(tags=["action items"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# Services name relations (`owner`); the API's fields are `owner_id`, `collaborator_ids`.
API_NAMES = {"owner": "owner_id", "department": "department_id", "project": "project_id", "topic": "topic_id",
             "decision": "decision_id", "meeting": "meeting_id", "collaborators": "collaborator_ids"}


@contextlib.contextmanager
def _api_names():
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({API_NAMES.get(k, k): v for k, v in exc.error_dict.items()}) from None


def _person(org, pk, field):
    person = in_org(Person, org, pk, field)
    if person is not None and not person.is_active:
        raise unknown_ref(field, pk)
    return person


def _refs(org, data):
    """The *_id fields as objects of the caller's organisation, under the service's names."""
    if "owner_id" in data:
        data["owner"] = _person(org, data.pop("owner_id"), "owner_id")
    if "collaborator_ids" in data:
        data["collaborators"] = [_person(org, pk, "collaborator_ids") for pk in dict.fromkeys(
            data.pop("collaborator_ids") or [])]
    for name, model in (("department", Department), ("project", Project)):
        if f"{name}_id" in data:
            data[name] = in_org(model, org, data.pop(f"{name}_id"), f"{name}_id")
    return data


def _finding_out(finding):
    data = finding.as_dict()
    data["field"] = API_NAMES.get(data["field"], data["field"])
    return data


def _local(event, zone):
    event.at = timezone.localtime(event.at, zone)
    return event


def _out(request, item, findings=()):
    """The item with its latest history, localised moments and what the caller may do with it."""
    item = item_detail(item, with_history=False)
    zone = organisation_tz(item.organisation)
    for name in ("confirmed_at", "created_at", "updated_at", "closed_at"):
        value = getattr(item, name)
        setattr(item, name, timezone.localtime(value, zone) if value else value)
    latest, item.history_count = first_rows(item_history(item).reverse())
    item.history = [_local(event, zone) for event in reversed(latest)]
    item.meeting_visible = item.meeting_id is not None and meeting_visible_to(request.auth, item.meeting_id)
    item.can_change = person_can_change(request.auth, item)
    item.can_confirm = not item.owner_confirmed and person_may_record_confirmation(request.auth, item)
    item.findings = [_finding_out(f) for f in findings]
    return item


@router.get("", response=list[ItemListOut], summary="Action items you may see, filtered and sorted")
@paginate(CappedCountPagination)
def items_list(request, filters: Query[ListFilter]):
    org_of(request.auth)
    scope = scope_for(request.auth, MINE if filters.mine else VISIBLE)
    return list_items(request.auth, scope, filters.as_query())


@router.get("/{int:item_id}", response={200: ItemOut, 404: ErrorOut},
            summary="One item with the latest entries of its history")
def item_get(request, item_id: int):
    return _out(request, item_for_user(request.auth, item_id))


@router.get("/{int:item_id}/history", response={200: list[EventOut], 404: ErrorOut},
            summary="An item's whole history, oldest first (paged)")
@paginate(CappedCountPagination)
def item_history_pages(request, item_id: int):
    item = item_for_user(request.auth, item_id)
    zone = organisation_tz(item.organisation)
    return MarkedRows(item_history(item), lambda event: _local(event, zone))


def _meeting_parts(request, meeting_id, topic_id, decision_id):
    """The meeting (404 if not visible), and the topic and decision, which must be the meeting's."""
    if meeting_id is None:
        if topic_id is not None or decision_id is not None:
            raise ValidationError({"meeting_id": _("A topic or a decision belongs to a meeting: give the meeting.")})
        return None, None, None
    meeting = meeting_for_user(request.auth, meeting_id)
    topic = decision = None
    if topic_id is not None:
        topic = meeting.topics.filter(pk=topic_id).first()
        if topic is None:
            raise unknown_ref("topic_id", topic_id)
    if decision_id is not None:
        decision = decision_in_meeting(meeting, decision_id)
        if decision is None:
            raise unknown_ref("decision_id", decision_id)
    return meeting, topic, decision


@router.post("", response={201: ItemOut, **ERRORS},
             summary="Create an item (in a meeting: host, recorder and admins); blocking SMART findings answer 422")
def item_create(request, payload: ItemIn):
    org = org_of(request.auth)
    data = payload.dict()
    meeting, topic, decision = _meeting_parts(
        request, data.pop("meeting_id"), data.pop("topic_id"), data.pop("decision_id"))
    with _api_names():
        item = services.action_item_create(actor=request.auth, organisation=org, data=_refs(org, data),
                                           meeting=meeting, topic=topic, decision=decision)
    return 201, _out(request, item, item.findings)


@router.patch("/{int:item_id}", response={200: ItemOut, **ERRORS}, summary="Change an item; send the version you read")
def item_update(request, item_id: int, payload: ItemPatch):
    item = item_for_user(request.auth, item_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    with _api_names():
        item = services.action_item_update(actor=request.auth, item=item, data=_refs(item.organisation, data),
                                           version=version)
    return _out(request, item, getattr(item, "findings", ()))


@router.post("/{int:item_id}/confirm", response={200: ItemOut, **ERRORS},
             summary="The owner confirms (or the meeting's recorder records their confirmation)")
def item_confirm(request, item_id: int, payload: Body[VersionIn | None] = None):
    item = item_for_user(request.auth, item_id)
    with _api_names():
        item = services.action_item_confirm(actor=request.auth, item=item,
                                            version=payload.version if payload else None)
    return _out(request, item)


@router.post("/{int:item_id}/status", response={200: ItemOut, **ERRORS},
             summary="Change the status: a delay needs reason and new_due, done a note, cancelled a reason")
def item_status(request, item_id: int, payload: StatusIn):
    item = item_for_user(request.auth, item_id)
    item = services.action_item_set_status(
        actor=request.auth, item=item, status=payload.status, reason=payload.reason, new_due=payload.new_due,
        note=payload.note, version=payload.version)
    return _out(request, item)


@router.post("/{int:item_id}/progress", response={200: ItemOut, **ERRORS}, summary="Report progress (0–100 %)")
def item_progress(request, item_id: int, payload: ProgressIn):
    item = item_for_user(request.auth, item_id)
    item = services.action_item_progress(actor=request.auth, item=item, percent=payload.percent, note=payload.note,
                                         version=payload.version)
    return _out(request, item)


@router.post("/smart-check", response={200: SmartCheckOut, 404: ErrorOut, 422: ErrorOut},
             summary="The SMART check of a draft item, for feedback while typing (changes nothing)")
def smart_check(request, payload: SmartCheckIn):
    org = org_of(request.auth)
    meeting = meeting_for_user(request.auth, payload.meeting_id) if payload.meeting_id is not None else None
    owner = _person(org, payload.owner_id, "owner_id")
    data = {"task": payload.task, "owner": owner, "due": payload.due, "deliverable": payload.deliverable}
    findings = smart_findings_for(data=data, meeting=meeting, organisation=org)
    return {"blocking": any(f.blocking for f in findings), "findings": [_finding_out(f) for f in findings]}
