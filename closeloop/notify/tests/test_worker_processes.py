"""Real worker processes against a real database and a real SMTP receiver on 127.0.0.1.

The kill test: a worker is SIGKILLed three times in the middle of a batch (twice at an arbitrary moment,
once right when the receiver has accepted a message and before the worker could record it), restarted
each time, and the receiver's count proves that every message arrived and that any duplicate lies in
the window "accepted there, not yet recorded here". Two workers on PostgreSQL share one outbox
without delivering anything twice.
"""

import os
import signal
import threading
import time

import pytest
from django.conf import settings

from closeloop.notify.testing.workers import ExternalDatabase, WorkerProcess, counting_smtp, wait_until
from closeloop.notify.transports.email import message_id_for

N = 300
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
# A killed worker's message is due again after this lease (the default, ten minutes, is for production).
FAST_LEASE = {"OUTBOX_LEASE_SECONDS": "2"}


@pytest.fixture
def database(tmp_path):
    db = ExternalDatabase(tmp_path)
    try:
        yield db
    finally:
        db.drop()


def unrecorded_attempts(database, keys):
    """{key: (attempts claimed, attempts recorded)} for these messages."""
    marks = ",".join("?" for _ in keys)
    rows = database.query(
        "SELECT m.idempotency_key, m.attempts, (SELECT COUNT(*) FROM notify_deliveryattempt a "
        f"WHERE a.message_id = m.id) FROM notify_outboxmessage m WHERE m.idempotency_key IN ({marks})", keys)
    return {key: (claimed, recorded) for key, claimed, recorded in rows}


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_only_what_it_could_not_record(database,
                                                                                               record_property):
    keys = database.enqueue(N, prefix="kill")
    by_message_id = {message_id_for(key): key for key in keys}
    kills = []
    with counting_smtp() as (receiver, port):
        # Kill 1 and 3 from outside at whatever the worker is doing; kill 2 from inside the receiver, after it
        # accepted message 150 and before the 250 answer reaches the worker: the duplicate window itself.
        for threshold, inside in ((N // 4, False), (N // 2, True), (3 * N // 4, False)):
            worker = WorkerProcess(database, port, name=f"killed{len(kills) + 1}", env=FAST_LEASE)
            if inside:
                fired = threading.Event()

                def kill_on_accept(n, message_id, worker=worker, threshold=threshold, fired=fired):
                    if n >= threshold and not fired.is_set():
                        fired.set()
                        os.kill(worker.pid, signal.SIGKILL)

                receiver.on_accept = kill_on_accept
            wait_until(lambda threshold=threshold: receiver.total >= threshold, what=f"{threshold} deliveries")
            worker.kill()
            receiver.on_accept = None
            kills.append(receiver.total)
        survivor = WorkerProcess(database, port, name="survivor", env=FAST_LEASE)
        wait_until(lambda: database.states().get("pending", 0) == 0, what="the outbox to drain")
        survivor.stop()
        time.sleep(0.2)  # a last answer in flight at the receiver

    missing = set(by_message_id) - set(receiver.counts)
    assert not missing, f"{len(missing)} message(s) never arrived"
    assert database.states() == {"sent": N}
    duplicates = receiver.duplicates()
    report = (f"kill test ({database.vendor}): {N} messages, {len(kills)} SIGKILLs at deliveries {kills}, "
              f"{sum(duplicates.values())} duplicate(s): {sorted(by_message_id[m] for m in duplicates)}")
    print(report)
    record_property("kill_test", report)
    # One message is in flight per worker, so each kill can duplicate at most one.
    assert sum(duplicates.values()) <= len(kills)
    # The kill inside the receiver's acceptance must have produced its duplicate.
    assert duplicates, report
    # Each duplicate's row shows an attempt that was claimed and never recorded: the worker died between the
    # receiver's acceptance and the record of it; its successful re-send is the one recorded.
    attempts = unrecorded_attempts(database, [by_message_id[m] for m in duplicates])
    for key, (claimed, recorded) in attempts.items():
        assert claimed > recorded >= 1, (key, claimed, recorded)


@pytest.mark.skipif(not ON_POSTGRES, reason="several workers share an outbox on PostgreSQL (SQLite runs one)")
def test_two_workers_on_postgresql_share_one_outbox_without_delivering_anything_twice(database, record_property):
    # Both workers are started and connected before anything is queued, and a slow receiver (10 ms a message)
    # keeps the batch going long enough for both to take part, however slowly either started.
    with counting_smtp(delay=0.01) as (receiver, port):
        workers = [WorkerProcess(database, port, name=f"pair{i}") for i in (1, 2)]
        wait_until(lambda: database.query("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                                          "AND pid <> pg_backend_pid()")[0][0] >= 2, what="both workers connected")
        keys = database.enqueue(N, prefix="pair")
        wait_until(lambda: database.states().get("pending", 0) == 0, what="the outbox to drain")
        handled = [worker.stop() for worker in workers]
    report = f"two workers: {N} messages, handled {handled}, duplicates {sum(receiver.duplicates().values())}"
    print(report)
    record_property("two_workers", report)
    assert set(receiver.counts) == {message_id_for(key) for key in keys}
    assert receiver.duplicates() == {}
    assert sum(handled) == N and all(h > 0 for h in handled), handled
    assert database.states() == {"sent": N}
