"""Resource request pages: the form (new, or changed and resent after a return), the approval page, the exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors, error_summary
from closeloop.lib.office import DOCX_CONTENT_TYPE

from .. import exports, services
from ..forms import DecisionForm, ResourceForm
from ..selectors import request_for_user, resource_for_user


def _data(form):
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    data["budget_amount"] = data["budget_amount"] or 0
    return data


@login_required
def resource_new(request, pk):
    found = request_for_user(request.user, pk)
    initial = {}
    receipt = found.receipts.filter(department_id=request.user.department_id).first()
    if receipt is not None and receipt.resource_request:
        initial = {"title": found.subject, "reason": receipt.resource_request}
    decision = request.GET.get("decision")
    if decision and decision.isdigit():
        initial["decision"] = int(decision)
    form = ResourceForm(request.POST or None, initial=initial, req=found)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_request_create(actor=request.user, request=found, data=_data(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The resource request was sent for approval."))
            return redirect("collab:resource", resource.pk)
    return render(request, "collab/resource_form.html", {"form": form, "req": found, "errors": error_summary(form)},
                  status=422 if request.method == "POST" else 200)


def _context(request, resource, **extra):
    user = request.user
    role = resource.current_role
    may_decide = bool(role) and user in services.approvers_for(resource, role)
    may_resend = resource.state == "returned" and (user.pk == resource.requested_by_id or user.is_org_admin)
    return {"resource": resource, "req": resource.request, "approvals": list(resource.approvals.select_related(
        "approver")), "may_decide": may_decide, "decision_form": extra.pop("decision_form", None) or DecisionForm(),
            "resend_form": extra.pop("resend_form", None) or (
                ResourceForm(initial=ResourceForm.initial_for(resource), req=resource.request) if may_resend
                else None), **extra}


@login_required
def resource_detail(request, resource_id):
    resource = resource_for_user(request.user, resource_id)
    return render(request, "collab/resource_detail.html", _context(request, resource))


def _decide(request, resource_id, write, done):
    resource = resource_for_user(request.user, resource_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        write(resource, form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        add_service_errors(form, exc)
        context = _context(request, resource, decision_form=form, errors=error_summary(form))
        return render(request, "collab/resource_detail.html", context, status=422)
    messages.success(request, done)
    return redirect("collab:resource", resource.pk)


@login_required
@require_POST
def resource_approve(request, resource_id):
    return _decide(request, resource_id, lambda r, reason: services.resource_approve(
        actor=request.user, resource_request=r, reason=reason), _("You approved this step."))


@login_required
@require_POST
def resource_return(request, resource_id):
    return _decide(request, resource_id, lambda r, reason: services.resource_return(
        actor=request.user, resource_request=r, reason=reason), _("You returned the request."))


@login_required
@require_POST
def resource_resend(request, resource_id):
    resource = resource_for_user(request.user, resource_id)
    form = ResourceForm(request.POST, req=resource.request)
    if form.is_valid():
        try:
            services.resource_resubmit(actor=request.user, resource_request=resource, data=_data(form),
                                       version=form.cleaned_data["version"])
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("collab:resource", resource.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The resource request was sent again."))
            return redirect("collab:resource", resource.pk)
    context = _context(request, resource, resend_form=form, errors=error_summary(form))
    return render(request, "collab/resource_detail.html", context, status=422)


def _file(request, resource_id, extension, render_file, content_type):
    resource = resource_for_user(request.user, resource_id)
    response = HttpResponse(render_file(resource), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, exports.resource_filename(resource, extension))
    return response


@login_required
def resource_docx(request, resource_id):
    return _file(request, resource_id, "docx", exports.resource_docx, DOCX_CONTENT_TYPE)


@login_required
def resource_xlsx(request, resource_id):
    return _file(request, resource_id, "xlsx", exports.resource_xlsx, exports.XLSX_CONTENT_TYPE)
