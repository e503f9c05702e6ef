"""A series' recurrence as plain data: the next meeting day, on a working day; and its default topics' text."""

import datetime as dt

MAX_SHIFT_DAYS = 14  # a holiday longer than two weeks is not a week's meeting any more


def next_meeting_day(*, last_day, today, weekday, interval_weeks, is_working_day):
    """The day of the next meeting: `interval_weeks` after the last one on `weekday` (or the first `weekday`
    after today when there was none), never before tomorrow, moved to the next working day when it is off."""
    interval = max(1, interval_weeks or 1)
    if last_day is None:
        day = today + dt.timedelta(days=1)
    else:
        day = last_day + dt.timedelta(weeks=interval) - dt.timedelta(days=last_day.weekday())
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    while day <= today:
        day += dt.timedelta(weeks=interval)
    for _ in range(MAX_SHIFT_DAYS):
        if is_working_day(day):
            return day
        day += dt.timedelta(days=1)
    return day


def parse_topics(text, default_minutes=10):
    """[(title, minutes)] from one topic a line, "title | minutes"; a line without minutes gets the default."""
    topics = []
    for line in (text or "").splitlines():
        title, _bar, minutes = line.partition("|")
        title = title.strip()
        if not title:
            continue
        minutes = minutes.strip()
        topics.append((title, int(minutes) if minutes.isdigit() and int(minutes) > 0 else default_minutes))
    return topics


def bad_topic_lines(text):
    """Line numbers whose minutes after the bar are not a whole positive number."""
    bad = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        title, bar, minutes = line.partition("|")
        if bar and title.strip() and not (minutes.strip().isdigit() and int(minutes.strip()) > 0):
            bad.append(n)
    return bad
