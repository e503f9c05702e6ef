"""Pages for department robots (administrators: every department; heads: the ones they lead) and the
administrators' webhook allow-list. URLs and secrets are write-only: only their redacted form is shown.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from closeloop.lib.forms import add_service_errors, error_summary
from closeloop.notify import services
from closeloop.notify.forms import AllowedHostForm, RobotForm
from closeloop.notify.models import AllowedWebhookHost, Robot
from closeloop.notify.selectors import allowed_hosts_of, departments_managed_by, robot_for_user, robots_manageable_by


def _managed_or_403(person):
    departments = departments_managed_by(person)
    if not departments:
        raise PermissionDenied(_("Only administrators and department heads set up robots."))
    return departments


def _page(request, departments, form, host_form=None, status=200):
    person = request.user
    return render(request, "notify/robots.html", {
        "robots": robots_manageable_by(person, departments).order_by("department__name", "name"),
        "form": form, "errors": error_summary(form),
        "host_form": host_form or AllowedHostForm(),
        "allowed_hosts": allowed_hosts_of(person.organisation) if person.is_org_admin else None,
    }, status=status)


@login_required
def robots(request):
    """The robots of the departments I manage, and a form to add one."""
    departments = _managed_or_403(request.user)
    if request.method != "POST":
        return _page(request, departments, RobotForm(departments=departments))
    form = RobotForm(request.POST, departments=departments)
    if form.is_valid():
        try:
            robot = services.robot_create(actor=request.user, data=form.robot_data())
        except ValidationError as exc:
            add_service_errors(form, exc, model=Robot)
        else:
            messages.success(request, _("Robot “%(name)s” saved.") % {"name": robot.name})
            return redirect("notify:robots")
    return _page(request, departments, form)


@login_required
def robot_edit(request, pk):
    departments = _managed_or_403(request.user)
    robot = robot_for_user(request.user, pk)
    if request.method != "POST":
        form = RobotForm(departments=departments, initial={
            "department": robot.department_id, "platform": robot.platform, "name": robot.name,
            "kinds": robot.kinds, "language": robot.language, "enabled": robot.enabled})
    else:
        form = RobotForm(request.POST, departments=departments)
        if form.is_valid():
            try:
                services.robot_update(actor=request.user, robot=robot, data=form.robot_data())
            except ValidationError as exc:
                robot.refresh_from_db()
                add_service_errors(form, exc, model=Robot)
            else:
                messages.success(request, _("Robot “%(name)s” saved.") % {"name": robot.name})
                return redirect("notify:robots")
    return render(request, "notify/robot_edit.html", {"robot": robot, "form": form, "errors": error_summary(form)})


@login_required
@require_POST
def robot_delete(request, pk):
    _managed_or_403(request.user)
    robot = robot_for_user(request.user, pk)
    services.robot_delete(actor=request.user, robot=robot)
    messages.success(request, _("Robot “%(name)s” removed.") % {"name": robot.name})
    return redirect("notify:robots")


@login_required
@require_POST
def robot_test(request, pk):
    _managed_or_403(request.user)
    robot = robot_for_user(request.user, pk)
    services.robot_send_test(actor=request.user, robot=robot)
    messages.success(request, _("A test message is queued for “%(name)s”; the outbox shows how it went.")
                     % {"name": robot.name})
    return redirect("notify:robots")


@login_required
@require_POST
def allowed_host_add(request):
    if not request.user.is_org_admin:
        raise PermissionDenied(_("Only administrators change the allow-list."))
    departments = _managed_or_403(request.user)
    host_form = AllowedHostForm(request.POST)
    if host_form.is_valid():
        try:
            services.allowed_host_add(actor=request.user, **host_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(host_form, exc)
        else:
            messages.success(request, _("Host allowed."))
            return redirect("notify:robots")
    return _page(request, departments, RobotForm(departments=departments), host_form=host_form)


@login_required
@require_POST
def allowed_host_remove(request, pk):
    if not request.user.is_org_admin:
        raise PermissionDenied(_("Only administrators change the allow-list."))
    entry = get_object_or_404(AllowedWebhookHost, pk=pk, organisation_id=request.user.organisation_id)
    services.allowed_host_remove(actor=request.user, entry=entry)
    messages.success(request, _("Host removed from the allow-list."))
    return redirect("notify:robots")
