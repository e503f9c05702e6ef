"""What `/healthz` reports: the database reachable, the newest worker heartbeat's age, the outbox backlog.

No names, addresses, errors or settings: only yes/no, counts and ages in seconds, so it can be public.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Min, Q

from closeloop.notify.heartbeat import newest_heartbeat
from closeloop.notify.models import OutboxMessage, OutboxState


def _age(now, moment):
    return None if moment is None else round(max((now - moment).total_seconds(), 0.0), 1)


def health_report(*, now, scope="all"):
    """(healthy, report). `scope="web"` leaves the worker out (for load balancers routing web traffic)."""
    silent_after = settings.WORKER_SILENT_SECONDS
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = newest_heartbeat()
        backlog = OutboxMessage.objects.filter(state__in=[OutboxState.PENDING, OutboxState.FAILED]).aggregate(
            pending=Count("pk", filter=Q(state=OutboxState.PENDING)),
            due=Count("pk", filter=Q(state=OutboxState.PENDING, next_attempt_at__lte=now)),
            failed=Count("pk", filter=Q(state=OutboxState.FAILED)),
            oldest=Min("created_at", filter=Q(state=OutboxState.PENDING)),
        )
    except DatabaseError:
        return False, {"status": "failing", "problems": ["database unreachable"], "database": {"reachable": False}}
    problems = []
    beat_age = _age(now, beat)
    if scope != "web":
        if beat_age is None:
            problems.append("no worker has ever reported")
        elif beat_age > silent_after:
            problems.append(f"worker silent for {beat_age:.0f} s")
    report = {
        "status": "failing" if problems else "ok",
        "problems": problems,
        "database": {"reachable": True},
        "worker": {"last_heartbeat_age_seconds": beat_age, "silent_after_seconds": silent_after},
        "outbox": {
            "pending": backlog["pending"], "due": backlog["due"], "failed": backlog["failed"],
            "oldest_pending_age_seconds": _age(now, backlog["oldest"]),
        },
    }
    return not problems, report
