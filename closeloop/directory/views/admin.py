"""The administrators' directory page: the last sync run and its changes, leavers' open work, run a sync."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from closeloop.lib.paging import section_page

from .. import ldapdir, selectors
from ..services import directory_sync

CHANGES_PER_PAGE = 50  # a company's first sync makes thousands


@login_required
def overview(request):
    organisation = selectors.require_admin(request.user)
    runs = selectors.runs_for(organisation)
    last = runs[0] if runs else None
    changes = section_page(request, selectors.RunChanges(last), "changes", CHANGES_PER_PAGE) if last else None
    return render(request, "directory/overview.html", {
        "configured": ldapdir.configured(), "last": last, "changes": changes, "runs": runs,
        "leavers": selectors.leavers_with_open_work(organisation),
    })


@login_required
@require_POST
def sync(request):
    organisation = selectors.require_admin(request.user)
    if not ldapdir.configured():
        messages.error(request, _("No LDAP directory is configured (LDAP_SERVER_URI)."))
        return redirect("directory:overview")
    run = directory_sync(organisation=organisation, dry_run=request.POST.get("dry_run") == "1", actor=request.user)
    if run.ok:
        messages.success(request, _("Directory read: %(count)s changes.") % {"count": len(run.changes)})
    else:
        messages.error(request, _("The directory could not be read: %(error)s") % {"error": run.error})
    return redirect("directory:overview")
