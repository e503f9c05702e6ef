"""The worker's batches on PostgreSQL, over a database connection of the worker's own.

A batch is claimed with one statement (the due rows picked FOR UPDATE SKIP LOCKED, their attempt counted and their
lease set by one UPDATE … RETURNING), and each accepted mail is recorded with one prepared statement that goes to
the server at once while the next mail's envelope and text go out; its answer is read just before that mail's
final dot (the gate, see `pipeline`). No thread and no transaction block: each statement commits on its own,
without waiting for the WAL flush (worker._async_commits says why that loses nothing), so a record costs the
worker one write to a socket and one read. Django's ORM and a recording thread cost about a third of a
millisecond of CPU a mail more.

The connection is not Django's: Django's keeps synchronous commits for the scans, and a test's transaction (which
this connection cannot see) keeps the ORM path (`usable()`). The rare outcomes (refusals, give-ups, releases) are
recorded through Django as before.
"""

import datetime as dt
import json

from django.conf import settings
from django.db import OperationalError, connection

from closeloop.notify.models import Channel, DeliveryAttempt, EndpointThrottle, OutboxMessage, OutboxState
from closeloop.notify.pipeline import RecordFailed

_RECORD = b"closeloop_record_sent"
_lane = None  # the worker's own psycopg connection, opened at its first batch
_FIELDS = OutboxMessage._meta.concrete_fields
_JSON_FIELDS = {i for i, f in enumerate(_FIELDS) if f.get_internal_type() == "JSONField"}


def usable():
    """Only outside a transaction: rows written in an open transaction are invisible to another connection."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _claim_sql():
    q = connection.ops.quote_name
    outbox, throttle = q(OutboxMessage._meta.db_table), q(EndpointThrottle._meta.db_table)
    columns = ", ".join(f"o.{q(f.column)}" for f in _FIELDS)
    # The first due message decides: mail takes more due mail along, other channels go one at a time.
    return (
        f"WITH due AS (SELECT m.id, m.channel, m.next_attempt_at FROM {outbox} m "
        f"WHERE m.state = %(pending)s AND m.next_attempt_at <= %(now)s AND NOT EXISTS (SELECT 1 FROM {throttle} t "
        f"WHERE t.channel = m.channel AND t.address = m.address AND t.held_until > %(now)s) "
        f"ORDER BY m.next_attempt_at, m.id LIMIT %(size)s FOR UPDATE SKIP LOCKED), "
        f"head AS (SELECT id, channel FROM due ORDER BY next_attempt_at, id LIMIT 1), "
        f"picked AS (SELECT due.id, due.next_attempt_at FROM due, head "
        f"WHERE due.id = head.id OR (head.channel = %(email)s AND due.channel = %(email)s)) "
        f"UPDATE {outbox} o SET attempts = o.attempts + 1, next_attempt_at = %(lease)s FROM picked "
        f"WHERE o.id = picked.id RETURNING {columns}, picked.next_attempt_at"
    )


def _record_sql():
    q = connection.ops.quote_name
    outbox, attempts = q(OutboxMessage._meta.db_table), q(DeliveryAttempt._meta.db_table)
    return (f"WITH sent AS (UPDATE {outbox} SET state = $1, sent_at = $2, last_error = '' WHERE id = $3 "
            f"RETURNING id) INSERT INTO {attempts} (message_id, at, ok, error) SELECT id, $4, true, '' FROM sent")


def _open():
    import psycopg

    lane = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        lane.execute("SET synchronous_commit TO OFF")
        _check(lane.pgconn.prepare(_RECORD, _record_sql().encode()))
    except BaseException:
        lane.close()
        raise
    return lane


def _connection():
    global _lane
    if _lane is None or _lane.closed:
        _lane = _guarded(_open)
    return _lane


def _guarded(fn, *args):
    """psycopg's errors as Django's (the worker's outage handling knows those); the broken connection is dropped."""
    import psycopg

    try:
        return fn(*args)
    except psycopg.Error as exc:
        close()
        raise OperationalError(str(exc)) from exc


def _check(result):
    from psycopg import pq

    if result.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
        message = result.error_message.decode(errors="replace").strip() or "the statement failed"
        raise OperationalError(message)


def close():
    """Close the worker's own connection (its exit, tests, a database error)."""
    global _lane
    lane, _lane = _lane, None
    if lane is not None:
        try:
            lane.close()
        except Exception:  # noqa: BLE001 - it is being thrown away
            pass


def claim(now, size):
    """[claimed messages] in due order, each with its attempt counted (`attempts` includes this one) and its lease
    set; `message.max_attempts` is left to the caller."""
    lease = now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    params = {"pending": OutboxState.PENDING, "now": now, "size": max(size, 1), "email": Channel.EMAIL,
              "lease": lease}
    rows = _guarded(lambda: _connection().execute(_claim_sql(), params).fetchall())
    rows.sort(key=lambda row: (row[-1], row[0]))
    names = [f.attname for f in _FIELDS]
    claimed = []
    for row in rows:
        values = list(row[:-1])
        for i in _JSON_FIELDS:
            if isinstance(values[i], str):
                values[i] = json.loads(values[i])
        claimed.append(OutboxMessage.from_db(connection.alias, names, values))
    return claimed


class Recorder:
    """Records a batch's outcomes like `pipeline.Recorder`: an accepted mail's record is sent to the server at
    once and its answer read at the next gate (`wait`); any other outcome waits for that answer and is recorded
    through Django by `fallback(message, now, outcome)`."""

    def __init__(self, fallback):
        self.fallback, self.pending = fallback, None

    def wait(self):
        """Return once the last record is committed; RecordFailed (from its error) if it failed."""
        pgconn, self.pending = self.pending, None
        if pgconn is None:
            return
        try:
            _guarded(self._read, pgconn)
        except OperationalError as exc:
            close()
            raise RecordFailed(str(exc)) from exc

    @staticmethod
    def _read(pgconn):
        """The answers on the connection the record went to (a connection opened since would answer nothing)."""
        error = None
        while (result := pgconn.get_result()) is not None:
            try:
                _check(result)
            except OperationalError as exc:
                error = error or exc
        if error is not None:
            raise error

    def record(self, message, now, outcome):
        self.wait()
        if outcome is not None:
            self.fallback(message, now, outcome)
            return
        message.state, message.sent_at, message.last_error = OutboxState.SENT, now, ""
        params = [OutboxState.SENT.encode(), now.isoformat().encode(), str(message.pk).encode(),
                  dt.datetime.now(dt.UTC).isoformat().encode()]
        try:
            pgconn = _connection().pgconn
            _guarded(pgconn.send_query_prepared, _RECORD, params)
        except OperationalError as exc:
            raise RecordFailed(str(exc)) from exc
        self.pending = pgconn
