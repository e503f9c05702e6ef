"""Recording mail outcomes on a thread of its own while the next mail goes out.

Recording an outcome costs a round trip to the database; sending a mail costs four to the mail server. The
worker overlaps them without widening the window the kill test checks: the record of mail k runs on the
recorder's thread (with its own database connection) while mail k+1's envelope and text go out, and the
server may accept mail k+1 only after that record has been committed (`EmailTransport.send(gate=…)` holds
back DATA's final dot until `Recorder.wait()` returns). So at any instant at most one accepted mail is
unrecorded, as when everything ran on one thread. This is SQLite's way; on PostgreSQL the worker sends each
record over a connection of its own without a thread (`pglane`), with the same gate.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import DatabaseError, connection

_pool = None
_pool_lock = threading.Lock()


class RecordFailed(Exception):
    """Recording the previous outcome failed (its cause is the database error): stop the batch."""


def _executor():
    """One recording thread per process, kept for the worker's life so its database connection is reused."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-record")
        return _pool


def _on_recorder_thread(record, message, now, outcome):
    try:
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            if getattr(connection, "_closeloop_async_commit", None) is not connection.connection:
                # Same reasoning as worker._async_commits: this connection only records deliveries.
                with connection.cursor() as cursor:
                    cursor.execute("SET synchronous_commit TO OFF")
                connection._closeloop_async_commit = connection.connection
        record(message, now, outcome)
    except DatabaseError:
        connection.close()  # this thread's connection: the next record opens a fresh one
        raise


class Recorder:
    """Runs `record(message, now, outcome)` for one batch on the recording thread, one record at a time."""

    def __init__(self, record):
        self.record_fn, self.pending = record, None

    def wait(self):
        """Return once the last record is committed; RecordFailed (from its error) if it failed."""
        pending, self.pending = self.pending, None
        if pending is not None:
            try:
                pending.result()
            except Exception as exc:
                raise RecordFailed(str(exc)) from exc

    def record(self, message, now, outcome):
        self.wait()  # the gate was not reached when the mail failed before its text went out
        self.pending = _executor().submit(_on_recorder_thread, self.record_fn, message, now, outcome)


def _close_connection():
    connection.close()  # looked up on the recording thread: that thread's own connection


def stop():
    """Close the recording thread's database connection and end the thread (the worker's exit, tests)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.submit(_close_connection).result()
        pool.shutdown()
