"""The worker chases sign-offs: a reminder to the head after N working days, then (after 2 × N) the PMO and
the hosts are told."""

from django.utils import timezone

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.hooks import Hook
from closeloop.minutes.choices import MinutesState
from closeloop.minutes.models import SignOff
from closeloop.minutes.notifications import tell_pmo_signoff_late, tell_signoff_late
from closeloop.minutes.rules import SIGNOFF_REMINDER_WORKDAYS
from closeloop.workcal.selectors import calendar_for

# The organisation's sign-off time in working days (the insight app's setting, which its figures measure).
signoff_workdays = Hook("signoff_workdays", default=lambda organisation: SIGNOFF_REMINDER_WORKDAYS)


def scan_signoffs(*, now=None):
    """Queue the reminders and PMO messages due now; returns how many rows were queued (keys make it idempotent)."""
    now = now or timezone.now()
    queued, calendars = 0, {}
    pending = (SignOff.objects.filter(signed_at__isnull=True, head__isnull=False,
                                      minutes__state=MinutesState.DISTRIBUTED, minutes__distributed_at__isnull=False)
               .select_related("minutes__meeting__organisation", "department", "head"))
    for signoff in pending:
        organisation = signoff.minutes.meeting.organisation
        if organisation.pk not in calendars:
            limit = max(int(signoff_workdays(organisation) or SIGNOFF_REMINDER_WORKDAYS), 1)
            calendars[organisation.pk] = (calendar_for(organisation), organisation_tz(organisation), limit)
        calendar, zone, limit = calendars[organisation.pk]
        sent = timezone.localtime(signoff.minutes.distributed_at, zone).date()
        late = calendar.working_days_between(sent, timezone.localtime(now, zone).date()).count
        if late >= limit:
            queued += len(tell_signoff_late(signoff, workdays=late, now=now))
        if late >= 2 * limit:
            queued += len(tell_pmo_signoff_late(signoff, workdays=late, now=now))
    return queued
