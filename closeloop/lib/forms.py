"""Carry a service's ValidationError({field: msg}) back onto a form, naming the field; keep what was typed."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.text import capfirst


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
