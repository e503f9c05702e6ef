"""Writing the audit trail."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

from closeloop.audit.models import AuditEntry


def snapshot(instance, fields=None):
    """A JSON-safe dict of a model instance's fields, for before/after."""
    if instance is None:
        return None
    data = model_to_dict(instance, fields=fields)
    for key, value in list(data.items()):
        if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
            data[key] = value.name
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def audit_record(*, actor, action, obj=None, object_type="", object_id="", before=None, after=None):
    """Append one audit row; call it inside the transaction that makes the change."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEntry.objects.create(
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
    )
