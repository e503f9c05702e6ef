"""The audit trail page: administrators only, newest first, filtered, each change shown as a diff."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from closeloop.audit.forms import AuditFilterForm
from closeloop.audit.history import diff_rows
from closeloop.audit.models import AuditEntry

PER_PAGE = 50


def entries_for(person):
    """The organisation's entries: those made by its people, and by the system (no actor)."""
    return AuditEntry.objects.filter(Q(actor__organisation_id=person.organisation_id) | Q(actor__isnull=True))


@login_required
def audit_list(request):
    user = request.user
    if not user.is_org_admin:
        raise Http404  # the trail's existence is not revealed to others
    qs = entries_for(user)
    object_types = list(qs.order_by("object_type").values_list("object_type", flat=True).distinct())
    form = AuditFilterForm(request.GET or None, object_types=object_types, organisation_id=user.organisation_id)
    if form.is_valid():
        if form.cleaned_data["object_type"]:
            qs = qs.filter(object_type=form.cleaned_data["object_type"])
        if form.cleaned_data["actor"]:
            qs = qs.filter(actor=form.cleaned_data["actor"])
    page = Paginator(qs.select_related("actor").order_by("-at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"entry": e, "diff": diff_rows(e.before, e.after)} for e in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/audit.html", {
        "filter_form": form, "page": page, "rows": rows, "query": query.urlencode(),
    })
