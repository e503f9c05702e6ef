"""Builds the agenda check's input from the database and runs the pure rules (the rules package).

A fixed number of queries whatever the number of topics or participants (tested).
"""

import zoneinfo

from django.utils import timezone

from closeloop.meetings.choices import Response
from closeloop.meetings.models import Material, Participant, Topic
from closeloop.meetings.rules import AgendaPlan, MaterialIn, ParticipantIn, PolicyValues, TopicIn, agenda_check
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for


def _substitute_declined(participant):
    """A substitute who cannot come either leaves the same gap as a decline."""
    return participant.response == Response.SUBSTITUTE and participant.substitute_response == Response.DECLINED


def org_zone(organisation):
    try:
        return zoneinfo.ZoneInfo(organisation.time_zone or "Asia/Shanghai")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Asia/Shanghai")


def _notice_lead(meeting, calendar, zone, now):
    """Working days from the notice (sent, or today if not sent yet) to the meeting, in the org's time zone."""
    sent = meeting.notice_sent_at or now or timezone.now()
    notice_date = timezone.localtime(sent, zone).date()
    meeting_date = timezone.localtime(meeting.start, zone).date()
    count = calendar.working_days_between(notice_date, meeting_date)
    unknown = ()
    if count.assumed:
        lo, hi = sorted((notice_date.year, meeting_date.year))
        unknown = tuple(y for y in range(lo, hi + 1) if not calendar.knows_year(y))
    return count, unknown


def _rows(meeting, name, queryset):
    """Use rows the caller already prefetched (the detail page does), else run the given query."""
    if name in getattr(meeting, "_prefetched_objects_cache", {}):
        return list(getattr(meeting, name).all())
    return list(queryset)


def topic_in(t):
    """A Topic row (its presenter loaded) as the rules' plain data."""
    return TopicIn(
        id=t.pk, order=t.order, title=t.title, minutes=t.minutes, presentation_minutes=t.presentation_minutes,
        kind=t.kind, urgent=t.urgent, presenter_id=t.presenter_id, required_outcome=t.required_outcome,
        presenter_name=str(t.presenter) if t.presenter_id else "",
    )


def participant_in(p):
    """A Participant row (its person and substitute loaded) as the rules' plain data."""
    return ParticipantIn(
        person_id=p.person_id, roles=tuple(p.role_list), required=p.required,
        declined=p.response == Response.DECLINED or _substitute_declined(p), name=str(p.person),
        substitute_name=str(p.substitute) if p.response == Response.SUBSTITUTE and p.substitute_id
        and not _substitute_declined(p) else "")


def agenda_plan_for(meeting, *, calendar, now=None):
    """The plain-data plan of this meeting (topics, participants, materials, notice lead time)."""
    topics = [topic_in(t) for t in _rows(meeting, "topics", Topic.objects.filter(meeting=meeting)
                                         .select_related("presenter"))]
    participants = [participant_in(p) for p in _rows(meeting, "participants", Participant.objects.filter(
        meeting=meeting).select_related("person", "substitute"))]
    materials = [
        MaterialIn(name=m.name, pages=m.pages)
        for m in _rows(meeting, "materials", Material.objects.filter(meeting=meeting).only("name", "pages"))
    ]
    count, unknown = _notice_lead(meeting, calendar, org_zone(meeting.organisation), now)
    return AgendaPlan(
        start=meeting.start, end=meeting.end, urgent=meeting.urgent, topics=tuple(topics),
        participants=tuple(participants), materials=tuple(materials),
        notice_workdays=count.count, notice_assumed=count.assumed, unknown_years=unknown,
    )


def agenda_check_for(meeting, *, now=None):
    """The agenda check of this meeting, with the organisation's policy and working calendar."""
    organisation = meeting.organisation
    policy = PolicyValues.from_object(policy_for(organisation))
    plan = agenda_plan_for(meeting, calendar=calendar_for(organisation), now=now)
    return agenda_check(plan, policy)


def agenda_blocking_findings(meeting, *, now=None):
    """The findings that stop the notice from going out (empty when it may be sent)."""
    return [f for f in agenda_check_for(meeting, now=now).findings if f.blocking]
