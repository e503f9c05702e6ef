"""Pages for change requests: the owner asks (date and/or scope, with a reason), the initiator accepts or
refuses with a comment, the owner may withdraw. Each answers with the item panel (htmx) or a redirect."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_POST

from closeloop.actions.forms import ChangeAskForm, ChangeDecideForm
from closeloop.actions.models import ChangeRequest
from closeloop.actions.pages import panel_button, panel_write
from closeloop.actions.selectors.items import item_for_user
from closeloop.actions.services import changes as services_change


def change_for_user(person, pk):
    """A change request of an item this person may see, else 404."""
    change = ChangeRequest.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if change is None:
        raise Http404
    item_for_user(person, change.item_id)
    return change


@login_required
@require_POST
def ask(request, pk):
    item = item_for_user(request.user, pk)
    return panel_write(request, item, "change_form", ChangeAskForm(request.POST), lambda d: (
        services_change.change_request_ask(actor=request.user, item=item, reason=d["reason"], new_due=d["new_due"],
                                           new_task=d["new_task"], new_deliverable=d["new_deliverable"])),
        model=ChangeRequest)


@login_required
@require_POST
def decide(request, pk):
    change = change_for_user(request.user, pk)

    def call(d):
        if d["decision"] == ChangeDecideForm.ACCEPT:
            return services_change.change_request_accept(actor=request.user, change=change, comment=d["comment"])
        return services_change.change_request_refuse(actor=request.user, change=change, comment=d["comment"])

    return panel_write(request, change.item, "decide_form", ChangeDecideForm(request.POST), call, model=ChangeRequest)


@login_required
@require_POST
def withdraw(request, pk):
    change = change_for_user(request.user, pk)
    return panel_button(request, change.item,
                        lambda: services_change.change_request_withdraw(actor=request.user, change=change))
