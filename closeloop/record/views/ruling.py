"""The decider's page for an escalated disagreement (提请上级裁决): what is disputed, the positions, and the form
to record the ruling. Only the person who must rule may open it; everyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from closeloop.actions.choices import OPEN_STATUSES
from closeloop.lib.htmx import redirect_with_success, saved_through
from closeloop.record.forms import RulingForm
from closeloop.record.models import Disagreement
from closeloop.record.selectors import escalation_for_decider
from closeloop.record.services.escalation import disagreement_rule

PAGE = "record/ruling.html"


def _render(request, dis, form, status=200):
    return render(request, PAGE, {"dis": dis, "meeting": dis.record.meeting, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ruling(request, pk):
    dis = escalation_for_decider(request.user, pk)
    if request.method == "GET" or dis.closed:
        return _render(request, dis, RulingForm())
    return saved_through(
        request, RulingForm(request.POST),
        lambda data: disagreement_rule(actor=request.user, disagreement=dis, ruling=data["ruling"]),
        ok=lambda _dis: redirect_with_success(request, reverse("record:ruling", args=[dis.pk]),
                                              _("Your ruling is recorded; the disagreement is closed.")),
        error=lambda form: _render(request, dis, form))


def ruling_action(person, item):
    """The item page's "record the ruling" button, for the decider of an escalated disagreement still open."""
    if item.owner_id != getattr(person, "pk", None) or item.status not in OPEN_STATUSES:
        return []
    found = Disagreement.objects.filter(action_item=item).values_list("pk", flat=True)[:1]
    return [(_("Record the ruling"), reverse("record:ruling", args=[pk])) for pk in found]
