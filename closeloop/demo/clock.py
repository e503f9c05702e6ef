"""The demo's clock: its held meeting happened days ago, so what was done that day carries that day's time.

The services stamp their rows (answers, sign-in, decisions, approvals, audit rows) with `timezone.now()`. While the
demo builds its past it sets that clock to the moment each step happened, so an approval is dated the day of the
meeting, not the day the demo was loaded. Only the demo command does this, in its own process and transaction.
"""

import contextlib

from django.utils import timezone


class PastClock:
    def __init__(self):
        self.moment = None

    def at(self, moment):
        self.moment = moment
        return self


@contextlib.contextmanager
def past_clock():
    clock = PastClock()
    real_now = timezone.now
    timezone.now = lambda: clock.moment or real_now()
    try:
        yield clock
    finally:
        timezone.now = real_now
