"""The results page of the header's search box."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from closeloop.lib.forms import error_summary
from closeloop.search.forms import SearchForm
from closeloop.search.selectors import search_everything


@login_required
@require_GET
def results(request):
    form = SearchForm(request.GET if "q" in request.GET else None)
    valid = form.is_bound and form.is_valid()
    groups = search_everything(request.user, form.cleaned_data["q"]) if valid else []
    return render(request, "search/results.html", {
        "form": form, "groups": groups, "q": form.cleaned_data["q"] if valid else "",
        "errors": error_summary(form) if form.is_bound and not valid else [],
    }, status=400 if form.is_bound and not valid else 200)
