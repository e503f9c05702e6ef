"""What every write of the live record goes through: who may write, the record's row lock (created on the first
write), the guards of a cancelled, not yet started or distributed meeting, and the revision the pollers read."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record
from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.services.access import agenda_locked
from closeloop.record import rules
from closeloop.record.choices import RecordState
from closeloop.record.models import MeetingRecord
from closeloop.record.selectors import person_can_record

# The record's sections, each with its own revision so a poll re-renders only what changed; PARTICIPANTS
# moves when who takes part changed, so pollers also get the choosers' new list of participants
ATTENDANCE, REVIEW, STATE, PARTICIPANTS = "attendance", "review", "state", "participants"


def require_recorder(actor, meeting):
    if not person_can_record(actor, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators write the meeting's record."))


def open_locked(actor, meeting):
    """The meeting's record under a row lock, created (and audited) on the first write."""
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"meeting": _("This meeting is cancelled; it has no record.")})
    record = MeetingRecord.objects.select_for_update().filter(meeting=meeting).first()
    refuse_after_distribution(meeting, record)
    if record is None:
        require_started(meeting)
        try:
            with transaction.atomic():
                record = MeetingRecord.objects.create(meeting=meeting)
        except IntegrityError:  # opened by someone else at the same moment
            record = MeetingRecord.objects.select_for_update().get(meeting=meeting)
        else:
            audit_record(actor=actor, action="record.open", obj=record, after={"meeting": meeting.pk})
    return record


def refuse_after_distribution(meeting, record):
    """Once the minutes went out, what was said is settled: changes go through a correction of the minutes.
    Distribution closes an open record (and minutes 0004 closed those of older distributions), so only a
    record not yet opened needs the question."""
    if record is None and agenda_locked(meeting):
        raise ValidationError({"record": _(
            "The minutes of this meeting are distributed, so its record is closed; changes go through a "
            "correction of the minutes.")})


def require_started(meeting, now=None):
    """A record starts with the meeting; to hold it earlier, the host moves its start first."""
    if not rules.record_may_open(start=meeting.start, now=now or timezone.now()):
        start = timezone.localtime(meeting.start, organisation_tz(meeting.organisation))
        raise ValidationError({"meeting": _(
            "This meeting starts at %(start)s; its record opens then. To hold it earlier, the host moves its "
            "start first.") % {"start": start.strftime("%Y-%m-%d %H:%M")}})


def writable(actor, meeting):
    require_recorder(actor, meeting)
    record = open_locked(actor, meeting)
    if record.state == RecordState.CLOSED:
        raise ValidationError({"record": _("The record is closed; it can no longer be changed.")})
    return record


def bump(record, *sections):
    record.revision += 1
    record.section_revisions = {**(record.section_revisions or {}), **{s: record.revision for s in sections}}
    record.save(update_fields=["revision", "section_revisions"])


def topic_of(meeting, topic):
    if topic.meeting_id != meeting.pk:
        raise ValidationError({"topic": _("This topic belongs to another meeting.")})


def person_in_org(meeting, person, field):
    if person is not None and (person.organisation_id != meeting.organisation_id or not person.is_active):
        raise ValidationError({field: _("Choose an active person of your organisation.")})


def on_participants_changed(sender, meeting, **kwargs):
    """Someone was invited, taken off or sent a substitute while the record is open: its sign-in moves."""
    record = MeetingRecord.objects.select_for_update().filter(meeting_id=meeting.pk, state=RecordState.OPEN).first()
    if record is not None:
        bump(record, ATTENDANCE, PARTICIPANTS)
