"""Import an action plan (.xlsx) into a meeting or a project; download an empty plan to fill in.

The import shows every problem with its row and column and imports nothing, or imports every row and
says how many, with the SMART warnings that did not block."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from closeloop.actions.exports import XLSX_CONTENT_TYPE, export_plan
from closeloop.actions.forms import ImportForm
from closeloop.actions.imports import ImportRefused, action_items_import
from closeloop.actions.pages import list_url, scope_title
from closeloop.actions.selectors.lists import MEETING, person_can_import, scope_for


@login_required
@require_http_methods(["GET", "POST"])
def import_plan(request, kind, pk):
    scope = scope_for(request.user, kind, pk)
    if not person_can_import(request.user, scope):
        raise PermissionDenied
    context = {"scope": scope, "title": scope_title(scope), "back_url": list_url(scope)}
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = action_items_import(
                actor=request.user, organisation=request.user.organisation, data=form.cleaned_data["file"].read(),
                meeting=scope.obj if kind == MEETING else None, project=scope.obj if kind != MEETING else None)
        except ImportRefused as exc:
            context["problems"] = exc.problems
        else:
            context["result"] = result
            form = ImportForm()
    context["form"] = form
    return render(request, "actions/import.html", context, status=422 if context.get("problems") else 200)


@login_required
@require_GET
def template(request):
    """An empty action plan with the template's columns, in the reader's language."""
    language = translation.get_language() or "zh-hans"
    response = HttpResponse(export_plan([], language=language), content_type=XLSX_CONTENT_TYPE)
    name = "行动计划表.xlsx" if language.startswith("zh") else "action-plan.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
