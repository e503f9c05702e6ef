"""Which policy values make sense: pure functions over a dict of field -> value."""

from django.utils.translation import gettext as _

from closeloop.org.choices import RuleMode

# Rules whose number must be at least 1: a zero would forbid every meeting or every topic.
AT_LEAST_ONE = {
    "topics_max", "topic_max_minutes", "meeting_max_minutes", "minutes_draft_hours",
    "minutes_distribute_hours", "request_answer_workdays", "retrospective_workdays",
    "followup_interval_days", "followup_max_minutes", "disagreement_followup_hours", "outbox_max_attempts",
}
# Upper bounds keep numbers humane (and inside a small integer column).
UPPER = {
    "topics_min": 50, "topics_max": 50, "topic_max_minutes": 480, "presentation_max_minutes": 480,
    "meeting_max_minutes": 1440, "buffer_min_minutes": 240, "buffer_max_minutes": 240,
    "minutes_draft_hours": 720, "minutes_distribute_hours": 720, "disagreement_followup_hours": 720,
    "followup_interval_days": 365, "followup_min_minutes": 480, "followup_max_minutes": 480,
    "preread_max_pages": 1000, "outbox_max_attempts": 100,
}
WORKDAYS_UPPER = 60  # rules counted in working days
DEFAULT_UPPER = 32767  # a rule added later without a bound here: the column's limit
TEXT_MAX = 5000
# (lower-field, upper-field): the first may not exceed the second; the error names the first.
PAIRS = [
    ("topics_min", "topics_max"),
    ("buffer_min_minutes", "buffer_max_minutes"),
    ("followup_min_minutes", "followup_max_minutes"),
    ("presentation_max_minutes", "topic_max_minutes"),
    ("notice_lead_urgent_workdays", "notice_lead_workdays"),
]


def policy_errors(values, number_fields, mode_fields, labels=None, text_fields=()):
    """Field -> message for every value that does not make sense; empty when the policy is sound.

    `labels` (field -> human name) words the message comparing two fields.
    """
    labels = labels or {}
    errors = {}
    for field in number_fields:
        value = values.get(field)
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            errors[field] = _("Enter a whole number.")
            continue
        low = 1 if field in AT_LEAST_ONE else 0
        high = UPPER.get(field, WORKDAYS_UPPER if field.endswith("_workdays") else DEFAULT_UPPER)
        if not low <= value <= high:
            errors[field] = _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
    for field in text_fields:
        value = values.get(field)
        if not isinstance(value, str):
            errors[field] = _("Enter text.")
        elif len(value) > TEXT_MAX:
            errors[field] = _("Use at most %(max)s characters.") % {"max": TEXT_MAX}
    for field in mode_fields:
        if values.get(field) not in RuleMode.values:
            errors[field] = _("Choose warn or block.")
    for low_field, high_field in PAIRS:
        if low_field in errors or high_field in errors:
            continue
        if values[low_field] > values[high_field]:
            errors[low_field] = _("This may not be more than “%(other)s” (%(value)s).") % {
                "other": labels.get(high_field, high_field), "value": values[high_field]}
    return errors
