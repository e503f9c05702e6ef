"""Writes for planning a meeting. Each is one transaction, checks permission and writes the audit row.

Pages, the API and commands all call these; none of them writes to the models directly.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.lib.errors import Conflict
from closeloop.lib.memo import forget
from closeloop.lib.uploads import HEAD_BYTES, detect_type, size_text
from closeloop.meetings.choices import MeetingState, ParticipantRole, Response
from closeloop.meetings.models import Material, Meeting, Participant, Topic
from closeloop.meetings.services.access import require_agenda_open, require_editor
from closeloop.meetings.services.answers import after_answer
from closeloop.meetings.services.notice import notice_send, notice_withdraw
from closeloop.meetings.signals import participant_removed, participants_changed, series_meeting_created
from closeloop.notify.services import inbox_forget

MEETING_FIELDS = [
    "type", "title", "objective", "scope", "start", "end", "place", "online_link",
    "project", "series", "urgent", "confidential",
]
TOPIC_FIELDS = [
    "order", "title", "presenter", "minutes", "presentation_minutes", "kind",
    "required_outcome", "urgent", "materials_note",
]




def _check_times(meeting):
    if meeting.start and meeting.end and meeting.end <= meeting.start:
        raise ValidationError({"end": _("The end must be after the start.")})


def _check_same_org(meeting):
    for field in ("project", "series"):
        obj = getattr(meeting, field)
        if obj is not None and obj.organisation_id != meeting.organisation_id:
            raise ValidationError({field: _("Choose one of your organisation's entries.")})


def _touch(meeting):
    """Bump the version (and the outdated-notice flag) after a change inside the meeting."""
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
    meeting.refresh_from_db(fields=["version", "updated_at"])


@transaction.atomic
def meeting_create(*, actor, data, host=None, recorder=None):
    """Create a meeting in draft; the creator joins it as host unless another host is named."""
    meeting = Meeting(organisation_id=actor.organisation_id, created_by=actor)
    for field in MEETING_FIELDS:
        if field in data:
            setattr(meeting, field, data[field])
    _check_times(meeting)  # before full_clean: the DB constraint would report it without naming "end"
    meeting.full_clean(exclude=["ical_uid"])
    _check_same_org(meeting)
    meeting.save()
    host = host or actor
    participant_set(actor=None, meeting=meeting, person=host, roles=[ParticipantRole.HOST], _skip_perm=True)
    if recorder is not None:
        participant_set(
            actor=None, meeting=meeting, person=recorder, roles=[ParticipantRole.RECORDER], _skip_perm=True
        )
    audit_record(actor=actor, action="meeting.create", obj=meeting, after=snapshot(meeting))
    if meeting.series_id is not None:
        # A follow-up meeting of a series starts by reviewing the series' open action items (actions listens).
        series_meeting_created.send(sender=Meeting, actor=actor, meeting=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting, data, version=None):
    """Change a meeting's fields; a save from a stale copy (older version) is refused."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_agenda_open(actor, meeting)
    if version is not None and int(version) != meeting.version:
        raise Conflict(
            _("Someone else changed this meeting while you were editing it. "
              "Your changes were not saved; reload to see theirs, then apply yours again."),
            current_version=meeting.version,
        )
    before = snapshot(meeting)
    changed = set()
    for field in MEETING_FIELDS:
        if field in data and getattr(meeting, field) != data[field]:
            setattr(meeting, field, data[field])
            changed.add(field)
    if not changed:
        return meeting
    _check_times(meeting)  # before full_clean: the DB constraint would report it without naming "end"
    meeting.full_clean(exclude=["ical_uid"])
    _check_same_org(meeting)
    meeting.version += 1
    meeting.save()
    audit_record(actor=actor, action="meeting.update", obj=meeting, before=before, after=snapshot(meeting))
    if meeting.state == MeetingState.NOTICED:
        # Saving a noticed meeting is one change set: its update goes out now, once.
        notice_send(actor=actor, meeting=meeting)
    return meeting


@transaction.atomic
def topic_add(*, actor, meeting, data):
    require_agenda_open(actor, meeting)
    topic = Topic(meeting=meeting)
    if "order" not in data or data.get("order") in (None, ""):
        last = meeting.topics.aggregate(m=Max("order"))["m"] or 0
        topic.order = last + 1
    for field in TOPIC_FIELDS:
        if field in data and data[field] is not None:
            setattr(topic, field, data[field])
    topic.full_clean()
    topic.save()
    _touch(meeting)
    audit_record(actor=actor, action="topic.add", obj=topic, after=snapshot(topic))
    return topic


@transaction.atomic
def topic_update(*, actor, topic, data):
    meeting = topic.meeting
    require_agenda_open(actor, meeting)
    before = snapshot(topic)
    for field in TOPIC_FIELDS:
        if field in data:
            setattr(topic, field, data[field])
    topic.full_clean()
    topic.save()
    _touch(meeting)
    audit_record(actor=actor, action="topic.update", obj=topic, before=before, after=snapshot(topic))
    return topic


@transaction.atomic
def topic_delete(*, actor, topic):
    meeting = topic.meeting
    require_agenda_open(actor, meeting)
    before = snapshot(topic)
    pk = topic.pk
    topic.delete()
    _touch(meeting)
    audit_record(actor=actor, action="topic.delete", object_type="meetings.topic", object_id=pk, before=before)


@transaction.atomic
def topics_reorder(*, actor, meeting, topic_ids):
    """Put the topics in the given order (e.g. the agenda check's suggestion)."""
    require_agenda_open(actor, meeting)
    topics = {t.pk: t for t in meeting.topics.all()}
    if set(topic_ids) != set(topics):
        raise ValidationError({"topic_ids": _("Give every topic of this meeting exactly once.")})
    before = {str(pk): t.order for pk, t in topics.items()}
    for position, pk in enumerate(topic_ids, start=1):
        Topic.objects.filter(pk=pk).update(order=position)
    _touch(meeting)
    audit_record(
        actor=actor, action="topic.reorder", obj=meeting, before=before,
        after={str(pk): i for i, pk in enumerate(topic_ids, start=1)},
    )


def participant_set(*, actor, meeting, person, roles, required=True, _skip_perm=False):
    """Add a person with roles, or change the roles of one already invited."""
    with transaction.atomic():
        if not _skip_perm:
            require_editor(actor, meeting)
        if person.organisation_id != meeting.organisation_id:
            raise ValidationError({"person": _("This person is not in your organisation.")})
        unknown = [r for r in roles if r not in ParticipantRole.values]
        if unknown:
            raise ValidationError({"roles": _("Unknown role: %(role)s.") % {"role": ", ".join(unknown)}})
        participant = Participant.objects.filter(meeting=meeting, person=person).first()
        before = snapshot(participant)
        if participant is None:
            participant = Participant(meeting=meeting, person=person)
        participant.role_list = set(participant.role_list if _skip_perm else []) | set(roles)
        participant.required = required
        participant.save()
        forget(("roles", person.pk, meeting.pk))
        participants_changed.send(sender=Participant, meeting=meeting)
        if not _skip_perm:
            _touch(meeting)
            audit_record(
                actor=actor, action="participant.set", obj=participant, before=before,
                after=snapshot(participant),
            )
        return participant


@transaction.atomic
def participant_remove(*, actor, participant):
    meeting = participant.meeting
    require_editor(actor, meeting)
    if participant.person_id == actor.pk and participant.has_role(ParticipantRole.HOST) and not actor.is_org_admin:
        raise ValidationError({"person": _("You cannot remove yourself as host; name another host first.")})
    before = snapshot(participant)
    pk = participant.pk
    participant.delete()
    forget(("roles", participant.person_id, meeting.pk))
    _touch(meeting)
    audit_record(
        actor=actor, action="participant.remove", object_type="meetings.participant", object_id=pk, before=before,
    )
    # What they held goes with them: links in their inbox to this meeting's pages, and (through the signal)
    # whatever the apps above gave them.
    inbox_forget(person=participant.person, paths=[f"/meetings/{meeting.pk}/", f"/record/meetings/{meeting.pk}/"])
    notice_withdraw(meeting=meeting, participant=participant)  # and the invite leaves their calendar
    participant_removed.send(sender=Participant, actor=actor, meeting=meeting, person=participant.person)
    participants_changed.send(sender=Participant, meeting=meeting)


@transaction.atomic
def participant_respond(*, participant, response, reason="", substitute=None, actor=None):
    """A participant accepts, declines (with a reason) or sends a substitute (who, and why)."""
    if response not in (Response.ACCEPTED, Response.DECLINED, Response.SUBSTITUTE):
        raise ValidationError({"response": _("Choose accept, decline or substitute.")})
    if participant.meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"response": _("This meeting is cancelled.")})
    reason = (reason or "").strip()
    if response in (Response.DECLINED, Response.SUBSTITUTE) and not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    if response == Response.SUBSTITUTE:
        if substitute is None:
            raise ValidationError({"substitute": _("Choose who attends in your place.")})
        if substitute.pk == participant.person_id:
            raise ValidationError({"substitute": _("The substitute must be someone else.")})
        if substitute.organisation_id != participant.meeting.organisation_id:
            raise ValidationError({"substitute": _("This person is not in your organisation.")})
    else:
        substitute = None
    from django.utils import timezone

    before = snapshot(participant)
    previous_substitute_id = participant.substitute_id if participant.response == Response.SUBSTITUTE else None
    participant.response = response
    participant.response_reason = reason
    if substitute is None or substitute.pk != previous_substitute_id:  # a new substitute has not answered yet
        participant.substitute_response, participant.substitute_reason = Response.PENDING, ""
        participant.substitute_responded_at = None
    participant.substitute = substitute
    participant.responded_at = timezone.now()
    participant.save()
    audit_record(
        actor=actor or participant.person, action="participant.respond", obj=participant,
        before=before, after=snapshot(participant),
    )
    for person_id in {previous_substitute_id, participant.substitute_id} - {None}:
        forget(("roles", person_id, participant.meeting_id))
    if participant.substitute_id != previous_substitute_id:
        participants_changed.send(sender=Participant, meeting=participant.meeting)
    after_answer(participant, previous_substitute_id)
    return participant


def _validate_upload(upload):
    """The extension is allowed, the size within the limit, and the content what the extension says.
    Returns the MIME type read from the content (the client's Content-Type is not trusted)."""
    ext = os.path.splitext(upload.name)[1].lower()
    if ext not in settings.MATERIAL_EXTENSIONS:
        raise ValidationError({"file": _("Files of type %(ext)s are not accepted; use one of %(allowed)s.") % {
            "ext": ext or "?", "allowed": " ".join(settings.MATERIAL_EXTENSIONS)}})
    if upload.size > settings.MATERIAL_MAX_BYTES:
        raise ValidationError({"file": _("The file is %(size)s; the limit is %(limit)s.") % {
            "size": size_text(upload.size), "limit": size_text(settings.MATERIAL_MAX_BYTES)}})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    upload.seek(0)
    detected = detect_type(upload.name, upload.read(HEAD_BYTES), upload)
    upload.seek(0)
    if detected is None:
        raise ValidationError({"file": _("The content of this file is not %(ext)s, whatever its name says.") % {
            "ext": ext}})
    return detected


@transaction.atomic
def material_add(*, actor, meeting, upload, topic=None, pages=None):
    """Attach a pre-read file. The host, the recorder, administrators and the topic's presenter may."""
    is_presenter = topic is not None and topic.presenter_id == actor.pk
    if not is_presenter:
        require_editor(actor, meeting)
    if topic is not None and topic.meeting_id != meeting.pk:
        raise ValidationError({"topic": _("This topic belongs to another meeting.")})
    detected = _validate_upload(upload)
    material = Material(
        meeting=meeting, topic=topic, name=os.path.basename(upload.name)[:200], size=upload.size,
        content_type=detected, pages=pages, uploaded_by=actor,
    )
    material.file.save(material.name, upload, save=False)
    material.save()
    _touch(meeting)
    audit_record(actor=actor, action="material.add", obj=material, after=snapshot(material))
    return material


@transaction.atomic
def material_delete(*, actor, material):
    meeting = material.meeting
    if material.uploaded_by_id != actor.pk:
        require_editor(actor, meeting)
    before = snapshot(material)
    pk = material.pk
    material.file.delete(save=False)
    material.delete()
    _touch(meeting)
    audit_record(actor=actor, action="material.delete", object_type="meetings.material", object_id=pk, before=before)
