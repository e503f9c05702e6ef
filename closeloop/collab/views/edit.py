"""Changing a request after it was sent: the initiator, their head or an administrator; a save from a stale
copy is refused and shows what is stored now, with what was typed kept for saving again knowingly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors, error_summary, retyped

from .. import services
from ..choices import RequestState
from ..forms import RequestEditForm
from ..models import Request
from ..selectors import can_manage, request_for_user


@login_required
def request_edit(request, pk):
    user = request.user
    found = request_for_user(user, pk)
    if not can_manage(user, found) or found.state == RequestState.WITHDRAWN:
        raise Http404
    if request.method != "POST":
        form = RequestEditForm(initial=RequestEditForm.initial_for(found), person=user)
        return render(request, "collab/request_edit.html", {"form": form, "req": found})
    form = RequestEditForm(request.POST, request.FILES, person=user)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "materials")}
        try:
            with transaction.atomic():  # a refused file leaves the request as it was
                updated = services.request_update(actor=user, request=found, data=data,
                                                  version=form.cleaned_data["version"])
                for upload in form.cleaned_data["materials"]:
                    services.request_material_add(actor=user, request=updated, upload=upload)
        except Conflict as exc:
            form = retyped(request, RequestEditForm, exc.current_version, person=user)
            found.refresh_from_db()
            return render(request, "collab/request_edit.html", {
                "form": form, "req": found, "conflict": exc.message, "errors": error_summary(form)}, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc, model=Request)
        else:
            messages.success(request, _("The request was changed; the receiving departments were told."))
            return redirect("collab:detail", found.pk)
    return render(request, "collab/request_edit.html", {"form": form, "req": found, "errors": error_summary(form)},
                  status=422)
