"""The request page's buttons: answer, reply, name a delegate, escalate, withdraw, plan a meeting.

Each finds the request through request_for_user (404 for anyone not entitled), runs one service and
redirects back; a refused input re-renders the page with the typed values and the error naming the field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from closeloop.lib.apiutil import aware
from closeloop.lib.forms import add_service_errors, error_summary

from .. import services
from ..forms import AnswerForm, DelegateForm, LinkMeetingForm, NoteForm, PlanMeetingForm, ReplyForm, WithdrawForm
from ..models import Receipt
from ..pages import detail_context
from ..selectors import request_for_user


def _refused(request, found, form, key, exc=None):
    if exc is not None:
        add_service_errors(form, exc)
    context = detail_context(request, found, **{key: form, "errors": error_summary(form)})
    return render(request, "collab/request_detail.html", context, status=422)


def _run(request, found, form, key, write, done):
    if not form.is_valid():
        return _refused(request, found, form, key)
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, found, form, key, exc)
    for warning in (result or ()) if isinstance(result, list) else ():
        messages.warning(request, warning.message)
    messages.success(request, done)
    return redirect("collab:detail", found.pk)


def _receipt(found, receipt_id):
    return get_object_or_404(Receipt.objects.select_related("department__head"), request=found, pk=receipt_id)


@login_required
@require_POST
def answer(request, pk, receipt_id):
    found = request_for_user(request.user, pk)
    receipt = _receipt(found, receipt_id)
    form = AnswerForm(request.POST, prefix=f"a{receipt.pk}")

    def write(data):
        return services.request_answer(actor=request.user, request=found, department=receipt.department,
                                       answer=data["answer"], note=data["note"], missing=data["missing"],
                                       proposed_date=data["proposed_date"],
                                       resource_request=data["resource_request"])[1]
    return _run(request, found, form, f"answer_{receipt.pk}", write, _("Your answer was sent."))


@login_required
@require_POST
def reply(request, pk, receipt_id):
    found = request_for_user(request.user, pk)
    receipt = _receipt(found, receipt_id)
    form = ReplyForm(request.POST, prefix=f"r{receipt.pk}")

    def write(data):
        services.request_reply(actor=request.user, request=found, department=receipt.department, note=data["note"])
    return _run(request, found, form, f"reply_{receipt.pk}", write, _("Your answer to the question was sent."))


@login_required
@require_POST
def delegate(request, pk, receipt_id):
    found = request_for_user(request.user, pk)
    receipt = _receipt(found, receipt_id)
    form = DelegateForm(request.POST, prefix=f"d{receipt.pk}", person=request.user)

    def write(data):
        services.receipt_delegate(actor=request.user, receipt=receipt, delegate=data["delegate"])
    return _run(request, found, form, f"delegate_{receipt.pk}", write, _("The delegate was saved."))


@login_required
@require_POST
def escalate(request, pk):
    found = request_for_user(request.user, pk)
    form = NoteForm(request.POST, prefix="esc")

    def write(data):
        services.request_escalate(actor=request.user, request=found, note=data["note"])
    return _run(request, found, form, "escalate", write, _("The request was escalated."))


@login_required
@require_POST
def withdraw(request, pk):
    found = request_for_user(request.user, pk)
    form = WithdrawForm(request.POST, prefix="wd")

    def write(data):
        services.request_withdraw(actor=request.user, request=found, reason=data["reason"])
    return _run(request, found, form, "withdraw", write, _("The request was withdrawn."))


@login_required
@require_POST
def link_meeting(request, pk):
    found = request_for_user(request.user, pk)
    form = LinkMeetingForm(request.POST, prefix="link", person=request.user)

    def write(data):
        services.request_link_meeting(actor=request.user, request=found, meeting=data["meeting"])
    return _run(request, found, form, "link", write, _("The meeting now belongs to this request's story."))


@login_required
@require_POST
def plan_meeting(request, pk):
    found = request_for_user(request.user, pk)
    form = PlanMeetingForm(request.POST, prefix="plan")
    if not form.is_valid():
        return _refused(request, found, form, "plan")
    data = dict(form.cleaned_data)
    data["start"], data["end"] = aware(data["start"], found.organisation), aware(data["end"], found.organisation)
    try:
        meeting = services.request_plan_meeting(actor=request.user, request=found, data=data)
    except ValidationError as exc:
        return _refused(request, found, form, "plan", exc)
    messages.success(request, _("The meeting was planned from the request; complete its agenda."))
    return redirect("meetings:detail", meeting.pk)


__all__ = ["answer", "reply", "delegate", "escalate", "withdraw", "plan_meeting", "PermissionDenied"]
