"""Two people acting at the same moment: of two approvals exactly one wins, of two saves from the same version the
later is refused. Real threads on PostgreSQL; on SQLite (one writer at a time) the two are interleaved by hand
at the worst moment: both have read the minutes in review before either writes."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from closeloop.audit.models import AuditEntry
from closeloop.lib.errors import Conflict
from closeloop.minutes import rules, services
from closeloop.minutes.models import Minutes


def stale_first_read(monkeypatch, stale):
    """The next service call reads `stale` (as if it had read before the other person wrote), later reads are real."""
    real = services._fresh
    calls = []

    def fresh(minutes):
        calls.append(minutes.pk)
        return stale if len(calls) == 1 else real(minutes)
    monkeypatch.setattr(services, "_fresh", fresh)


@pytest.mark.django_db
def test_of_two_interleaved_approvals_exactly_one_wins(in_review, cast, monkeypatch):
    read_by_second = Minutes.objects.select_related("meeting__organisation").get(pk=in_review.pk)
    services.minutes_approve(actor=cast["host"], minutes=in_review)
    stale_first_read(monkeypatch, read_by_second)
    with pytest.raises(Conflict):
        services.minutes_approve(actor=cast["admin"], minutes=read_by_second)
    minutes = Minutes.objects.get(pk=in_review.pk)
    assert minutes.approved_by == cast["host"]
    assert AuditEntry.objects.filter(action="minutes.approve").count() == 1


@pytest.mark.django_db
def test_an_approval_interleaved_with_a_return_loses_cleanly(in_review, cast, monkeypatch):
    read_by_second = Minutes.objects.select_related("meeting__organisation").get(pk=in_review.pk)
    services.minutes_return(actor=cast["host"], minutes=in_review, comment="再改改")
    stale_first_read(monkeypatch, read_by_second)
    with pytest.raises(Conflict):
        services.minutes_approve(actor=cast["admin"], minutes=read_by_second)
    assert Minutes.objects.get(pk=in_review.pk).state == "draft"


@pytest.mark.django_db
def test_of_two_interleaved_saves_from_the_same_version_the_later_is_refused(draft, cast, monkeypatch):
    read_by_second = Minutes.objects.select_related("meeting__organisation").get(pk=draft.pk)
    services.minutes_save(actor=cast["host"], minutes=draft, content={"title": "主持人的"}, version=1)
    stale_first_read(monkeypatch, read_by_second)
    with pytest.raises(Conflict):
        services.minutes_save(actor=cast["recorder"], minutes=read_by_second, content={"title": "记录人的"},
                              version=1)
    assert Minutes.objects.get(pk=draft.pk).content["title"] == "主持人的"


# Skipped before any database work: a transactional test flushes, which SQLite's row triggers refuse.
@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                    reason="SQLite takes one writer at a time; the interleaved tests above cover it")
@pytest.mark.django_db(transaction=True)
def test_two_threads_approving_at_the_same_moment_on_postgresql_one_wins(in_review, cast, monkeypatch):
    barrier = threading.Barrier(2, timeout=10)
    real_next_state = rules.next_state

    def next_state_together(state, action):
        # Both threads have read "in review" and passed every check before either writes.
        result = real_next_state(state, action)
        barrier.wait()
        return result
    monkeypatch.setattr(rules, "next_state", next_state_together)
    outcomes = {}

    def approve(who):
        try:
            services.minutes_approve(actor=cast[who], minutes=Minutes.objects.get(pk=in_review.pk))
            outcomes[who] = "won"
        except Conflict:
            outcomes[who] = "conflict"
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            outcomes[who] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(who,)) for who in ("host", "admin")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "won"], outcomes
    winner = next(who for who, outcome in outcomes.items() if outcome == "won")
    minutes = Minutes.objects.get(pk=in_review.pk)
    assert minutes.state == "approved" and minutes.approved_by == cast[winner]
    assert AuditEntry.objects.filter(action="minutes.approve").count() == 1
