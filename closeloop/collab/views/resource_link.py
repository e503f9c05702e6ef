"""Deciding a resource request's step from the link in the message: the approver reads it and approves or returns
it without signing in (the minutes sign-off pattern). The link names one approver, one round and one step, so it
stops working once that step is decided."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from closeloop.lib.forms import add_service_errors, error_summary

from .. import services
from ..choices import ResourceState
from ..forms import DecisionForm
from ..notifications import resource_step_from_link
from ..selectors import resource_for_link

LINK_DAYS = 30


def resource_token(request, token):
    try:
        resource_id, round_, step, person_id = resource_step_from_link(token, max_age=LINK_DAYS * 86400)
    except signing.BadSignature:
        raise Http404 from None
    resource, person = resource_for_link(resource_id, person_id)
    if person.language and not request.user.is_authenticated:
        translation.activate(person.language)
    open_ = (resource.state == ResourceState.IN_APPROVAL and (resource.round, resource.step) == (round_, step)
             and person in services.approvers_for(resource, resource.current_role))
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST" and open_:
        status = 422
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
        write = services.resource_return if request.POST.get("decision") == "return" else services.resource_approve
        try:
            write(actor=person, resource_request=resource, reason=reason)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("You returned the request.") if write is services.resource_return
                             else _("You approved this step."))
            return redirect("collab:resource_token", token)
    elif request.method == "POST":
        status = 409
    resource.refresh_from_db()
    return render(request, "collab/resource_token.html", {
        "resource": resource, "req": resource.request, "person": person, "open": open_, "form": form,
        "errors": error_summary(form), "approvals": list(resource.approvals.select_related("approver"))},
        status=status)
