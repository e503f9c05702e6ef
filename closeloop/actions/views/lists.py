"""List pages: my items, a department's, a meeting's and a project's, with filters, sorting, pages and the
.xlsx export of exactly what the filters show. The lists come from selectors_lists.list_items, which
applies visibility; a department, meeting or project the person may not open answers 404.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from closeloop.actions.exports import XLSX_CONTENT_TYPE, export_plan
from closeloop.actions.imports import shared_display_names
from closeloop.actions.models import FeedToken
from closeloop.actions.pages import filter_form, list_context, review_context, scope_title
from closeloop.actions.selectors.lists import (
    DEPARTMENT,
    MEETING,
    MINE,
    PROJECT,
    changes_awaiting,
    departments_of,
    list_items,
    scope_for,
)
from closeloop.lib.office import file_name

AWAITING_SHOWN = 10
EXPORT_LIMIT = 20000  # more than this is not a spreadsheet anyone reads; filter first


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
    # The oldest requests first, a page's worth: the panel stays short however many wait.
    awaiting = changes_awaiting(request.user, limit=AWAITING_SHOWN + 1)
    return _render_list(request, scope_for(request.user, MINE), feed=feed, feed_url=feed_url,
                        awaiting=awaiting[:AWAITING_SHOWN], awaiting_more=len(awaiting) > AWAITING_SHOWN)


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
