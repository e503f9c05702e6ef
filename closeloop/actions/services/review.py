"""The weekly follow-up meeting starts from the open items: a generated first topic lists them.

`series_review_topic_ensure` creates that topic for a meeting of a series (called when the meeting is
created, and again on demand to refresh the list), or refreshes the one it made before; a topic the host
deleted is made anew only on demand. Updates recorded during the review go through the item services
(see views_review and the live record), so they change the items themselves.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from closeloop.actions.models import ReviewTopic
from closeloop.actions.rules import review_topic_minutes
from closeloop.actions.selectors.items import open_items_for_review
from closeloop.audit.services import audit_record, snapshot
from closeloop.meetings.choices import MeetingState, ParticipantRole, TopicKind
from closeloop.meetings.models import Meeting, Participant, Topic
from closeloop.meetings.selectors import person_can_edit
from closeloop.org.selectors import policy_for


def review_lines(items):
    """One line per open item: task — owner — due date — status and progress."""
    lines = []
    for n, item in enumerate(items, start=1):
        due = item.due.isoformat() if item.due else "—"
        overdue = f" ({_('overdue')})" if getattr(item, "is_overdue", False) else ""
        lines.append(f"{n}. {item.task} — {item.owner or '—'} — {_('due')} {due}{overdue} — "
                     f"{item.get_status_display()} {item.progress}%")
    return "\n".join(lines) or _("No open action items from earlier meetings of this series.")


def _host(meeting):
    participant = Participant.objects.filter(
        meeting=meeting, roles__regex=rf"(^|,){ParticipantRole.HOST}(,|$)").select_related("person").first()
    return participant.person if participant else None


def _put_first(meeting, topic):
    others = list(meeting.topics.exclude(pk=topic.pk).order_by("order", "id").values_list("pk", flat=True))
    for position, pk in enumerate([topic.pk, *others], start=1):
        Topic.objects.filter(pk=pk).update(order=position)


@transaction.atomic
def series_review_topic_ensure(*, actor, meeting, new_meeting=False):
    """Create or refresh the first topic "review open action items" of a series meeting.

    The host, recorder and administrators may ask for it; `new_meeting` is meeting_create's call for the
    meeting's creator (the meeting's version is not bumped: nothing was noticed yet).
    """
    meeting = Meeting.objects.select_for_update().select_related("organisation").get(pk=meeting.pk)
    if not new_meeting and not person_can_edit(actor, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators can change this meeting."))
    if meeting.series_id is None:
        raise ValidationError({"series": _("Only a meeting of a series reviews the series' open action items.")})
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"state": _("This meeting is cancelled and can no longer be changed.")})
    items = list(open_items_for_review(meeting))
    policy = policy_for(meeting.organisation)
    link, _created = ReviewTopic.objects.select_for_update().get_or_create(meeting=meeting)
    topic = link.topic
    before = snapshot(topic)
    with translation.override(getattr(actor, "language", "") or settings.LANGUAGE_CODE):
        values = {
            "title": _("Review open action items"),
            "kind": TopicKind.INFORM,
            "minutes": review_topic_minutes(len(items), policy.followup_min_minutes, policy.followup_max_minutes),
            "required_outcome": _("Each open item's status confirmed; a delay only with its reason and new date."),
            "materials_note": review_lines(items),
        }
    if topic is None:
        topic = Topic(meeting=meeting, order=1, presenter=_host(meeting), **values)
    else:
        for name, value in values.items():
            setattr(topic, name, value)
    topic.full_clean()
    topic.save()
    _put_first(meeting, topic)
    link.topic, link.item_count = topic, len(items)
    link.save()
    if not new_meeting:
        Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
    audit_record(actor=actor, action="topic.review_generate", obj=topic, before=before, after=snapshot(topic))
    topic.refresh_from_db()
    return topic
