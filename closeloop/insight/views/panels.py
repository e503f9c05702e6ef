"""A person's own panel and a department head's panel: the same figures, narrowed to one person or department."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from closeloop.actions.selectors.items import local_today
from closeloop.insight import dashboard, rules, selectors
from closeloop.insight.charts import build_charts
from closeloop.insight.forms import InsightForm


def _period(request):
    form = InsightForm(request.GET or None)
    period, _filters = form.period_and_filters(local_today(request.user.organisation))
    return form, period


def _render_person(request, person):
    form, period = _period(request)
    table, trend = dashboard.person_panel(request.user, person, period)
    return render(request, "insight/person.html", {
        "form": form, "person": person, "table": table, "period": period,
        "trend": [(monday, trend[monday]) for monday in rules.weeks_of(period)],
    })


@login_required
@require_GET
def mine(request):
    """My own figures: what I owe, what is overdue, how often I kept the date."""
    return _render_person(request, selectors.person_for_insight(request.user, request.user.pk))


@login_required
@require_GET
def person(request, pk):
    return _render_person(request, selectors.person_for_insight(request.user, pk))


@login_required
@require_GET
def my_department(request):
    """The department I head (or belong to): the insight page narrowed to it, with its charts."""
    departments = selectors.departments_for(request.user)
    own = [d for d in departments if d.head_id == request.user.pk] or [
        d for d in departments if d.pk == request.user.department_id]
    if not own:
        raise Http404
    form, period = _period(request)
    board = dashboard.build(request.user, period, selectors.Filters(department_id=own[0].pk))
    people = own[0].members.filter(is_active=True).order_by("display_name", "username") if (
        own[0].head_id == request.user.pk or request.user.is_org_admin) else []
    return render(request, "insight/department.html", {
        "form": form, "board": board, "department": own[0], "tables": board.tables,
        "charts": build_charts(board), "people": people,
    })
