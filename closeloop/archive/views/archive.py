"""Pages of the archive: the 年份-部门-项目 tree with its meetings, the search, and a meeting's action plan (.xlsx).

Thin: parse the query string with a form, read through the permission-aware selectors, render.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET

from closeloop.archive import rules, selectors
from closeloop.archive.exports import XLSX_CONTENT_TYPE, action_plan_bytes, filename
from closeloop.archive.forms import ArchiveFilterForm, SearchForm
from closeloop.archive.search import KINDS, search
from closeloop.lib.forms import error_summary
from closeloop.lib.htmx import render_partial_or_page
from closeloop.meetings.selectors import meeting_for_user

PER_PAGE = 20
PER_KIND_OVERVIEW = 5


@login_required
@require_GET
def index(request):
    """The tree of years, departments and projects beside the meetings of the chosen branch."""
    form = ArchiveFilterForm(request.GET)
    valid = form.is_valid()
    filters = form.filters() if valid else selectors.ArchiveFilter()
    # Only the chosen year's branches: the page's size and time do not grow with the years of history.
    tree = selectors.archive_tree(request.user, year=filters.year, branches=False)
    trail = rules.trail(tree, filters.year, filters.department, filters.project)
    # The tree has counted the branch already: the pager sends no COUNT of its own.
    meetings = rules.Counted(selectors.archive_meetings(request.user, filters),
                             rules.branch_count(tree, trail, filters))
    page = Paginator(meetings, PER_PAGE).get_page(form.cleaned_data.get("page") if valid else 1)
    context = {
        "tree": tree, "filters": filters, "page": page, "errors": error_summary(form) if not valid else [],
        "meetings": selectors.with_archive_details(page.object_list),
        "trail": trail,
        "query": urlencode(filters.as_params()), "none": rules.NONE,
    }
    return render(request, "archive/archive.html", context, status=200 if valid else 400)


@login_required
@require_GET
def search_page(request):
    """Search as you type (htmx swaps the results); grouped by kind, `kind` pages through one of them."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    groups, kind, status = [], "", 200
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"]
        groups = search(request.user, form.cleaned_data["q"], kinds=[kind] if kind else None,
                        page=form.cleaned_data["page"] or 1, per_page=PER_PAGE if kind else PER_KIND_OVERVIEW)
    elif form.is_bound:
        status = 400
    context = {
        "form": form, "groups": groups, "kind": kind, "kinds": KINDS,
        "q": form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
        "errors": error_summary(form) if form.is_bound and not form.is_valid() else [],
        "total": sum(g.count for g in groups), "query": _without_page(request),
    }
    return render_partial_or_page(request, partial="archive/partials/results.html", page="archive/search.html",
                                  context=context, status=status)


def _without_page(request):
    """The query string the pager keeps in its links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def plan_language(request):
    """The reader's language, or another one the page offers (?language=en)."""
    wanted = request.GET.get("language", "")
    return wanted if wanted in dict(settings.LANGUAGES) else translation.get_language()


def xlsx_response(meeting, language):
    response = HttpResponse(action_plan_bytes(meeting, language), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename(meeting, language))
    return response


@login_required
@require_GET
def action_plan(request, pk):
    """The meeting's action plan (行动计划表) as .xlsx; 404 for anyone who may not see the meeting."""
    return xlsx_response(meeting_for_user(request.user, pk), plan_language(request))
