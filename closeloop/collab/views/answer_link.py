"""Answering from the link in the message: the receiving head reads the request and answers without signing in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from closeloop.lib.forms import add_service_errors, error_summary

from .. import services
from ..choices import ReceiptState, RequestState
from ..forms import AnswerForm
from ..selectors import receipt_for_token


def answer_token(request, token):
    receipt = receipt_for_token(token)
    head = receipt.department.head
    if head is not None and head.language and not request.user.is_authenticated:
        translation.activate(head.language)
    found = receipt.request
    open_ = found.state != RequestState.WITHDRAWN and receipt.state != ReceiptState.ACCEPTED
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST" and open_:
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                _receipt, warnings = services.request_answer(
                    actor=None, token=token, request=found, department=receipt.department, answer=data["answer"],
                    note=data["note"], missing=data["missing"], proposed_date=data["proposed_date"],
                    resource_request=data["resource_request"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                for warning in warnings:
                    messages.warning(request, warning.message)
                messages.success(request, _("Your answer was sent."))
                return redirect("collab:answer_token", token)
    return render(request, "collab/answer_token.html", {
        "req": found, "receipt": receipt, "form": form, "open": open_, "errors": error_summary(form)}, status=status)
