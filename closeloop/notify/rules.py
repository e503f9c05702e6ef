"""Pure rules for channels: which kind a message is, when quiet hours end. No database."""

import datetime as dt

KINDS = ("reminder", "risk", "escalation", "digest", "notice", "minutes")
# Message kinds used across the apps that are not a preference kind themselves.
ALIASES = {"cancel": "notice", "overdue": "escalation", "minutes_late": "minutes", "followup": "notice"}


def category_of(kind):
    """The preference kind of a message kind: 'minutes.distributed' → 'minutes', 'cancel' → 'notice'."""
    head = (kind or "").split(".")[0].split(":")[0]
    if head in KINDS:
        return head
    return ALIASES.get(head, "notice")


def quiet_until(local_now, start, end):
    """The end of the quiet period `local_now` falls in (same time zone as `local_now`), or None.

    `start`/`end` are wall-clock times; start > end spans midnight (22:00–07:00); start == end means none.
    """
    if start is None or end is None or start == end:
        return None
    now_t = local_now.timetz().replace(tzinfo=None)
    day = local_now.date()
    if start < end:
        if start <= now_t < end:
            return dt.datetime.combine(day, end, tzinfo=local_now.tzinfo)
        return None
    if now_t >= start:
        return dt.datetime.combine(day + dt.timedelta(days=1), end, tzinfo=local_now.tzinfo)
    if now_t < end:
        return dt.datetime.combine(day, end, tzinfo=local_now.tzinfo)
    return None


# A message whose delivery failed this many times in a row (or was given up) means its channel is failing.
FAILING_AFTER_ATTEMPTS = 3
# Administrators hear about a failing channel at most once in this many hours.
FAILING_ALERT_HOURS = 6


def is_failing(*, channel, attempts, gave_up):
    """Whether a failed delivery shows its channel failing (not a one-off hiccup worth only a retry). The
    inbox fails only for a recipient who left (deactivated): that is no channel failing."""
    if channel == "inbox":
        return False
    return gave_up or attempts >= FAILING_AFTER_ATTEMPTS


def alert_period(moment):
    """The period (a number) a failing-channel alert at `moment` belongs to: one alert per channel each."""
    return int(moment.timestamp() // (FAILING_ALERT_HOURS * 3600))
