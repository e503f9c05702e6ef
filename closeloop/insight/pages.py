"""The panel insight puts on the home page: this month's figures of the person, and of the department they head
(or belong to). Two grouped counts, so the home page stays quick whatever the number of items."""

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from closeloop.actions.selectors.figures import item_accountability_counts
from closeloop.insight import measures as m
from closeloop.insight import rules
from closeloop.lib.apiutil import organisation_tz
from closeloop.org.models import Department


def _figures(row):
    facts = m.ItemFacts(**{k: row.get(k, 0) for k in ("total", "open", "overdue", "done_on_time", "done_late")})
    return {"open": facts.open, "overdue": facts.overdue, "on_time_rate": m.on_time_rate(facts)}


def home_panel(request):
    """HTML of the panel, or "" for someone outside any organisation."""
    person = request.user
    if not person.is_authenticated or person.organisation_id is None:
        return ""
    organisation = person.organisation
    today = timezone.localtime(timezone.now(), organisation_tz(organisation)).date()
    month = rules.period_for(rules.MONTH, today)
    common = {"organisation": organisation, "start": month.start, "end": month.end, "today": today}
    mine = item_accountability_counts(group_by="owner_id", owner_id=person.pk, **common).get(person.pk, {})
    department = (Department.objects.filter(organisation_id=person.organisation_id, head=person).order_by("name")
                  .first()) or person.department
    dept_figures = None
    if department is not None:
        rows = item_accountability_counts(group_by="department_id", department_ids=[department.pk], **common)
        dept_figures = _figures(rows.get(department.pk, {}))
    window = {"due_from": month.start.isoformat(), "due_to": month.end.isoformat()}
    dept_base = reverse("actions:department", args=[department.pk]) if department else ""
    return render_to_string("insight/partials/home_panel.html", {
        "month": month, "mine": _figures(mine), "department": department, "dept": dept_figures,
        "links": {
            "mine_open": reverse("actions:mine") + "?" + urlencode({"status": "open", **window}),
            "mine_overdue": reverse("actions:mine") + "?" + urlencode({"status": "open", "overdue": "yes", **window}),
            "dept_open": dept_base and dept_base + "?" + urlencode({"status": "open", **window}),
            "dept_overdue": dept_base and dept_base + "?" + urlencode({"status": "open", "overdue": "yes", **window}),
        },
        "is_head": department is not None and department.head_id == person.pk,
    }, request=request)

