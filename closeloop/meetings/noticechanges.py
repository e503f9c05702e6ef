"""What changed since the last notice: the update mail lists it, so nobody has to compare two invites by eye.

Each notice keeps, in its audit row, the meeting as it was sent (plain values, no translation); the next update
compares the meeting now with that content. The change rows carry lazy labels, so each recipient reads them in
their own language.
"""

from django.utils import timezone

from closeloop.audit.models import AuditEntry
from closeloop.lib.ics import org_zone
from closeloop.meetings.choices import MeetingType, ParticipantRole, TopicKind
from closeloop.meetings.models import Meeting

NOTICE_ACTIONS = ("meeting.notice", "meeting.notice_update")
FIELDS = ["title", "type", "start", "end", "place", "online_link", "objective", "scope", "project", "urgent"]
TOPIC_FIELDS = ["title", "minutes", "presenter", "kind", "required_outcome"]


def _field_value(meeting, name, zone):
    value = getattr(meeting, name)
    if name in ("start", "end"):
        return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return value if isinstance(value, bool) else str(value)


def notice_content(meeting):
    """The meeting as a notice shows it (meeting_detail's prefetched object), as JSON-safe plain values."""
    zone = org_zone(meeting.organisation)
    return {
        "fields": {name: _field_value(meeting, name, zone) for name in FIELDS},
        "topics": {str(t.pk): {"title": t.title, "minutes": t.minutes, "presenter": str(t.presenter or ""),
                               "kind": t.kind, "required_outcome": t.required_outcome}
                   for t in meeting.topics.all()},
        "people": {str(p.person_id): {"name": str(p.person), "roles": p.role_list}
                   for p in meeting.participants.all()},
        "materials": {str(m.pk): m.name for m in meeting.materials.all()},
    }


def last_notice_content(meeting):
    """The content of the last notice sent for this meeting, or None (never sent, or sent before this was kept)."""
    entry = (AuditEntry.objects.filter(object_type="meetings.meeting", object_id=str(meeting.pk),
                                       action__in=NOTICE_ACTIONS).order_by("-at", "-id").first())
    return (entry.after or {}).get("content") if entry else None


def _display(name, value):
    if name == "type" and value in MeetingType.values:
        return MeetingType(value).label
    if name == "kind" and value in TopicKind.values:
        return TopicKind(value).label
    if isinstance(value, bool):
        return "✓" if value else "—"
    return value if value not in ("", None) else "—"


def _roles(values):
    return [ParticipantRole(r).label for r in values if r in ParticipantRole.values]


def notice_changes(before, after):
    """[{"what": kind, ...}] from one notice's content to the next; [] when nothing a recipient sees changed."""
    if not before:
        return []
    rows = []
    for name in FIELDS:
        old, new = before["fields"].get(name), after["fields"].get(name)
        if old != new:
            rows.append({"what": "field", "label": Meeting._meta.get_field(name).verbose_name,
                         "old": _display(name, old), "new": _display(name, new)})
    old_topics, new_topics = before.get("topics", {}), after.get("topics", {})
    for pk, topic in new_topics.items():
        if pk not in old_topics:
            rows.append({"what": "topic_added", "name": topic["title"]})
        elif any(old_topics[pk].get(f) != topic.get(f) for f in TOPIC_FIELDS):
            rows.append({"what": "topic_changed", "name": topic["title"]})
    rows += [{"what": "topic_removed", "name": t["title"]} for pk, t in old_topics.items() if pk not in new_topics]
    old_people, new_people = before.get("people", {}), after.get("people", {})
    for pk, person in new_people.items():
        if pk not in old_people:
            rows.append({"what": "person_added", "name": person["name"], "roles": _roles(person["roles"])})
        elif sorted(old_people[pk]["roles"]) != sorted(person["roles"]):
            rows.append({"what": "roles_changed", "name": person["name"], "roles": _roles(person["roles"])})
    rows += [{"what": "person_removed", "name": p["name"]} for pk, p in old_people.items() if pk not in new_people]
    old_files, new_files = before.get("materials", {}), after.get("materials", {})
    rows += [{"what": "material_added", "name": n} for pk, n in new_files.items() if pk not in old_files]
    rows += [{"what": "material_removed", "name": n} for pk, n in old_files.items() if pk not in new_files]
    return rows
