"""The worker's periodic scans. An app registers its own from `AppConfig.ready`; the scheduler runs them.

The worker sits low in the house and knows no app above it: reminders, escalations and digests plug in here.
"""

SCANS = {}  # name -> scan(*, now) -> how many notifications it queued
INTERVALS = {}  # name -> seconds between runs (settings.SCAN_INTERVALS may override)


def register_scan(name, scan, *, every=600):
    """Have the worker run `scan(now=...)` every `every` seconds, one worker at a time."""
    SCANS[name] = scan
    INTERVALS[name] = every
