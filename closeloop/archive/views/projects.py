"""Project pages: the list, one project's overview, and creating or editing a project."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from closeloop.archive.forms import ProjectForm
from closeloop.archive.projects import (
    person_can_edit_project,
    project_for_user,
    project_overview,
    projects_of,
)
from closeloop.lib.forms import error_summary
from closeloop.lib.htmx import redirect_with_success, saved_through
from closeloop.lib.paging import section_page
from closeloop.org import services as org_services
from closeloop.org.models import Project


@login_required
def project_list(request):
    if not request.user.organisation_id:
        raise Http404
    return render(request, "archive/projects.html", {"projects": projects_of(request.user)})


PER_PAGE = 20


@login_required
def project_detail(request, pk):
    """A project's page: each of its lists a page at a time (`?meetings=`, `?requests=`, `?items=`, `?minutes=`)."""
    project = project_for_user(request.user, pk)
    pages = {f"{name}_page": section_page(request, rows, name, PER_PAGE)
             for name, rows in project_overview(request.user, project).items()}
    return render(request, "archive/project.html", {
        "project": project, "can_edit": person_can_edit_project(request.user, project), **pages})


def _form_page(request, form, project, status=200):
    errors = error_summary(form) if form.is_bound else []
    return render(request, "archive/project_form.html", {"form": form, "project": project, "errors": errors},
                  status=status)


def _saved(request, project, message):
    return redirect_with_success(request, reverse("archive:project", args=[project.pk]), message)


@login_required
def project_create(request):
    user = request.user
    if not (user.organisation_id and user.is_org_admin):
        raise Http404
    form = ProjectForm(request.POST or None, organisation=user.organisation)
    if request.method != "POST":
        return _form_page(request, form, None)
    return saved_through(request, form, lambda data: org_services.project_create(
        actor=user, organisation=user.organisation, data=data), model=Project,
        ok=lambda project: _saved(request, project, _("Project created.")),
        error=lambda form: _form_page(request, form, None, 422))


@login_required
def project_edit(request, pk):
    user = request.user
    project = project_for_user(user, pk)
    if not person_can_edit_project(user, project):
        raise PermissionDenied(_("Only administrators and the project's lead can change this project."))
    initial = {"name": project.name, "department": project.department_id, "lead": project.lead_id,
               "departments": [d.pk for d in project.departments.all()],
               "members": [p.pk for p in project.members.all()], "version": project.version}
    form = ProjectForm(request.POST or None, organisation=user.organisation, initial=initial)
    if request.method != "POST":
        return _form_page(request, form, project)
    return saved_through(request, form, lambda data: org_services.project_update(
        actor=user, project=project, data={k: v for k, v in data.items() if k != "version"},
        version=data.get("version")), model=Project,
        ok=lambda project: _saved(request, project, _("Project saved.")),
        error=lambda form: _form_page(request, form, project, 422))
