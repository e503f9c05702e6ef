"""Writes for meeting series (a recurring meeting such as a project's weekly follow-up)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.meetings.models import Series


@transaction.atomic
def series_create(*, actor, name, project=None):
    """Anyone who plans meetings may start a series in their organisation."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    if project is not None and project.organisation_id != actor.organisation_id:
        raise ValidationError({"project": _("Choose one of your organisation's entries.")})
    series = Series(organisation_id=actor.organisation_id, name=name, project=project)
    series.full_clean()
    series.save()
    audit_record(actor=actor, action="series.create", obj=series, after=snapshot(series))
    return series
