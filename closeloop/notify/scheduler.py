"""Running the scans inside the worker: each scan is due every so often; one worker runs it at a time.

A worker claims a due scan by moving its `next_run_at` one lease ahead in a short transaction (with
SKIP LOCKED on PostgreSQL, under SQLite's write lock otherwise), runs it outside that transaction, then
records the result and the next due time. A worker that dies mid-scan leaves it due again after the
lease; re-running is harmless because every notification has a deterministic outbox key.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from closeloop.notify.models import ScanRun
from closeloop.notify.scans import INTERVALS, SCANS

log = logging.getLogger(__name__)

def interval_for(name):
    intervals = {**INTERVALS, **getattr(settings, "SCAN_INTERVALS", {})}
    return dt.timedelta(seconds=intervals.get(name, 600))


def lease():
    return dt.timedelta(seconds=getattr(settings, "SCAN_LEASE_SECONDS", 900))


def ensure_scan_rows(now):
    """One bookkeeping row per known scan, due at once when new."""
    known = set(ScanRun.objects.values_list("name", flat=True))
    missing = [ScanRun(name=name, next_run_at=now) for name in SCANS if name not in known]
    if missing:
        ScanRun.objects.bulk_create(missing, ignore_conflicts=True)


def claim_scan(now):
    """Claim one due scan (its row's next run moved a lease ahead) or return None."""
    with transaction.atomic():
        qs = ScanRun.objects.filter(name__in=list(SCANS), next_run_at__lte=now).order_by("next_run_at", "name")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        run = qs.first()
        if run is None:
            return None
        run.next_run_at = now + lease()
        run.last_started_at = now
        run.save(update_fields=["next_run_at", "last_started_at"])
        return run


def run_scan(run, now):
    """Run a claimed scan and record how it went; an error is kept on the row and the scan retried later."""
    count, error = 0, ""
    try:
        count = SCANS[run.name](now=now)
    except Exception as exc:  # a failing scan must not stop deliveries; the admin shows the error
        log.exception("Scan %s failed", run.name)
        error = f"{type(exc).__name__}: {exc}"
    finished = timezone.now()
    ScanRun.objects.filter(pk=run.pk).update(
        next_run_at=max(finished, now) + interval_for(run.name), last_finished_at=finished,
        last_count=count, last_error=error, runs=F("runs") + 1)
    return count


def run_due_scans(*, now=None):
    """Run every scan that is due (and not claimed by another worker); returns {name: queued}."""
    now = now or timezone.now()
    ensure_scan_rows(now)
    done = {}
    while (run := claim_scan(now)) is not None:
        done[run.name] = run_scan(run, now)
    return done
