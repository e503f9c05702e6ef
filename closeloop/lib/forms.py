"""Shared form parts: the date fields every form uses; a service's ValidationError({field: msg}) carried back onto
a form, naming the field, keeping what was typed."""

import datetime as dt

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.utils import from_current_timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from closeloop.lib.dates import parse_typed_date, parse_typed_datetime

ISO_DATE = "%Y-%m-%d"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class FieldGroups:
    """Named groups of a form's fields, in the order its page shows them: `groups = {"when": ("start", "end")}`
    gives `form.group.when`, the bound fields (a name the form lacks is left out), for partials/fields.html."""

    groups = {}

    @property
    def group(self):
        return {name: [self[f] for f in names if f in self.fields] for name, names in self.groups.items()}


def _label(model, field):
    if model is None:
        return ""
    try:
        return str(capfirst(model._meta.get_field(field).verbose_name))
    except FieldDoesNotExist:
        return ""


def add_service_errors(form, exc: ValidationError, model=None):
    """Attach each message to its form field; a field the form lacks goes on top, prefixed with its label."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.error_dict.items():
        messages = [m for e in errors for m in e.messages]
        if field in form.fields:
            form.add_error(field, messages)
            continue
        label = _label(model, field)
        for message in messages:
            form.add_error(None, f"{label}: {message}" if label else message)


def retyped(request, form_class, version, **kwargs):
    """After a stale save: what was typed, bound again on top of the `version` now stored, so that saving
    again applies it knowingly; nothing typed is lost."""
    data = request.POST.copy()
    data["version"] = version
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def error_summary(form):
    """[(label, message)] for every error, so a page can list them at the top naming each field."""
    rows = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        rows.extend((str(label or ""), str(message)) for message in errors)
    return rows


class DateInput(forms.DateInput):
    """The browser's date picker; a date typed another way (2026年1月1日) comes back in ISO, which the picker
    shows, instead of an empty box."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)

    def format_value(self, value):
        if isinstance(value, str):
            day = parse_typed_date(value)
            return day.isoformat() if day else value
        return super().format_value(value)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)

    def format_value(self, value):
        if isinstance(value, str):
            moment = parse_typed_datetime(value)
            return moment.strftime(DATETIME_LOCAL) if moment else value
        return super().format_value(value)


class DateField(forms.DateField):
    """A date typed in any form people use (see closeloop.lib.dates): the browser's picker sends ISO, a person
    may type 2026/01/01, 2026-1-1 or 2026年1月1日. Shown as a date picker."""

    default_error_messages = {
        "invalid": _("Enter a date such as 2026-01-01 (2026/1/1 and 2026年1月1日 are understood too)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput)
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        day = parse_typed_date(value)
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class DateTimeField(forms.DateTimeField):
    """A date and time of day typed in any form people use; the browser's picker sends 2026-01-01T14:30. The
    result is aware, in the current time zone, as Django's own field gives it."""

    default_error_messages = {
        "invalid": _("Enter a date and time such as 2026-01-01 14:30 (2026/1/1 14:30 is understood too)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateTimeInput)
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime.combine(value, dt.time())
        else:
            moment = parse_typed_datetime(value)
            if moment is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return from_current_timezone(moment)  # a time skipped by a clock change is refused, naming it
