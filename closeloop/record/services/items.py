"""Action items from the live record: the actions services do the work (SMART check, history, permissions);
these wrappers add the record's lock, its "closed" guard and the revision the other open pages poll for."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from closeloop.actions.services import items as actions
from closeloop.record.selectors import topic_section
from closeloop.record.services.writing import REVIEW, bump, topic_of, writable


def _decision_of(topic, decision):
    if decision is not None and decision.topic_id != topic.pk:
        raise ValidationError({"decision": _("This decision belongs to another topic.")})


@transaction.atomic
def record_item_add(*, actor, meeting, topic, data, decision=None):
    """An action item agreed on a topic (optionally carrying out one of its decisions).

    Blocking SMART findings refuse it naming the field; the others come back on `item.findings`.
    """
    record = writable(actor, meeting)
    topic_of(meeting, topic)
    _decision_of(topic, decision)
    # Any error ends this transaction whole, so the item needs no savepoint of its own.
    item = actions.action_item_create_within(actor=actor, organisation=meeting.organisation, data=data,
                                             meeting=meeting, topic=topic, decision=decision)
    bump(record, topic_section(topic.pk))
    item.record = record  # the answer shows the record as this write left it, without reading it again
    return item


@transaction.atomic
def record_item_confirm(*, actor, meeting, item):
    """Record in the meeting that the owner confirmed their item."""
    record = writable(actor, meeting)
    if item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("This action item belongs to another meeting.")})
    item = actions.action_item_confirm(actor=actor, item=item)
    bump(record, topic_section(item.topic_id))
    return item


@transaction.atomic
def record_review_status(*, actor, meeting, item, status, reason="", new_due=None, note=""):
    """Update an earlier meeting's open item during the review (delay: reason and new date)."""
    record = writable(actor, meeting)
    item = actions.action_item_set_status(actor=actor, item=item, status=status, reason=reason, new_due=new_due,
                                          note=note)
    bump(record, REVIEW)
    return item


@transaction.atomic
def record_review_progress(*, actor, meeting, item, percent, note=""):
    """Report an earlier meeting's item progress during the review."""
    record = writable(actor, meeting)
    item = actions.action_item_progress(actor=actor, item=item, percent=percent, note=note)
    bump(record, REVIEW)
    return item
