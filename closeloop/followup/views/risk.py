"""The owner's page to raise a risk on an action item (also answered as an htmx fragment).

GET shows the form and changes nothing; POST calls the service. Anyone who may not see the item gets 404;
a viewer who is not the owner gets 403.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from closeloop.actions.choices import OPEN_STATUSES
from closeloop.actions.selectors.items import item_for_user
from closeloop.followup.forms import RiskForm
from closeloop.followup.services import action_item_raise_risk
from closeloop.lib.htmx import is_partial, redirect_with_success, render_partial_or_page, saved_through

PARTIAL = "followup/partials/risk.html"
PAGE = "followup/risk.html"


def _render(request, item, form, sent=None, status=200):
    return render_partial_or_page(request, partial=PARTIAL, page=PAGE, status=status,
                                  context={"item": item, "form": form, "sent": sent,
                                           "is_open": item.status in OPEN_STATUSES})


@login_required
@require_http_methods(["GET", "POST"])
def raise_risk(request, pk):
    item = item_for_user(request.user, pk)
    if item.owner_id != request.user.pk:
        raise PermissionDenied(_("Only the item's owner can raise a risk on it."))
    if request.method == "GET":
        return _render(request, item, RiskForm())
    return saved_through(
        request, RiskForm(request.POST), lambda data: action_item_raise_risk(actor=request.user, item=item,
                                                                              note=data["note"]),
        ok=lambda event: _sent(request, item, ", ".join(str(p) for p in event.recipients)),
        error=lambda form: _render(request, item, form, status=422 if is_partial(request) else 200))


def _sent(request, item, sent):
    if is_partial(request):
        return _render(request, item, RiskForm(), sent=sent or "—")
    return redirect_with_success(request, reverse("actions:detail", args=[item.pk]),
                                 _("Risk sent to %(names)s.") % {"names": sent} if sent
                                 else _("Risk recorded; nobody else to tell."))


def risk_action(person, item):
    """The item page's "raise a risk" button, for the owner of an open item."""
    if item.owner_id != getattr(person, "pk", None) or item.status not in OPEN_STATUSES:
        return []
    return [(_("Raise a risk"), reverse("followup:risk", args=[item.pk]))]
