"""Planning a meeting from a request: the meetings app's services, prefilled from the request."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.services.planning import material_add, meeting_create, participant_set

from ..choices import EventKind
from ..models import RequestMeeting
from ..selectors import can_manage
from .requests import _event


@transaction.atomic
def request_plan_meeting(*, actor, request, data):
    """Plan a meeting from the request: its objective, both sides' decision-makers and executors, its materials.

    `data` holds the meeting's fields (type, title, start, end, place…); the objective defaults to the
    request's goal and what is asked. The meeting is a draft the initiator then completes as usual.
    """
    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can plan its meeting."))
    data = dict(data)
    data.setdefault("title", request.subject)
    data.setdefault("objective", "\n".join(t for t in (request.goal, request.what) if t))
    data.setdefault("project", request.project)
    data.setdefault("confidential", request.confidential)
    meeting = meeting_create(actor=actor, data=data)
    roles = {}

    def add(person, role):
        if person is not None and person.pk != actor.pk and person.is_active:
            roles.setdefault(person, []).append(role)

    if request.initiating_department is not None:
        add(request.initiating_department.head, ParticipantRole.DECISION_MAKER)
    for receipt in request.receipts.select_related("department__head", "delegate", "answered_by"):
        add(receipt.department.head, ParticipantRole.DECISION_MAKER)
        add(receipt.delegate, ParticipantRole.EXECUTOR)
        if receipt.answered_by_id and receipt.answered_by_id != receipt.department.head_id:
            add(receipt.answered_by, ParticipantRole.EXECUTOR)
    for person, person_roles in roles.items():
        participant_set(actor=actor, meeting=meeting, person=person, roles=person_roles)
    for material in request.materials.all():
        with material.file.open("rb") as handle:
            upload = File(handle, name=material.name)
            upload.content_type = material.content_type
            material_add(actor=actor, meeting=meeting, upload=upload)
    RequestMeeting.objects.create(request=request, meeting=meeting)
    _event(request, EventKind.MEETING, actor, note=meeting.title)
    audit_record(actor=actor, action="request.meeting", obj=request, after={"meeting": meeting.pk})
    return meeting


@transaction.atomic
def request_link_meeting(*, actor, request, meeting):
    """Attach an existing meeting (one the actor may see) to the request's story."""
    from closeloop.meetings.selectors import meetings_visible_to

    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can plan its meeting."))
    if not meetings_visible_to(actor).filter(pk=meeting.pk).exists():
        raise ValidationError({"meeting": _("Choose a meeting you can see.")})
    link, created = RequestMeeting.objects.get_or_create(request=request, meeting=meeting)
    if created:
        _event(request, EventKind.MEETING, actor, note=meeting.title)
        audit_record(actor=actor, action="request.meeting", obj=request, after={"meeting": meeting.pk})
    return link
