"""Correcting the record while the meeting is open: a viewpoint edited, an action item edited or deleted when it
was typed by mistake. Same guarantees as every record write: the recorder's permission, the record's row lock and
"closed" guard, the revision the open pages poll for, and an audit row (the item's own history for items).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from closeloop.actions.services import items as actions
from closeloop.audit.services import audit_record, snapshot
from closeloop.record.models import Note
from closeloop.record.selectors import topic_section
from closeloop.record.services.writing import bump, writable


@transaction.atomic
def note_update(*, actor, meeting, note, text, department=None):
    record = writable(actor, meeting)
    if not isinstance(note, Note) or note.record_id != record.pk:
        raise ValidationError({"text": _("This entry belongs to another meeting.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the viewpoint.")})
    if department is not None and department.organisation_id != meeting.organisation_id:
        raise ValidationError({"department": _("Choose one of your organisation's departments.")})
    before = snapshot(note)
    note.text, note.department = text, department
    note.save(update_fields=["text", "department"])
    bump(record, topic_section(note.topic_id))
    audit_record(actor=actor, action="record.note_update", obj=note, before=before, after=snapshot(note))
    return note


def _of_this_meeting(meeting, item):
    if item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("This action item belongs to another meeting.")})


@transaction.atomic
def record_item_update(*, actor, meeting, item, data):
    """Change an item agreed in this meeting; ticking "confirmed by the owner" records their confirmation."""
    record = writable(actor, meeting)
    _of_this_meeting(meeting, item)
    confirm = data.pop("owner_confirmed", False)
    data.pop("decision", None)  # which decision it carries out is chosen when it is added
    item = actions.action_item_update(actor=actor, item=item, data=data)
    if confirm and not item.owner_confirmed and item.owner_id:
        item = actions.action_item_confirm(actor=actor, item=item)
    bump(record, topic_section(item.topic_id))
    item.record = record
    return item


@transaction.atomic
def record_item_delete(*, actor, meeting, item):
    record = writable(actor, meeting)
    _of_this_meeting(meeting, item)
    topic_id = item.topic_id
    actions.action_item_discard(actor=actor, item=item)
    bump(record, topic_section(topic_id))
