"""The collaboration rules page: administrators change them (with the version check); everyone else reads them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors, error_summary

from .. import services
from ..forms import CollabPolicyForm
from ..selectors import collab_policy_for


def _initial(policy):
    from ..services.policy import FIELDS

    return {**{f: getattr(policy, f) for f in FIELDS}, "management": list(policy.management.all()),
            "version": policy.version}


@login_required
def policy_edit(request):
    user = request.user
    if user.organisation_id is None:
        raise Http404
    policy = collab_policy_for(user.organisation)
    if not user.is_org_admin:
        if request.method == "POST":
            raise PermissionDenied(_("Only administrators can change the policy."))
        return render(request, "collab/policy.html", {"policy": policy, "readonly": True})
    form = CollabPolicyForm(request.POST or None, initial=_initial(policy), organisation_id=user.organisation_id)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.collab_policy_update(actor=user, organisation=user.organisation, data=data,
                                              version=form.cleaned_data["version"])
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The collaboration rules were saved."))
                return redirect("collab:policy")
    return render(request, "collab/policy.html", {"policy": policy, "form": form, "errors": error_summary(form)},
                  status=status)
