"""Writes for the outputs: issue the output with approved minutes, save an item's scenario columns, confirm
an allocation line. Each is one transaction, checks who may act, and is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record
from closeloop.lib.errors import Conflict
from closeloop.org.models import Department
from closeloop.outputs import rules
from closeloop.outputs.choices import OutputKind
from closeloop.outputs.models import ItemColumns, Output
from closeloop.record.selectors import person_can_record

TEXT_FIELDS = ("problem", "root_cause", "verification", "need", "value", "resources", "allocation", "goal",
               "adjustment")
MAX_TEXT = 4000


def output_generate(*, actor, minutes, **_signal):
    """Minutes approved: issue their meeting type's output (none for a type without one). Idempotent."""
    kind = rules.kind_for(minutes.meeting.type)
    if kind is None:
        return None
    output, created = Output.objects.get_or_create(
        minutes=minutes, defaults={"kind": kind, "generated_at": timezone.now(), "generated_by": actor})
    if created:
        audit_record(actor=actor, action="output.generate", obj=output, after={"kind": kind,
                                                                              "minutes": minutes.pk})
    return output


def _clean(data, kind, organisation):
    allowed = rules.PROMPTED[OutputKind(kind)]
    unknown = sorted(set(data) - set(allowed))
    errors = {}
    if unknown:
        errors["__all__"] = _("This output has no column %(keys)s.") % {"keys": ", ".join(unknown)}
    clean = {}
    for name, value in data.items():
        if name not in allowed:
            continue
        if name in TEXT_FIELDS:
            value = (value or "").replace("\r\n", "\n").strip()
            if len(value) > MAX_TEXT:
                errors[name] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
        elif name == "milestone":
            value = (value or "").strip()
            if len(value) > 200:
                errors[name] = _("At most %(n)d characters.") % {"n": 200}
        elif name == "priority":
            problem = rules.check_priority(value)
            if problem:
                errors[name] = str(problem)
        elif name == "requested_by" and value is not None:
            department = value if isinstance(value, Department) else Department.objects.filter(
                pk=value if isinstance(value, int) else None, organisation=organisation).first()
            if department is None or department.organisation_id != organisation.pk:
                errors[name] = _("Choose a department of your organisation.")
            value = department
        clean[name] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _version(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({"version": _("Give the version number you edited.")}) from None


@transaction.atomic
def item_columns_save(*, actor, item, data, version):
    """Save the scenario columns of one of the meeting's items (host, recorder or administrator).

    `version` is the one the form was filled from (0 before any was saved); a stale one is refused (Conflict).
    """
    meeting = item.meeting
    if meeting is None or not person_can_record(actor, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators fill in these columns."))
    kind = rules.kind_for(meeting.type)
    if kind is None:
        raise ValidationError({"__all__": _("This meeting type has no written output.")})
    clean = _clean(data, kind, meeting.organisation)
    version = _version(version)
    current = ItemColumns.objects.select_for_update().filter(item=item).first()
    if current is None:
        if version != 0:
            raise _stale(0)
        current = ItemColumns(item=item, **clean)
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:  # saved by someone else at the same moment
            raise _stale(1) from None
        before = {}
    else:
        if version != current.version:
            raise _stale(current.version)
        before = {k: _plain(getattr(current, k)) for k in clean}
        rows = ItemColumns.objects.filter(item=item, version=version).update(
            version=F("version") + 1, updated_at=timezone.now(), **clean)
        if rows != 1:
            raise _stale(ItemColumns.objects.get(item=item).version)
        current.refresh_from_db()
    audit_record(actor=actor, action="output.columns", obj=item, before=before,
                 after={k: _plain(v) for k, v in clean.items()})
    return current


def _plain(value):
    return getattr(value, "pk", value)


def _stale(now):
    return Conflict(_("Someone else changed these columns a moment ago (now version %(v)s). Nothing of yours "
                      "was lost; look at their change, then try again.") % {"v": now}, current_version=now)


@transaction.atomic
def allocation_confirm(*, actor, item):
    """The receiving department's head confirms the item's line of a resource allocation."""
    meeting = item.meeting
    if meeting is None or rules.kind_for(meeting.type) != OutputKind.RESOURCE_ALLOCATION:
        raise ValidationError({"__all__": _("Only the lines of a resource allocation are confirmed.")})
    department = item.department
    if department is None:
        raise ValidationError({"department": _("This line has no receiving department to confirm it.")})
    if not rules.may_confirm(actor_id=actor.pk, head_id=department.head_id):
        raise PermissionDenied(_("Only the head of %(dept)s confirms this line.") % {"dept": department})
    columns, _created = ItemColumns.objects.select_for_update().get_or_create(item=item)
    if columns.confirmed_at is not None:
        raise ValidationError({"__all__": _("%(dept)s has already confirmed this line.") % {"dept": department}})
    now = timezone.now()
    ItemColumns.objects.filter(item=item, confirmed_at__isnull=True).update(
        confirmed_by=actor, confirmed_at=now, version=F("version") + 1, updated_at=now)
    audit_record(actor=actor, action="output.allocation_confirm", obj=item,
                 after={"department": department.pk, "confirmed_at": now.isoformat()})
    columns.refresh_from_db()
    return columns
