"""The progress sync page of a request: the timeline of updates, posting one, changing the request with the
receiving side's agreement. The request's visibility applies (404); acting needs the role (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from closeloop.collab.selectors import request_for_user
from closeloop.lib.forms import add_service_errors, error_summary

from .. import services
from ..forms import ChangeAnswerForm, ChangeForm, ProgressForm
from ..pages import progress_context

PAGE = "retro/progress.html"


def _refused(request, found, key, form, exc=None):
    if exc is not None:
        add_service_errors(form, exc)
    return render(request, PAGE, progress_context(request, found, **{key: form, "errors": error_summary(form)}),
                  status=422)


@login_required
@require_GET
def page(request, request_id):
    found = request_for_user(request.user, request_id)
    return render(request, PAGE, progress_context(request, found))


@login_required
@require_POST
def post(request, request_id):
    found = request_for_user(request.user, request_id)
    form = ProgressForm(request.POST, prefix="pg")
    if not form.is_valid():
        return _refused(request, found, "progress", form)
    try:
        update = services.progress_post(actor=request.user, request=found, data=form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, found, "progress", form, exc)
    if update.early_warning is False:
        messages.warning(request, _("The risk was raised less than one working day before the date it affects; it "
                                    "counts as a late warning."))
    messages.success(request, _("Your progress update is posted."))
    return redirect("retro:progress", found.pk)


@login_required
@require_POST
def change_ask(request, request_id):
    found = request_for_user(request.user, request_id)
    form = ChangeForm(request.POST, prefix="ch")
    if not form.is_valid():
        return _refused(request, found, "change", form)
    try:
        services.request_change_ask(actor=request.user, request=found, data=form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, found, "change", form, exc)
    messages.success(request, _("The change was sent to the receiving departments for their agreement."))
    return redirect("retro:progress", found.pk)


@login_required
@require_POST
def change_answer(request, request_id, change_id, department_id):
    found = request_for_user(request.user, request_id)
    change = get_object_or_404(found.changes, pk=change_id)
    form = ChangeAnswerForm(request.POST, prefix="ca")
    if not form.is_valid():
        return _refused(request, found, "answer", form)
    try:
        services.request_change_answer(actor=request.user, change=change, department=department_id,
                                       answer=form.cleaned_data["answer"], comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("retro:progress", found.pk)
    messages.success(request, _("Your answer to the change was recorded."))
    return redirect("retro:progress", found.pk)


@login_required
@require_POST
def change_withdraw(request, request_id, change_id):
    found = request_for_user(request.user, request_id)
    change = get_object_or_404(found.changes, pk=change_id)
    try:
        services.request_change_withdraw(actor=request.user, change=change)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("retro:progress", found.pk)
