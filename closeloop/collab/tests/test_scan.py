"""The periodic scan: a late answer is reminded, then escalated after the policy's working days; never twice."""

from closeloop.collab import services
from closeloop.collab.scans import scan_unanswered
from closeloop.collab.selectors import collab_policy_for
from closeloop.notify.models import OutboxMessage

from .conftest import moment


def kinds_for(person):
    return sorted(OutboxMessage.objects.filter(recipient=person, channel="email")
                  .exclude(kind="notice.request_sent").values_list("kind", flat=True))


def test_nothing_is_sent_before_the_deadline_has_passed(sent, parties):
    # due by the end of the adjusted working Saturday 2026-02-14
    assert scan_unanswered(now=moment(2026, 2, 14, 17)) == 0


def test_a_late_answer_is_reminded_then_escalated_after_the_holidays(sent, parties):
    # Sunday 02-15 is a holiday: past the deadline, so a reminder, but no working day has passed for escalation.
    assert scan_unanswered(now=moment(2026, 2, 15, 9)) == 4  # two heads × email + inbox
    assert kinds_for(parties["head"]) == ["reminder.request"]
    assert kinds_for(parties["product_head"]) == ["reminder.request"]
    assert not OutboxMessage.objects.filter(kind="escalation.request").exists()
    assert scan_unanswered(now=moment(2026, 2, 20, 9)) == 0  # still the holidays; nothing new
    # Tuesday 02-24 is the first working day after: one working day late → escalate to the PMO.
    queued = scan_unanswered(now=moment(2026, 2, 24, 9))
    assert queued == 4  # admin × two departments × (email + inbox)
    escalations = OutboxMessage.objects.filter(kind="escalation.request", channel="email", recipient=parties["admin"])
    assert escalations.count() == 2
    assert any("销售部" in m.subject for m in escalations)
    assert sent.events.filter(kind="escalated").count() == 2
    assert scan_unanswered(now=moment(2026, 2, 25, 9)) == 0  # idempotent


def test_an_answered_or_questioned_department_is_left_alone(sent, parties):
    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="accept",
                            now=moment(2026, 2, 13, 15))
    services.request_answer(actor=parties["product_head"], request=sent, department=parties["product"],
                            answer="clarify", note="Which models?", now=moment(2026, 2, 13, 15))
    assert scan_unanswered(now=moment(2026, 3, 2, 9)) == 0


def test_the_escalation_delay_follows_the_policy(sent, parties):
    policy = collab_policy_for(sent.organisation)
    policy.escalate_after_workdays = 2
    policy.save()
    scan_unanswered(now=moment(2026, 2, 24, 9))
    assert not OutboxMessage.objects.filter(kind="escalation.request").exists()
    scan_unanswered(now=moment(2026, 2, 25, 9))
    assert OutboxMessage.objects.filter(kind="escalation.request").exists()


def test_a_withdrawn_request_is_not_chased(sent, parties):
    services.request_withdraw(actor=parties["host"], request=sent, reason="取消")
    assert scan_unanswered(now=moment(2026, 2, 24, 9)) == 0


def test_the_worker_runs_the_scan_every_ten_minutes(sent, parties):
    from closeloop.notify.scans import INTERVALS, SCANS
    from closeloop.notify.scheduler import run_due_scans

    assert SCANS["collab_answers"] is scan_unanswered and INTERVALS["collab_answers"] == 600
    done = run_due_scans(now=moment(2026, 2, 24, 9))  # the worker's loop: every due scan, ours included
    assert done["collab_answers"] == 8  # two reminders and two escalations, each by email and inbox
    assert OutboxMessage.objects.filter(kind="escalation.request", recipient=parties["admin"]).exists()
    assert run_due_scans(now=moment(2026, 2, 24, 9, 5)).get("collab_answers") is None  # not due again yet
