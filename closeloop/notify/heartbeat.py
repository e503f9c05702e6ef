"""Workers' heartbeats: each running worker refreshes its row every few seconds, so operators (and
`/healthz`) can tell a silent worker from an idle one."""

import datetime as dt
import os
import socket
import uuid

from django.db.models import Max

from closeloop.notify.models import WorkerHeartbeat

KEEP = dt.timedelta(days=1)


def worker_name():
    """This process's name in the heartbeat table: host, process id and a random tail (a restarted process
    with a reused id is a new worker)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def heartbeat_beat(*, name, now, handled=0):
    """Record that the worker `name` is alive at `now`, having handled `handled` messages since it started."""
    updated = WorkerHeartbeat.objects.filter(name=name).update(seen_at=now, handled=handled)
    if not updated:
        WorkerHeartbeat.objects.create(name=name, started_at=now, seen_at=now, handled=handled)


def heartbeat_prune(*, now):
    """Rows of workers silent for a day are history: drop them."""
    WorkerHeartbeat.objects.filter(seen_at__lt=now - KEEP).delete()


def newest_heartbeat():
    """The time of the newest heartbeat of any worker, or None when none ever beat."""
    return WorkerHeartbeat.objects.aggregate(newest=Max("seen_at"))["newest"]
