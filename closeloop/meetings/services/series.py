"""Writes for meeting series (a recurring meeting such as a project's weekly follow-up): create and edit one,
and plan its next meeting on the next working day with its default participants and topics."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.lib.ics import org_zone
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.models import Meeting, Series
from closeloop.meetings.recurrence import bad_topic_lines, next_meeting_day, parse_topics
from closeloop.meetings.services.planning import meeting_create, participant_set, topic_add
from closeloop.workcal.selectors import calendar_for

SERIES_FIELDS = ["name", "project", "meeting_type", "weekday", "interval_weeks", "start_time", "duration_minutes",
                 "place", "host", "recorder", "member_roles", "default_topics"]


def person_can_edit_series(person, series):
    return person.is_org_admin or person.pk in (series.host_id, series.recorder_id)


def _series_snapshot(series):
    data = snapshot(series, fields=SERIES_FIELDS)
    data["members"] = sorted(series.members.values_list("pk", flat=True))
    return data


def _check(series, members):
    series.name = (series.name or "").strip()
    if not series.name:
        raise ValidationError({"name": _("Enter a name.")})
    for field in ("project", "host", "recorder"):
        obj = getattr(series, field)
        if obj is not None and obj.organisation_id != series.organisation_id:
            raise ValidationError({field: _("Choose one of your organisation's entries.")})
    if any(p.organisation_id != series.organisation_id for p in members):
        raise ValidationError({"members": _("Choose one of your organisation's entries.")})
    roles = [r for r in series.member_roles.split(",") if r]
    if any(r not in ParticipantRole.values for r in roles):
        raise ValidationError({"member_roles": _("Unknown role: %(role)s.") % {"role": series.member_roles}})
    if not 1 <= (series.interval_weeks or 0) <= 8:
        raise ValidationError({"interval_weeks": _("Give a number of weeks from 1 to 8.")})
    if not 5 <= (series.duration_minutes or 0) <= 480:
        raise ValidationError({"duration_minutes": _("Give a duration from 5 to 480 minutes.")})
    bad = bad_topic_lines(series.default_topics)
    if bad:
        raise ValidationError({"default_topics": _("Line %(lines)s: the minutes after the bar must be a whole "
                                                   "number.") % {"lines": ", ".join(str(n) for n in bad)}})


def _save(*, actor, series, data, action):
    before = _series_snapshot(series) if series.pk else None
    for field in SERIES_FIELDS:
        if field in data and data[field] is not None:
            setattr(series, field, data[field])
    members = list(data.get("members") or [])
    _check(series, members)
    series.full_clean()
    series.save()
    if "members" in data:
        series.members.set(members)
    audit_record(actor=actor, action=action, obj=series, before=before, after=_series_snapshot(series))
    return series


@transaction.atomic
def series_create(*, actor, name, project=None, data=None):
    """Anyone who plans meetings may start a series in their organisation."""
    data = {"host": actor, **(data or {}), "name": name, "project": project}
    return _save(actor=actor, series=Series(organisation_id=actor.organisation_id), data=data,
                 action="series.create")


@transaction.atomic
def series_update(*, actor, series, data):
    if not person_can_edit_series(actor, series):
        raise PermissionDenied(_("Only the series' host and recorder and administrators can change it."))
    return _save(actor=actor, series=series, data=data, action="series.update")


def series_next_day(series, today=None):
    """The working day the series' next meeting falls on: the recurrence after its last meeting not cancelled."""
    zone = org_zone(series.organisation)
    today = today or timezone.localdate(timezone.now(), zone)
    last = Meeting.objects.filter(series=series).exclude(state="cancelled").order_by("-start").first()
    return next_meeting_day(last_day=timezone.localtime(last.start, zone).date() if last else None, today=today,
                            weekday=series.weekday, interval_weeks=series.interval_weeks,
                            is_working_day=calendar_for(series.organisation).is_working_day)


@transaction.atomic
def series_next_meeting(*, actor, series, today=None):
    """Plan the series' next meeting: its day on the working calendar, its default participants and topics."""
    if not person_can_edit_series(actor, series):
        raise PermissionDenied(_("Only the series' host and recorder and administrators can change it."))
    zone = org_zone(series.organisation)
    day = series_next_day(series, today)
    start = dt.datetime.combine(day, series.start_time, zone)
    meeting = meeting_create(actor=actor, host=series.host or actor, recorder=series.recorder, data={
        "type": series.meeting_type, "title": f"{series.name} {day:%Y-%m-%d}", "start": start,
        "end": start + dt.timedelta(minutes=series.duration_minutes), "place": series.place,
        "project": series.project, "series": series})
    roles = [r for r in series.member_roles.split(",") if r] or [ParticipantRole.EXECUTOR]
    invited = set(meeting.participants.values_list("person_id", flat=True))
    for person in series.members.filter(is_active=True):
        if person.pk not in invited:
            participant_set(actor=actor, meeting=meeting, person=person, roles=roles)
    for title, minutes in parse_topics(series.default_topics):
        topic_add(actor=actor, meeting=meeting, data={"title": title, "minutes": minutes, "kind": "discuss"})
    return meeting
