"""Real worker processes for tests and the benchmark: a database other processes can see, a counting SMTP
receiver on 127.0.0.1, and `closeloop worker` started, killed and stopped as a subprocess.

The test database of pytest-django lives inside one transaction that no other process sees, so these
helpers make a database of their own: a SQLite file in a temporary folder, or (when the tests run on
PostgreSQL) a database created for the test and dropped after it.
"""

import asyncio
import collections
import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from closeloop.notify.testing.smtp import free_port

MANAGE = Path(settings.BASE_DIR) / "manage.py"
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


class CountingReceiver:
    """aiosmtpd handler counting accepted messages by Message-ID. `on_accept(n, message_id)` runs just before
    the 250 answer (e.g. to kill the sender then: accepted here, never recorded there)."""

    def __init__(self, delay=0.0):
        self.counts = collections.Counter()
        self.total = 0
        self.delay = delay
        self.on_accept = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        message_id = found.group(1).decode() if found else f"<none-{uuid.uuid4()}>"
        with self.lock:
            self.counts[message_id] += 1
            self.total += 1
            n = self.total
        if self.on_accept is not None:
            self.on_accept(n, message_id)
        return "250 Message accepted for delivery"

    def duplicates(self):
        return {mid: n - 1 for mid, n in self.counts.items() if n > 1}


@contextmanager
def counting_smtp(delay=0.0):
    """(receiver, port): aiosmtpd on a free port of 127.0.0.1."""
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP line at INFO
    receiver = CountingReceiver(delay)
    controller = Controller(receiver, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield receiver, controller.port
    finally:
        controller.stop()


class ExternalDatabase:
    """A migrated database for worker processes, with the environment that points `closeloop` at it."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(PYTHONUNBUFFERED="1", CLOSELOOP_DATA_DIR=str(self.folder), LOG_LEVEL="WARNING")
        default = settings.DATABASES["default"]
        self.vendor = "postgresql" if "postgresql" in default["ENGINE"] else "sqlite"
        self.pg_name = None
        if self.vendor == "postgresql":
            self.pg = {k: default.get(k.upper()) or "" for k in ("user", "password", "host", "port")}
            self.pg_name = f"cl_proc_{uuid.uuid4().hex[:10]}"
            self._pg_admin(f'CREATE DATABASE "{self.pg_name}"')
            auth = self.pg["user"] + (f":{self.pg['password']}" if self.pg["password"] else "")
            self.env["DATABASE_URL"] = (f"postgres://{auth}@{self.pg['host'] or '127.0.0.1'}:"
                                        f"{self.pg['port'] or 5432}/{self.pg_name}")
        self.manage("migrate", "--noinput", "-v", "0")

    def _pg_admin(self, statement):
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in self.pg.items() if v}) as conn:
            conn.execute(statement)

    def drop(self):
        if self.pg_name:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    def manage(self, *args, env=None, timeout=300):
        return subprocess.run([sys.executable, str(MANAGE), *args], env={**self.env, **(env or {})},
                              cwd=settings.BASE_DIR, check=True, capture_output=True, text=True, timeout=timeout)

    def query(self, sql, params=()):
        """Rows of a plain SQL query, on a connection of its own (closed at once)."""
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(dbname=self.pg_name, **{k: v for k, v in self.pg.items() if v}) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchall()
        conn = sqlite3.connect(self.folder / "closeloop.sqlite3", timeout=20)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def enqueue(self, n, prefix="load"):
        """n mail messages (keys <prefix>:0000…), queued in one transaction by a `closeloop shell`."""
        code = (
            "from django.db import transaction\n"
            "from closeloop.notify.services import outbox_enqueue\n"
            "with transaction.atomic():\n"
            f"    for i in range({n}):\n"
            f"        outbox_enqueue(key=f'{prefix}:{{i:04d}}', address=f'p{{i}}@example.com', kind='reminder',\n"
            "                       subject=f'提醒 {i}', body_text='明天到期 / due tomorrow')\n"
        )
        self.manage("shell", "-c", code)
        return [f"{prefix}:{i:04d}" for i in range(n)]

    def states(self):
        return dict(self.query("SELECT state, COUNT(*) FROM notify_outboxmessage GROUP BY state"))


class WorkerProcess:
    """`closeloop worker` as a subprocess writing its output to a file."""

    def __init__(self, database, smtp_port, *args, name="worker", env=None):
        self.log_path = database.folder / f"{name}-{uuid.uuid4().hex[:6]}.log"
        self.log = open(self.log_path, "w")  # closed in stop() or kill()
        worker_env = {**database.env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, str(MANAGE), "worker", "--interval", "0.1", *args], env=worker_env,
            cwd=settings.BASE_DIR, stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.process.pid

    def kill(self):
        """SIGKILL: no handler runs, nothing is recorded after this instant."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self):
        """SIGTERM: the worker finishes its message and says how many it handled; returns that number."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()
        found = re.search(r"Delivered or tried (\d+) message", self.output())
        return int(found.group(1)) if found else None

    def output(self):
        return self.log_path.read_text(errors="replace")


def wait_until(predicate, timeout=120.0, step=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")
