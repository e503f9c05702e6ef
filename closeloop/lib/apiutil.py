"""Small helpers for API endpoints: ids to objects of the caller's organisation, field names, time zones."""

import contextlib
import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _


def org_of(person):
    """The caller's organisation; a person outside any organisation sees nothing."""
    if person.organisation_id is None:
        raise Http404
    return person.organisation


def unknown_ref(field, pk):
    """The error for an id that is not one of the caller's (whether it exists elsewhere is not said)."""
    return ValidationError({field: _("No such entry in your organisation: %(id)s.") % {"id": pk}})


def in_org(model, organisation, pk, field):
    """The object with this id in the organisation, None for None, else an error naming `field`."""
    if pk is None:
        return None
    obj = model._default_manager.filter(organisation=organisation, pk=pk).first()
    if obj is None:
        raise unknown_ref(field, pk)
    return obj


@contextlib.contextmanager
def api_field_names(*names):
    """Services name a relation `project`; the API takes `project_id`. Rename the error keys to match."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed = {(f"{k}_id" if k in names else k): v for k, v in exc.error_dict.items()}
        raise ValidationError(renamed) from None


def organisation_tz(organisation):
    try:
        return zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def aware(value, organisation):
    """A datetime with its offset kept; a naive one is read in the organisation's time zone."""
    if value is None or not isinstance(value, dt.datetime) or timezone.is_aware(value):
        return value
    return timezone.make_aware(value, organisation_tz(organisation))
