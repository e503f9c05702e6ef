"""Pages for change requests: the owner asks (date and/or scope, with a reason), the initiator accepts or
refuses with a comment, the owner may withdraw. Each answers with the item panel (htmx) or a redirect."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from closeloop.actions.forms import ChangeAskForm, ChangeDecideForm
from closeloop.actions.models import ChangeRequest
from closeloop.actions.pages import _panel
from closeloop.actions.selectors.items import item_for_user
from closeloop.actions.services import changes as services_change
from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors
from closeloop.lib.htmx import is_partial


def change_for_user(person, pk):
    """A change request of an item this person may see, else 404."""
    change = ChangeRequest.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if change is None:
        raise Http404
    item_for_user(person, change.item_id)
    return change


def _answer(request, item, form_name, form, call):
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except Conflict as exc:
            return _panel(request, item, conflict=exc.message, **{form_name: form})
        except ValidationError as exc:
            add_service_errors(form, exc, model=ChangeRequest)
        else:
            if is_partial(request):
                return _panel(request, item)
            return redirect("actions:detail", pk=item.pk)
    return _panel(request, item, **{form_name: form})


@login_required
@require_POST
def ask(request, pk):
    item = item_for_user(request.user, pk)
    return _answer(request, item, "change_form", ChangeAskForm(request.POST), lambda d: (
        services_change.change_request_ask(actor=request.user, item=item, reason=d["reason"], new_due=d["new_due"],
                                           new_task=d["new_task"], new_deliverable=d["new_deliverable"])))


@login_required
@require_POST
def decide(request, pk):
    change = change_for_user(request.user, pk)

    def call(d):
        if d["decision"] == ChangeDecideForm.ACCEPT:
            return services_change.change_request_accept(actor=request.user, change=change, comment=d["comment"])
        return services_change.change_request_refuse(actor=request.user, change=change, comment=d["comment"])

    return _answer(request, change.item, "decide_form", ChangeDecideForm(request.POST), call)


@login_required
@require_POST
def withdraw(request, pk):
    change = change_for_user(request.user, pk)
    try:
        services_change.change_request_withdraw(actor=request.user, change=change)
    except ValidationError as exc:
        return _panel(request, change.item, conflict=" ".join(exc.messages))
    if is_partial(request):
        return _panel(request, change.item)
    return redirect("actions:detail", pk=change.item_id)
