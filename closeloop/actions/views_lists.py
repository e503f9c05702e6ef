"""List pages: my items, a department's, a meeting's and a project's, with filters, sorting, pages and the
.xlsx export of exactly what the filters show. The lists come from selectors_lists.list_items, which
applies visibility; a department, meeting or project the person may not open answers 404.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from closeloop.lib.office import file_name
from closeloop.org.models import Department

from .excel import XLSX_CONTENT_TYPE, export_plan
from .forms import ItemFilterForm
from .imports import shared_display_names
from .models import FeedToken
from .selectors_lists import (
    DEPARTMENT,
    MEETING,
    MINE,
    PROJECT,
    SORTS,
    changes_awaiting,
    departments_of,
    list_items,
    owners_in,
    person_can_import,
    scope_for,
)

PER_PAGE = 30
EXPORT_LIMIT = 20000  # more than this is not a spreadsheet anyone reads; filter first
LIST_URLS = {MINE: "actions:mine", DEPARTMENT: "actions:department", MEETING: "actions:meeting",
             PROJECT: "actions:project"}


def scope_title(scope):
    if scope.kind == MINE:
        return _("My action items")
    if scope.kind == DEPARTMENT:
        return _("Action items of %(name)s") % {"name": scope.obj.name}
    if scope.kind == MEETING:
        return _("Action items of the meeting %(title)s") % {"title": scope.obj.title}
    return _("Action items of the project %(name)s") % {"name": scope.obj.name}


def list_url(scope, suffix=""):
    name = LIST_URLS[scope.kind] + suffix
    return reverse(name) if scope.kind == MINE else reverse(name, args=[scope.pk])


def filter_form(request, scope):
    departments = Department.objects.filter(organisation_id=request.user.organisation_id).order_by("name")
    return ItemFilterForm(request.GET or None, owners=owners_in(request.user, scope), departments=departments)


def _querystring(request, **changes):
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


def list_context(request, scope):
    form = filter_form(request, scope)
    form.is_valid()
    query = form.query()
    page = Paginator(list_items(request.user, scope, query), PER_PAGE).get_page(request.GET.get("page"))
    # "-due" cannot be read in a template: it is "due_desc" there.
    sort_links = {key.lstrip("-") + ("_desc" if key.startswith("-") else ""): "?" + _querystring(request, sort=key)
                  for key in SORTS}
    return {
        "scope": scope, "title": scope_title(scope), "filter_form": form, "query": query, "page": page,
        "items": page.object_list, "querystring": _querystring(request), "sort_links": sort_links,
        "export_url": list_url(scope, "_export") + "?" + _querystring(request),
        "can_import": person_can_import(request.user, scope),
        "departments": departments_of(request.user),
    }


def _render_list(request, scope, **extra):
    context = list_context(request, scope)
    context.update(extra)
    return render(request, "actions/list.html", context)


@login_required
@require_GET
def mine(request):
    """Items I own or collaborate on, with my calendar feed."""
    feed = FeedToken.objects.filter(person=request.user).first()
    feed_url = settings.SITE_URL + reverse("actions:feed", args=[feed.token]) if feed else ""
    return _render_list(request, scope_for(request.user, MINE), feed=feed, feed_url=feed_url,
                        awaiting=changes_awaiting(request.user))


@login_required
@require_GET
def my_department(request):
    """The person's own department (or the first they head); 404 for someone with neither."""
    departments = departments_of(request.user)
    if not departments:
        raise Http404
    return redirect("actions:department", pk=departments[0].pk)


@login_required
@require_GET
def department(request, pk):
    return _render_list(request, scope_for(request.user, DEPARTMENT, pk))


@login_required
@require_GET
def meeting(request, pk):
    from .views_review import review_context

    scope = scope_for(request.user, MEETING, pk)
    review = review_context(request, scope.obj) if scope.obj.series_id else None
    return _render_list(request, scope, review=review)


@login_required
@require_GET
def project(request, pk):
    return _render_list(request, scope_for(request.user, PROJECT, pk))


def xlsx_response(request, scope, query):
    """The filtered list as an action plan in the reader's language."""
    items = list(list_items(request.user, scope, query)[:EXPORT_LIMIT])
    language = translation.get_language() or settings.LANGUAGE_CODE
    data = export_plan(items, language=language, title=scope_title(scope),
                       shared_names=shared_display_names(request.user.organisation))
    stem = "行动计划表" if language.startswith("zh") else "action-plan"
    name = {MINE: stem, DEPARTMENT: f"{stem}-{getattr(scope.obj, 'name', '')}",
            MEETING: f"{stem}-{getattr(scope.obj, 'title', '')}", PROJECT: f"{stem}-{getattr(scope.obj, 'name', '')}"}
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file_name(f"{name[scope.kind]}.xlsx"))
    return response


@login_required
@require_GET
def export(request, kind, pk=None):
    scope = scope_for(request.user, kind, pk)
    form = filter_form(request, scope)
    form.is_valid()
    return xlsx_response(request, scope, form.query())
