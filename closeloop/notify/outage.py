"""How the worker lives through a database outage, or an unexpected error in one of its steps (a bug): exponential
back-off, one log line per retry carrying the error's first line, and the full traceback once per outage (not once
per idle loop)."""

import logging
import time

log = logging.getLogger("closeloop.notify.worker")


def first_line(exc):
    """The first non-empty line of an error's text, with its type (drivers write several lines)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")


class Outage:
    """Back-off state for one worker: `failed(exc)` → seconds to wait before the next try; `recovered()`
    after a step that reached the database again."""

    first = "Database unavailable; retrying in %.1f s: %s"
    again = "Database still unavailable (try %d, %.0f s since the outage began); retrying in %.1f s: %s"
    back = "Database reachable again after %d failed tries over %.0f s."

    def __init__(self, *, base=0.5, cap=60.0, clock=time.monotonic):
        self.base, self.cap, self.clock = max(base, 0.05), max(cap, base), clock
        self.failures = 0
        self.since = None

    @property
    def active(self):
        return self.failures > 0

    def delay(self):
        return min(self.base * 2 ** max(self.failures - 1, 0), self.cap)

    def failed(self, exc):
        self.failures += 1
        if self.since is None:
            self.since = self.clock()
        wait = self.delay()
        if self.failures == 1:
            log.error(self.first, wait, first_line(exc), exc_info=exc)
        else:
            log.warning(self.again, self.failures, self.clock() - self.since, wait, first_line(exc))
        return wait

    def recovered(self):
        if self.failures:
            log.warning(self.back, self.failures, self.clock() - self.since)
        self.failures, self.since = 0, None


class StepFailures(Outage):
    """The same back-off for an unexpected error in a step of the worker (a bug, not the database): the worker
    goes on with the rest of the outbox instead of stopping, and says so."""

    first = "Worker step failed; retrying in %.1f s: %s"
    again = "Worker step failed again (try %d, %.0f s since the first failure); retrying in %.1f s: %s"
    back = "Worker steps succeed again after %d failed tries over %.0f s."
