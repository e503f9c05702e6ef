"""Three real worker processes on PostgreSQL keep each robot's published rate limit, as the robots count it:
by the arrival times that local fakes of DingTalk, WeCom and Feishu record.

Messages for the three robots are queued twenty a second each for 55 seconds, far more than any robot takes,
so the workers contend for every slot all along; the bursts fold into digests and nothing is lost.
"""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from closeloop.notify.testing.workers import MANAGE, ExternalDatabase, WorkerProcess, wait_until
from closeloop.notify.tests.conftest import SECRETS

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
FEED_SECONDS = 55
LIMITS = {"dingtalk": [(20, 60)], "wecom": [(20, 60)], "feishu": [(100, 60), (5, 1)]}

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="several workers share an outbox on PostgreSQL")


def tightest_span(times, count):
    """The shortest time in which `count` + 1 posts arrived (None when fewer arrived)."""
    times = sorted(times)
    spans = [times[i + count] - times[i] for i in range(len(times) - count)]
    return min(spans) if spans else None


SETUP = """
import json
from closeloop.org.models import Department, Organisation
from closeloop.notify.models import Robot
org = Organisation.objects.create(name="限流测试公司")
department = Department.objects.create(organisation=org, name="销售部")
urls, secrets = json.loads({payload!r})
robots = {{p: Robot.objects.create(organisation=org, department=department, platform=p, name=p, url=urls[p],
                                   secret=secrets[p], kinds=["reminder"]).address for p in urls}}
print(json.dumps(robots))
"""

FEED = """
import time
from closeloop.notify.services import outbox_enqueue
robots = {robots!r}
end, i = time.monotonic() + {seconds}, 0
while time.monotonic() < end:
    for platform, address in robots.items():
        outbox_enqueue(key=f"feed:{{platform}}:{{i}}", address=address, channel=platform, kind="reminder",
                       subject=f"提醒 {{i}}", body_text="明天到期 / due tomorrow")
    i += 1
    time.sleep(0.05)
print(i)
"""


@pytest.fixture
def database(tmp_path):
    db = ExternalDatabase(tmp_path)
    try:
        yield db
    finally:
        db.drop()


def test_three_workers_keep_every_robots_limit_by_the_robots_own_clock(database, robot_receiver, record_property):
    receivers = {p: robot_receiver(p, secret=SECRETS[p]) for p in LIMITS}
    payload = json.dumps([{p: r.url for p, r in receivers.items()}, {p: SECRETS[p] for p in LIMITS}])
    output = database.manage("shell", "-c", SETUP.format(payload=payload)).stdout
    robots = json.loads(output.strip().splitlines()[-1])
    env = {"WEBHOOK_ALLOWLIST": "127.0.0.1"}
    workers = [WorkerProcess(database, 1, "--no-scans", name=f"limits{i}", env=env) for i in (1, 2, 3)]
    try:
        feeder = subprocess.run(
            [sys.executable, str(MANAGE), "shell", "-c", FEED.format(robots=robots, seconds=FEED_SECONDS)],
            env=database.env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=FEED_SECONDS + 60)
        queued = int(feeder.stdout.strip().splitlines()[-1]) * len(robots)
        wait_until(lambda: database.states().get("pending", 0) == 0, timeout=90,
                   what="every robot's backlog to go out")
        handled = [worker.stop() for worker in workers]
    finally:
        for worker in workers:
            if worker.process.poll() is None:
                worker.kill()

    report, failures = [], []
    for platform, windows in LIMITS.items():
        arrivals = [r["at"] for r in receivers[platform].requests]
        assert all(r["verified"] and r["answered"] == "success" for r in receivers[platform].requests)
        for count, seconds in windows:
            span = tightest_span(arrivals, count)
            report.append(f"{platform}: {len(arrivals)} posts, tightest {count + 1} within "
                          f"{'-' if span is None else f'{span:.2f}'} s (limit {count} per {seconds} s)")
            if span is not None and span < seconds:
                failures.append(report[-1])
    report.append(f"{queued} messages, workers handled {handled}")
    print("\n".join(report))
    record_property("robot_limits", "; ".join(report))
    assert not failures, failures
    # The limits were reached: each robot had to wait for a window (DingTalk's and WeCom's minute, at least
    # Feishu's second; its 100 a minute too when the machine is fast enough to feed it), so the test shows the
    # limit holding.
    assert all(len(receivers[p].requests) > min(c for c, _s in windows) for p, windows in LIMITS.items()), report
    assert database.states() == {"sent": queued}
    assert sum(h > 0 for h in handled) >= 2, handled
