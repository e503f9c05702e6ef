"""Writes for the live record. Each is one transaction, checks permission (host, recorder, administrators),
locks the record row (so concurrent writes queue up), bumps its revision for the pollers, and is audited.

Action items are created and changed by the actions services; the wrappers here add the record's lock,
its revision and its "closed" guard around them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.actions.services import items as actions
from closeloop.audit.services import audit_record, snapshot
from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.models import Participant
from closeloop.org.selectors import policy_for
from closeloop.record import rules
from closeloop.record.choices import Presence, RecordState, ResolutionPath
from closeloop.record.models import Attendance, Decision, Disagreement, MeetingRecord, Note, TopicRecord
from closeloop.record.selectors import loop_check_for, topic_section
from closeloop.record.services.escalation import escalation_data, tell_decider
from closeloop.record.services.writing import (
    ATTENDANCE,
    STATE,
    bump,
    open_locked,
    person_in_org,
    require_recorder,
    topic_of,
    writable,
)
from closeloop.workcal.selectors import calendar_for

DISAGREEMENT_FIELDS = ["subject", "parties", "positions", "path", "escalate_to", "owner", "data_needed", "due"]
DECISION_FIELDS = ["text", "decided_by", "no_objection", "no_action_needed"]


class LoopOpen(ValidationError):
    """Closing refused: the loop check found open points. `can_force` says whether an explicit confirm may close."""

    def __init__(self, points, mode, can_force):
        super().__init__({"loop": [p.message for p in points]})
        self.points, self.mode, self.can_force = points, mode, can_force


@transaction.atomic
def record_open(*, actor, meeting):
    """Start the meeting's record (idempotent); writing anything opens it too."""
    require_recorder(actor, meeting)
    record = open_locked(actor, meeting)
    return record


@transaction.atomic
def attendance_set(*, actor, meeting, person, presence, reason="", substitute=None):
    """Sign one participant in: present, absent with a reason, or represented by a substitute (代参会)."""
    record = writable(actor, meeting)
    reason = (reason or "").strip()
    if not Participant.objects.filter(meeting=meeting, person=person).exists():
        raise ValidationError({"person": _("This person is not a participant of the meeting.")})
    if presence not in Presence.values:
        raise ValidationError({"presence": _("Choose present, absent or substitute.")})
    if presence == Presence.ABSENT and not reason:
        raise ValidationError({"reason": _("Say why they are absent.")})
    if presence == Presence.SUBSTITUTE:
        if substitute is None:
            raise ValidationError({"substitute": _("Say who attends instead.")})
        if substitute.pk == person.pk:
            raise ValidationError({"substitute": _("A substitute is someone else.")})
        person_in_org(meeting, substitute, "substitute")
    else:
        substitute = None
    if presence == Presence.PRESENT:
        reason = ""
    attendance, created = Attendance.objects.get_or_create(record=record, person=person, defaults={
        "presence": presence, "reason": reason, "substitute": substitute})
    before = None if created else snapshot(attendance)
    if not created:
        attendance.presence, attendance.reason, attendance.substitute = presence, reason, substitute
        attendance.save()
    bump(record, ATTENDANCE)
    audit_record(actor=actor, action="record.attendance", obj=attendance, before=before, after=snapshot(attendance))
    return attendance


@transaction.atomic
def attendance_confirm_suggested(*, actor, meeting, person_ids=None):
    """Sign in everyone not signed in yet (or only `person_ids`) as their answer to the notice suggests
    (declined: absent; substitute named: the substitute); returns how many were signed in."""
    record = writable(actor, meeting)
    signed = set(record.attendance.values_list("person_id", flat=True))
    participants = Participant.objects.filter(meeting=meeting).exclude(person_id__in=signed).order_by("id")
    if person_ids is not None:
        participants = participants.filter(person_id__in=person_ids)
    rows = []
    for p in participants:
        if p.role_list == ["cc"]:
            continue
        presence, reason, substitute_id = rules.suggested_presence(p.response, p.response_reason, p.substitute_id)
        if presence == Presence.ABSENT and not reason:
            reason = _("Declined the invitation")
        rows.append(Attendance(record=record, person_id=p.person_id, presence=presence, reason=reason,
                               substitute_id=substitute_id))
    Attendance.objects.bulk_create(rows)
    if rows:
        bump(record, ATTENDANCE)
        audit_record(actor=actor, action="record.attendance_suggested", obj=record,
                     after={"people": [r.person_id for r in rows]})
    return len(rows)


@transaction.atomic
def note_add(*, actor, meeting, topic, text, department=None):
    """A department's viewpoint on a topic; the department defaults to the author's."""
    record = writable(actor, meeting)
    topic_of(meeting, topic)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the viewpoint.")})
    department = department if department is not None else actor.department
    if department is not None and department.organisation_id != meeting.organisation_id:
        raise ValidationError({"department": _("Choose one of your organisation's departments.")})
    note = Note.objects.create(record=record, topic=topic, department=department, text=text, author=actor)
    bump(record, topic_section(topic.pk))
    audit_record(actor=actor, action="record.note", obj=note, after=snapshot(note))
    return note


@transaction.atomic
def record_row_delete(*, actor, meeting, row):
    """Remove a note, disagreement or decision recorded by mistake (its action items stay, as items)."""
    record = writable(actor, meeting)
    if not isinstance(row, (Note, Disagreement, Decision)) or row.record_id != record.pk:
        raise ValidationError({"row": _("This entry belongs to another meeting.")})
    before = snapshot(row)
    topic_id = row.topic_id
    row.delete()
    bump(record, topic_section(topic_id))
    audit_record(actor=actor, action=f"record.{row._meta.model_name}_delete", object_type=row._meta.label_lower,
                 object_id=before["id"], before=before)


def _clean_disagreement(meeting, data):
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    errors = {}
    if not data.get("subject"):
        errors["subject"] = _("Say what the disagreement is about.")
    path = data.get("path") or ""
    if path and path not in ResolutionPath.values:
        errors["path"] = _("Choose escalate, bring data or resolved.")
    if path == ResolutionPath.ESCALATE and data.get("escalate_to") is None:
        errors["escalate_to"] = _("Say to whom it is escalated.")
    if path == ResolutionPath.DATA:
        if data.get("owner") is None:
            errors["owner"] = _("Say who brings the data.")
        if not data.get("data_needed"):
            errors["data_needed"] = _("Say which data is needed.")
    if errors:
        raise ValidationError(errors)
    for name in ("escalate_to", "owner"):
        person_in_org(meeting, data.get(name), name)
    if path != ResolutionPath.ESCALATE:
        data["escalate_to"] = None
    if path != ResolutionPath.DATA:
        data["data_needed"] = ""
        if path != ResolutionPath.ESCALATE:
            data["owner"] = None
    return data


def default_followup_due(meeting):
    """policy.disagreement_followup_hours after the meeting's end, on a working day."""
    org = meeting.organisation
    end = timezone.localtime(meeting.end, organisation_tz(org))
    return rules.followup_due(meeting_end=end, hours=policy_for(org).disagreement_followup_hours,
                              is_working_day=calendar_for(org).is_working_day)


def _data_item(actor, meeting, dis, owner_confirmed):
    """The data path is an action item for its owner, the escalation path one for the decider: create it, or
    keep it in step with the disagreement."""
    if dis.path == ResolutionPath.ESCALATE:
        data, field_map = escalation_data(dis), {"owner": "escalate_to", "task": "subject", "deliverable": "subject"}
    else:
        task = _("Bring the data for the disagreement “%(subject)s”") % {"subject": dis.subject[:120]}
        data = {"task": task, "owner": dis.owner, "due": dis.due, "deliverable": dis.data_needed}
        field_map = {"task": "data_needed", "deliverable": "data_needed"}
    try:
        if dis.action_item_id is None:
            item = actions.action_item_create(
                actor=actor, organisation=meeting.organisation, meeting=meeting, topic=dis.topic,
                data={**data, "owner_confirmed": owner_confirmed})
            dis.action_item = item
            dis.save(update_fields=["action_item"])
        else:
            item = actions.action_item_update(actor=actor, item=dis.action_item, data=data)
            if owner_confirmed and not item.owner_confirmed:
                actions.action_item_confirm(actor=actor, item=item)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({field_map.get(k, k): v for k, v in exc.error_dict.items()}) from None


@transaction.atomic
def disagreement_save(*, actor, meeting, topic, data, disagreement=None, owner_confirmed=False):
    """Record a disagreement (or change it) with its resolution path; the data path becomes an action item,
    due policy.disagreement_followup_hours after the meeting unless a date is given."""
    record = writable(actor, meeting)
    topic_of(meeting, topic)
    data = _clean_disagreement(meeting, {f: data.get(f) for f in DISAGREEMENT_FIELDS})
    if data["path"] == ResolutionPath.DATA and data.get("due") is None:
        data["due"] = default_followup_due(meeting)
    if disagreement is None:
        dis, before = Disagreement(record=record, topic=topic), None
    else:
        if disagreement.record_id != record.pk or disagreement.topic_id != topic.pk:
            raise ValidationError({"disagreement": _("This entry belongs to another topic.")})
        dis, before = disagreement, snapshot(disagreement)
    for name in DISAGREEMENT_FIELDS:
        setattr(dis, name, data.get(name) if data.get(name) is not None else ("" if name not in (
            "escalate_to", "owner", "due") else None))
    dis.save()
    # An escalation becomes the decider's item once it has its date (the loop check asks for it until then).
    if dis.path == ResolutionPath.DATA or (dis.path == ResolutionPath.ESCALATE and dis.due is not None):
        _data_item(actor, meeting, dis, owner_confirmed)
    if dis.path == ResolutionPath.ESCALATE and dis.action_item_id is not None:
        tell_decider(meeting, dis, dis.action_item)
    bump(record, topic_section(topic.pk))
    audit_record(actor=actor, action="record.disagreement", obj=dis, before=before, after=snapshot(dis))
    return dis


@transaction.atomic
def decision_save(*, actor, meeting, topic, data, decision=None):
    """Record a decision (text, who decided, confirmed with no objection, or "no action needed"), or change it."""
    record = writable(actor, meeting)
    topic_of(meeting, topic)
    text = (data.get("text") or "").strip() if "text" in data or decision is None else decision.text
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    person_in_org(meeting, data.get("decided_by"), "decided_by")
    if decision is None:
        dec, before = Decision(record=record, topic=topic), None
    else:
        if decision.record_id != record.pk or decision.topic_id != topic.pk:
            raise ValidationError({"decision": _("This entry belongs to another topic.")})
        dec, before = decision, snapshot(decision)
    dec.text = text
    for name in ("decided_by", "no_objection", "no_action_needed"):
        if name in data or decision is None:
            setattr(dec, name, data.get(name) or (None if name == "decided_by" else False))
    dec.save()
    bump(record, topic_section(topic.pk))
    audit_record(actor=actor, action="record.decision", obj=dec, before=before, after=snapshot(dec))
    return dec


def _topic_state(record, topic):
    state, _created = TopicRecord.objects.select_for_update().get_or_create(topic=topic, defaults={"record": record})
    return state


@transaction.atomic
def topic_timer(*, actor, topic, action):
    """Start or stop a topic's timer; starting one stops any other running timer of the meeting."""
    meeting = topic.meeting
    record = writable(actor, meeting)
    if action not in ("start", "stop"):
        raise ValidationError({"action": _("Choose start or stop.")})
    now = timezone.now()
    changed = []
    for state in TopicRecord.objects.select_for_update().filter(record=record, started_at__isnull=False):
        # Starting: every other running timer stops (one topic at a time). Stopping: only this one.
        if (state.topic_id == topic.pk) == (action == "start"):
            continue
        state.elapsed_seconds = rules.elapsed_seconds(started_at=state.started_at, elapsed=state.elapsed_seconds,
                                                      now=now)
        state.started_at = None
        state.save(update_fields=["elapsed_seconds", "started_at"])
        changed.append(state.topic_id)
    state = _topic_state(record, topic)
    if action == "start" and state.started_at is None:
        state.started_at = now
        state.save(update_fields=["started_at"])
        changed.append(topic.pk)
    if changed:
        bump(record, *(topic_section(pk) for pk in set(changed)))
        audit_record(actor=actor, action=f"record.timer_{action}", obj=state,
                     after={"topic": topic.pk, "elapsed_seconds": state.elapsed_seconds})
    return state


@transaction.atomic
def topic_no_decision_reason(*, actor, topic, reason):
    """Why a "decide" topic reached no decision (the loop check accepts it in place of one)."""
    meeting = topic.meeting
    record = writable(actor, meeting)
    state = _topic_state(record, topic)
    before = snapshot(state, fields=["no_decision_reason"])
    state.no_decision_reason = (reason or "").strip()
    state.save(update_fields=["no_decision_reason"])
    bump(record, topic_section(topic.pk))
    audit_record(actor=actor, action="record.no_decision_reason", obj=state, before=before,
                 after=snapshot(state, fields=["no_decision_reason"]))
    return state


def _stop_and_close(record, actor):
    """Stop the running topic timers and mark the record closed."""
    now = timezone.now()
    for state in TopicRecord.objects.filter(record=record, started_at__isnull=False):
        state.elapsed_seconds = rules.elapsed_seconds(started_at=state.started_at, elapsed=state.elapsed_seconds,
                                                      now=now)
        state.started_at = None
        state.save(update_fields=["elapsed_seconds", "started_at"])
    record.state, record.closed_at, record.closed_by = RecordState.CLOSED, now, actor
    record.save(update_fields=["state", "closed_at", "closed_by"])
    bump(record, STATE)


@transaction.atomic
def record_close_for_minutes(*, actor, meeting):
    """The minutes went out while the record was still open: close it as it stands, without the loop check
    (the minutes are what was agreed now), and say so in the audit trail."""
    record = MeetingRecord.objects.select_for_update().filter(meeting=meeting).first()
    if record is None or record.state == RecordState.CLOSED:
        return record
    _stop_and_close(record, actor)
    audit_record(actor=actor, action="record.close", obj=record, after={
        "state": record.state, "reason": "minutes distributed"})
    return record


@transaction.atomic
def record_close(*, actor, meeting, force=False):
    """Close the record after the loop check. Open points refuse it (policy block) or need `force` (warn)."""
    record = writable(actor, meeting)
    points = loop_check_for(meeting)
    mode = policy_for(meeting.organisation).close_loop_mode
    if points and (mode == "block" or not force):
        raise LoopOpen(points, mode, can_force=mode != "block")
    _stop_and_close(record, actor)
    audit_record(actor=actor, action="record.close", obj=record, after={
        "state": record.state, "forced": bool(points), "open_points": [p.as_dict() for p in points]})
    return record
