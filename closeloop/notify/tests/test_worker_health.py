"""The worker through a database outage, and `/healthz`, with real processes: `closeloop worker` pointed at a
closed port (no traceback flood, exponential back-off), and a web server whose worker has stopped (503)."""

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.utils import timezone

from closeloop.notify.models import WorkerHeartbeat
from closeloop.notify.outage import Outage, first_line
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.smtp import free_port
from closeloop.notify.testing.workers import MANAGE, ExternalDatabase, WorkerProcess, counting_smtp, wait_until

TRACEBACK = "Traceback (most recent call last)"


# --- the back-off arithmetic -------------------------------------------------------------------------------

def test_the_wait_doubles_up_to_the_cap_and_starts_again_after_recovery(caplog):
    outage = Outage(base=0.5, cap=4, clock=lambda: 0.0)
    error = ConnectionError("connection refused\n\tIs the server running on that host?")
    assert [outage.failed(error) for _ in range(6)] == [0.5, 1, 2, 4, 4, 4]
    outage.recovered()
    assert outage.failed(error) == 0.5
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 2  # once per outage
    assert all("\n" not in r.getMessage() for r in caplog.records)


def test_the_first_line_of_a_multi_line_driver_error_is_kept_with_its_type():
    assert first_line(RuntimeError('connection failed: refused\n\tIs the server running?')) == \
        "RuntimeError: connection failed: refused"


# --- a real worker with no database ------------------------------------------------------------------------

def test_a_worker_without_its_database_backs_off_and_logs_one_traceback_for_the_outage(tmp_path):
    closed = free_port()  # nothing listens here
    env = {k: v for k, v in __import__("os").environ.items() if k != "DATABASE_URL"}
    env.update(PYTHONUNBUFFERED="1", CLOSELOOP_DATA_DIR=str(tmp_path), LOG_LEVEL="INFO",
               DATABASE_URL=f"postgres://closeloop@127.0.0.1:{closed}/closeloop", WORKER_DB_RETRY_MAX_SECONDS="2")
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([sys.executable, str(MANAGE), "worker", "--interval", "0.1"], env=env,
                                   cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: "Database unavailable" in log_path.read_text(), timeout=60, what="the first try")
            time.sleep(5)  # tries at 0, 0.5, 1.5, 3.5, 5.5 s (the wait doubles, capped at 2 s)
        finally:
            process.terminate()
            process.wait(timeout=30)
    output = log_path.read_text()
    retries = [line for line in output.splitlines() if line.startswith("Database still unavailable")]
    # The traceback (a chain of two: the driver's error and Django's) once, before the first retry line, never
    # after: the old loop wrote one every 0.1 s.
    first_try, _, later = output.partition("Database still unavailable")
    assert TRACEBACK in first_try and TRACEBACK not in later, output[:3000]
    assert output.startswith("Database unavailable; retrying in 0.5 s: OperationalError:")
    assert 3 <= len(retries) <= 5, output[-2000:]
    assert all("OperationalError" in line and str(closed) in line for line in retries), retries
    assert re.findall(r"retrying in ([\d.]+) s", output)[:4] == ["0.5", "1.0", "2.0", "2.0"]
    assert len(output.splitlines()) < 120, len(output.splitlines())
    assert process.returncode == 0 and "Delivered or tried 0 message(s)." in output


# --- /healthz -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_healthz_answers_json_without_a_login_and_503_until_a_worker_has_reported(client, settings):
    settings.WORKER_SILENT_SECONDS = 120
    outbox_enqueue(key="h:1", address="secret.person@example.com", kind="reminder", subject="s", body_text="b")
    response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["database"] == {"reachable": True}
    assert data["worker"]["last_heartbeat_age_seconds"] is None and data["problems"] == ["no worker has ever reported"]
    assert data["outbox"]["pending"] == 1 and data["outbox"]["due"] == 1
    assert "secret.person" not in response.content.decode()
    assert client.get("/healthz?scope=web").status_code == 200  # the web servers themselves are fine
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="w1", started_at=now, seen_at=now)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.fixture
def database(tmp_path):
    db = ExternalDatabase(tmp_path)
    try:
        yield db
    finally:
        db.drop()


def get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_healthz_reports_a_stopped_worker_and_the_backlog_it_leaves(database):
    port = free_port()
    server_log = open(database.folder / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, str(MANAGE), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env={**database.env, "WORKER_SILENT_SECONDS": "3"}, cwd=settings.BASE_DIR, stdout=server_log,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/healthz"
    worker = None
    try:
        with counting_smtp() as (_receiver, smtp_port):
            worker = WorkerProcess(database, smtp_port, env={"WORKER_HEARTBEAT_SECONDS": "1"})
            wait_until(lambda: database.query("SELECT COUNT(*) FROM notify_workerheartbeat")[0][0] == 1,
                       what="the worker's first heartbeat")

            def answered():
                try:
                    return get_json(url)[0] == 200
                except OSError:
                    return False

            wait_until(answered, timeout=60, what="the web server answering 200")
            status, data = get_json(url)
            assert data["worker"]["last_heartbeat_age_seconds"] < 3
            worker.stop()
        database.enqueue(3, prefix="left")
        time.sleep(3.5)
        status, data = get_json(url)
        assert status == 503, data
        assert data["status"] == "failing" and data["problems"][0].startswith("worker silent for ")
        assert data["worker"]["last_heartbeat_age_seconds"] > 3
        assert data["outbox"]["pending"] == 3 and data["outbox"]["oldest_pending_age_seconds"] >= 3
        assert get_json(url + "?scope=web")[0] == 200
    finally:
        if worker is not None and worker.process.poll() is None:
            worker.kill()
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
