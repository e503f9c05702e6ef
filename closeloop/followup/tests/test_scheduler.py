"""Scans run inside the worker: each when due, one worker at a time, recorded in the bookkeeping table."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from closeloop.notify import scheduler
from closeloop.notify.models import ScanRun
from closeloop.notify.scans import SCANS

pytestmark = pytest.mark.django_db


def test_every_scan_runs_once_when_due_and_then_waits_for_its_interval(settings):
    settings.SCAN_INTERVALS = {"reminders": 60}
    now = timezone.now()
    assert set(scheduler.run_due_scans(now=now)) == set(SCANS)
    assert scheduler.run_due_scans(now=now + dt.timedelta(seconds=30)) == {}
    assert set(scheduler.run_due_scans(now=now + dt.timedelta(seconds=61))) == {"reminders"}
    run = ScanRun.objects.get(name="reminders")
    assert run.runs == 2 and run.last_finished_at is not None and run.last_error == ""


def test_a_claimed_scan_is_not_claimed_again_until_its_lease_ends(settings):
    settings.SCAN_LEASE_SECONDS = 900
    now = timezone.now()
    scheduler.ensure_scan_rows(now)
    claimed = [scheduler.claim_scan(now) for _ in SCANS]
    assert sorted(run.name for run in claimed) == sorted(SCANS)
    assert scheduler.claim_scan(now) is None  # every scan is running somewhere
    # The worker that claimed them died: after the lease they are due again.
    again = scheduler.claim_scan(now + dt.timedelta(seconds=901))
    assert again is not None and again.name in SCANS


def test_a_failing_scan_keeps_its_error_and_does_not_stop_the_others(monkeypatch):
    def broken(*, now=None):
        raise RuntimeError("calendar unavailable")

    monkeypatch.setitem(SCANS, "reminders", broken)
    done = scheduler.run_due_scans(now=timezone.now())
    assert done["reminders"] == 0 and "digests" in done
    assert ScanRun.objects.get(name="reminders").last_error == "RuntimeError: calendar unavailable"


def test_the_worker_command_runs_the_due_scans_between_deliveries(new_item, people):
    today = timezone.localdate()
    new_item(today + dt.timedelta(days=1))  # any weekday: a reminder may or may not be due
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert ScanRun.objects.count() == len(SCANS)
    assert all(run.runs == 1 for run in ScanRun.objects.all())
    call_command("worker", "--once", "--no-scans", stdout=out)
    assert all(run.runs == 1 for run in ScanRun.objects.all())


def test_the_followup_command_runs_the_named_scans_as_of_a_given_time(new_item):
    new_item(dt.date(2026, 10, 9))
    out = StringIO()
    call_command("followup", "reminders", "--at", "2026-10-07T10:00", stdout=out)
    assert out.getvalue().strip() == "reminders: 0 message(s) queued"
    call_command("followup", "reminders", "--at", "2026-10-08T10:00", stdout=out)
    assert "reminders: 0 message(s) queued" not in out.getvalue().splitlines()[-1]


def test_the_followup_command_names_an_unknown_scan_and_a_bad_time():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown scan"):
        call_command("followup", "reminder")
    with pytest.raises(CommandError, match="--at"):
        call_command("followup", "--at", "tomorrow")


@pytest.mark.skipif("postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
                    reason="several workers claim at once on PostgreSQL; SQLite runs one worker")
@pytest.mark.django_db(transaction=True)
def test_workers_claiming_at_the_same_moment_never_run_the_same_scan():
    now = timezone.now()
    scheduler.ensure_scan_rows(now)
    start = threading.Barrier(3)
    claimed = [[], [], []]

    def worker(i):
        try:
            start.wait()
            while (run := scheduler.claim_scan(now)) is not None:
                claimed[i].append(run.name)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    names = [name for names in claimed for name in names]
    assert sorted(names) == sorted(SCANS)
