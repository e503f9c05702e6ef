"""Template helpers for working days: the "counted Mon–Fri" badge, day labels for the calendar.

    {% load workdays %}
    {{ item.due|date:"Y-m-d" }} {% assumed_badge due_result %}
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

register = template.Library()

# chinese-calendar names its holidays in English; these make them translatable.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Anti-Fascist 70th Day"),
}

SOURCES = {
    "override": gettext_lazy("set by an administrator"),
    "imported": gettext_lazy("imported"),
    "chinese-calendar": gettext_lazy("China's statutory calendar"),
    "holidays": gettext_lazy("public holidays"),
    "weekday": gettext_lazy("Monday–Friday (year unknown)"),
}


def _is_assumed(value):
    if isinstance(value, bool):
        return value
    if hasattr(value, "assumed"):
        return bool(value.assumed)
    if hasattr(value, "known"):  # a DayInfo
        return not value.known
    return False


@register.simple_tag
def assumed_badge(result):
    """A small badge when a date or count was worked out Monday–Friday because its year is unknown."""
    if not _is_assumed(result):
        return ""
    return format_html(
        '<span class="badge assumed" title="{}">{}</span>',
        _("This year is not in the working calendar yet; an administrator can import it."),
        _("counted Mon–Fri: year unknown"),
    )


@register.filter
def holiday_name(name):
    return HOLIDAY_NAMES.get(name, name or "")


@register.filter
def day_source(source):
    return SOURCES.get(source, source or "")


def _is_holiday(day):
    # A named weekend inside a holiday (2026-10-03) counts as part of it; a plain weekend does not.
    return not day.working and (not day.weekend or bool(day.name))


@register.filter
def day_class(day):
    """The CSS classes of a calendar cell (app.css: .day .off .work-weekend .unknown)."""
    classes = ["day"]
    if not day.known:
        classes.append("unknown")
    if day.adjusted:
        classes.append("work-weekend")
    elif _is_holiday(day):
        classes.append("off")
    elif not day.working:
        classes.append("weekend")
    return " ".join(classes)


@register.filter
def day_mark(day):
    """The one-word mark in a cell: 班 on an adjusted working weekend, 休 on a holiday."""
    if day.adjusted:
        return pgettext("calendar cell mark", "work")
    if _is_holiday(day):
        return pgettext("calendar cell mark", "off")
    return ""


@register.filter
def day_source_shown(day):
    """The cell names its source where it is not the year's usual one; the banner and colour cover guessed days."""
    return day.source == "override" or (day.source == "imported" and bool(day.name or day.adjusted))


@register.filter
def day_kind(day):
    """What the day is, in words."""
    if day.adjusted:
        return _("working day (adjusted weekend)")
    if day.working:
        return _("working day")
    return _("holiday") if _is_holiday(day) else _("weekend")
