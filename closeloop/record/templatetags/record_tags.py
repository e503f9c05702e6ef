"""Small display helpers for the live record."""

from django import template

register = template.Library()


@register.filter
def clock(seconds):
    """Seconds as m:ss (the timer shows the time left; over budget it shows how far over, with a +)."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    sign = "+" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


@register.filter
def unsigned(rows):
    """How many sign-in rows are not signed in yet."""
    return sum(1 for row in rows if row.attendance is None)
