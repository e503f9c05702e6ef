"""The administrators' page for the progress cadence and the late-retrospective escalation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors

from .. import services
from ..forms import RetroPolicyForm
from ..selectors import retro_policy_for


@login_required
@require_http_methods(["GET", "POST"])
def policy(request):
    if not request.user.is_org_admin:
        raise Http404
    current = retro_policy_for(request.user.organisation)
    if request.method == "GET":
        form = RetroPolicyForm(instance=current, initial={"version": current.version})
        return render(request, "retro/policy.html", {"form": form})
    form = RetroPolicyForm(request.POST, instance=retro_policy_for(request.user.organisation))
    status = 422
    if form.is_valid():
        try:
            services.retro_policy_update(actor=request.user, organisation=request.user.organisation,
                                         data=form.cleaned_data, version=form.cleaned_data["version"])
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The policy is saved."))
            return redirect("retro:policy")
    return render(request, "retro/policy.html", {"form": form}, status=status)
