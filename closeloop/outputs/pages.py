"""What the output pages and the record's panel show. No view lives here, so views share these."""

from django.template.loader import render_to_string

from closeloop.org.models import Department
from closeloop.outputs import rules
from closeloop.outputs.forms import ItemColumnsForm
from closeloop.outputs.selectors import columns_of, meeting_items, output_of
from closeloop.record.selectors import person_can_record


def departments_of(meeting):
    return Department.objects.filter(organisation_id=meeting.organisation_id).order_by("name")


def columns_form(item, kind, departments, data=None):
    columns = columns_of(item)
    initial = {name: getattr(columns, name) for name in rules.PROMPTED[kind]}
    if "requested_by" in initial:
        initial["requested_by"] = columns.requested_by_id
    initial["version"] = columns.version
    return ItemColumnsForm(data, kind=kind, departments=departments, initial=initial,
                           auto_id=f"oc{item.pk}-%s")


def _shown(columns, kind):
    """[(label, text)] of the prompted columns, for those who read the record without writing it."""
    return [(str(rules.label(name)), str(getattr(columns, name) or "—")) for name in rules.PROMPTED[kind]]


def record_panels(request, meeting, *, can_record, closed):
    """The live record's panel asking the recorder for the columns this meeting type's output needs."""
    kind = rules.kind_for(meeting.type)
    if kind is None:
        return []
    items = meeting_items(meeting)
    departments = departments_of(meeting)
    editable = can_record and not closed
    rows = [{"item": i, "form": columns_form(i, kind, departments) if editable else None,
             "values": _shown(columns_of(i), kind)} for i in items]
    return [render_to_string("outputs/partials/record_panel.html", {
        "meeting": meeting, "kind": kind, "rows": rows, "editable": editable,
        "prompted": rules.PROMPTED[kind], "title": rules.OutputKind(kind).label,
    }, request=request)]


def output_context(request, meeting, kind, minutes):
    view = output_of(meeting, kind, minutes)
    user = request.user
    can_edit = person_can_record(user, meeting)
    departments = departments_of(meeting) if can_edit else None
    for section in view.sections:
        for row in section.rows:
            item = row["item"]
            row["can_confirm"] = (kind == rules.OutputKind.RESOURCE_ALLOCATION and section.key == "comparison"
                                  and row["columns"].confirmed_at is None and item.department_id is not None
                                  and rules.may_confirm(actor_id=user.pk, head_id=item.department.head_id))
    forms = ([{"item": i, "form": columns_form(i, kind, departments)} for i in meeting_items(meeting)]
             if can_edit else [])
    return {"view": view, "meeting": meeting, "minutes": minutes, "kind": kind, "can_edit": can_edit,
            "forms": forms}
