"""Administrators set what an hour of each title or grade costs; meeting cost is person-hours × that rate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from closeloop.insight import selectors, services
from closeloop.insight.forms import HourlyCostForm
from closeloop.lib.forms import add_service_errors, error_summary


def _require_admin(person):
    if not person.is_org_admin or person.organisation_id is None:
        raise Http404


@login_required
def cost_list(request):
    """The rates, the titles people have that still lack one, and the form to set a rate."""
    user = request.user
    _require_admin(user)
    initial = {"title": request.GET.get("title", "")[:100]} if request.GET.get("title") else None
    form = HourlyCostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cost = services.hourly_cost_set(actor=user, title=form.cleaned_data["title"],
                                            hourly_cost=form.cleaned_data["hourly_cost"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The hourly cost of “%(title)s” is %(cost)s.") % {
                "title": cost.title or _("people without a title"), "cost": cost.hourly_cost})
            return redirect("insight:costs")
    costs = selectors.hourly_cost_rows(user.organisation)
    return render(request, "insight/costs.html", {
        "form": form, "errors": error_summary(form), "costs": costs,
        "missing": selectors.titles_without_cost(user.organisation),
        "currency": selectors.insight_settings(user.organisation).currency,
    }, status=422 if request.method == "POST" else 200)


@login_required
@require_POST
def cost_delete(request, pk):
    _require_admin(request.user)
    services.hourly_cost_delete(actor=request.user, pk=pk)
    messages.success(request, _("The hourly cost was removed."))
    return redirect("insight:costs")
