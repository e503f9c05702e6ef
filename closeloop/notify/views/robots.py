"""Pages for department robots (administrators: every department; heads: the ones they lead) and the
administrators' webhook allow-list. URLs and secrets are write-only: only their redacted form is shown.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from closeloop.lib.forms import error_summary
from closeloop.lib.htmx import redirect_with_success, saved_through
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


def _done(request, message):
    return redirect_with_success(request, "notify:robots", message)


def _saved(request, robot):
    return _done(request, _("Robot “%(name)s” saved.") % {"name": robot.name})


@login_required
def robots(request):
    """The robots of the departments I manage, and a form to add one."""
    departments = _managed_or_403(request.user)
    if request.method != "POST":
        return _page(request, departments, RobotForm(departments=departments))
    form = RobotForm(request.POST, departments=departments)
    return saved_through(request, form, lambda _data: services.robot_create(actor=request.user, data=form.robot_data()),
                         model=Robot, ok=lambda robot: _saved(request, robot),
                         error=lambda form: _page(request, departments, form))


def _edit_page(request, robot, form):
    return render(request, "notify/robot_edit.html", {"robot": robot, "form": form, "errors": error_summary(form)})


@login_required
def robot_edit(request, pk):
    departments = _managed_or_403(request.user)
    robot = robot_for_user(request.user, pk)
    if request.method != "POST":
        return _edit_page(request, robot, RobotForm(departments=departments, initial={
            "department": robot.department_id, "platform": robot.platform, "name": robot.name,
            "kinds": robot.kinds, "language": robot.language, "enabled": robot.enabled}))
    form = RobotForm(request.POST, departments=departments)

    def refused(form):
        robot.refresh_from_db()  # the page shows the robot as it is stored, not as it was being changed
        return _edit_page(request, robot, form)

    return saved_through(request, form, lambda _data: services.robot_update(
        actor=request.user, robot=robot, data=form.robot_data()), model=Robot,
        ok=lambda _result: _saved(request, robot), error=refused)


@login_required
@require_POST
def robot_delete(request, pk):
    _managed_or_403(request.user)
    robot = robot_for_user(request.user, pk)
    services.robot_delete(actor=request.user, robot=robot)
    return _done(request, _("Robot “%(name)s” removed.") % {"name": robot.name})


@login_required
@require_POST
def robot_test(request, pk):
    _managed_or_403(request.user)
    robot = robot_for_user(request.user, pk)
    services.robot_send_test(actor=request.user, robot=robot)
    return _done(request, _("A test message is queued for “%(name)s”; the outbox shows how it went.")
                 % {"name": robot.name})


@login_required
@require_POST
def allowed_host_add(request):
    if not request.user.is_org_admin:
        raise PermissionDenied(_("Only administrators change the allow-list."))
    departments = _managed_or_403(request.user)
    return saved_through(
        request, AllowedHostForm(request.POST), lambda data: services.allowed_host_add(actor=request.user, **data),
        ok=lambda _result: _done(request, _("Host allowed.")),
        error=lambda form: _page(request, departments, RobotForm(departments=departments), host_form=form))


@login_required
@require_POST
def allowed_host_remove(request, pk):
    if not request.user.is_org_admin:
        raise PermissionDenied(_("Only administrators change the allow-list."))
    entry = get_object_or_404(AllowedWebhookHost, pk=pk, organisation_id=request.user.organisation_id)
    services.allowed_host_remove(actor=request.user, entry=entry)
    return _done(request, _("Host removed from the allow-list."))
