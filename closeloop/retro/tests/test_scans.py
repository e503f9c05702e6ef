"""The worker's scans: a retrospective not planned is reminded a working day before its deadline and escalated
after it to the initiator's head and the management group, once; a late progress update is reminded."""

import datetime as dt

import pytest

from closeloop.conftest import SHANGHAI
from closeloop.notify.models import OutboxMessage
from closeloop.retro import services
from closeloop.retro.scans import scan_progress_late, scan_retrospectives_due
from closeloop.retro.selectors import retro_policy_for

from .conftest import moment

pytestmark = pytest.mark.django_db


def _to(kind):
    return sorted(OutboxMessage.objects.filter(kind=kind, channel="email").values_list("recipient__username",
                                                                                      flat=True))


def test_nothing_is_sent_before_the_reminder_day(completed):
    assert scan_retrospectives_due(now=moment(2026, 3, 26, 10)) == 0  # due Mon 03-30, reminder Fri 03-27


def test_the_initiator_is_reminded_then_the_head_and_management_are_told_once(completed, parties):
    assert scan_retrospectives_due(now=moment(2026, 3, 27, 10)) > 0
    assert _to("reminder.retrospective") == ["host"]
    assert _to("escalation.retrospective") == []
    scan_retrospectives_due(now=moment(2026, 3, 30, 18))  # the deadline itself: still in time
    assert _to("escalation.retrospective") == []
    scan_retrospectives_due(now=moment(2026, 3, 31, 9))
    assert _to("escalation.retrospective") == ["admin", "market_head"]
    before = OutboxMessage.objects.count()
    assert scan_retrospectives_due(now=moment(2026, 3, 31, 15)) == 0
    assert OutboxMessage.objects.count() == before


def test_a_planned_retrospective_is_not_chased(completed, parties):
    services.retrospective_plan_meeting(actor=parties["host"], retrospective=completed, data={
        "start": dt.datetime(2026, 3, 27, 14, tzinfo=SHANGHAI), "end": dt.datetime(2026, 3, 27, 15, tzinfo=SHANGHAI)})
    assert scan_retrospectives_due(now=moment(2026, 4, 2)) == 0


def test_escalation_waits_the_policy_working_days(completed):
    policy = retro_policy_for(completed.request.organisation)
    policy.escalate_after_workdays = 2
    policy.save()
    scan_retrospectives_due(now=moment(2026, 3, 31, 9))
    assert _to("escalation.retrospective") == []
    scan_retrospectives_due(now=moment(2026, 4, 1, 9))
    assert _to("escalation.retrospective") == ["admin", "market_head"]


def test_a_late_progress_update_is_reminded_by_cadence(accepted, parties):
    # 销售部 accepted Fri 02-13: weekly, the first update is due five working days later (02-27).
    assert scan_progress_late(now=moment(2026, 2, 27, 10)) == 0
    scan_progress_late(now=moment(2026, 3, 2, 10))
    assert "head" in _to("reminder.progress")
    services.progress_post(actor=parties["member"], request=accepted, now=moment(2026, 3, 2, 11),
                           data={"percent": 30, "done": "完成10个渠道铺货"})
    OutboxMessage.objects.filter(kind="reminder.progress").delete()
    scan_progress_late(now=moment(2026, 3, 3, 10))
    assert "head" not in _to("reminder.progress")
    policy = retro_policy_for(accepted.organisation)
    policy.progress_cadence = "daily"
    policy.save()
    scan_progress_late(now=moment(2026, 3, 4, 10))  # daily: due 03-03, late on 03-04
    assert "head" in _to("reminder.progress")
