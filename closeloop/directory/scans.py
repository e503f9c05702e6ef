"""The worker's scheduled directory sync (registered by the notify app, which runs the scans)."""

from .ldapdir import configured
from .services import directory_sync


def directory_sync_scan(*, now):
    """One sync run; queues nothing itself (leavers' heads are told through `person_left`)."""
    if configured():
        directory_sync()
    return 0
