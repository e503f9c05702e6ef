"""A person changes their own preferences (language, time zone); administrators use person_update."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot

from .choices import Language

PREFERENCE_FIELDS = ["language", "time_zone"]


@transaction.atomic
def person_preferences_update(*, actor, language, time_zone=""):
    """Set the signed-in person's language and time zone (empty: the organisation's)."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    time_zone = (time_zone or "").strip()
    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Unknown time zone; use a name like Asia/Shanghai.")})
    before = snapshot(actor, fields=PREFERENCE_FIELDS)
    if (actor.language, actor.time_zone) == (language, time_zone):
        return actor
    actor.language, actor.time_zone = language, time_zone
    actor.save(update_fields=PREFERENCE_FIELDS)
    audit_record(actor=actor, action="person.preferences", obj=actor, before=before,
                 after=snapshot(actor, fields=PREFERENCE_FIELDS))
    return actor
