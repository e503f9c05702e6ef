"""API of the directory (administrators only, 404 for anyone else): the sync runs with their first changes, each
run's changes by pages, and starting one."""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from closeloop.directory import ldapdir, selectors
from closeloop.directory.api.schemas import ChangeOut, ErrorOut, RunOut, SyncIn
from closeloop.directory.services import directory_sync
from closeloop.lib.pagination import CappedCountPagination

router = Router(tags=["directory"])


def _run_out(run):
    """A run from run_for or run_summaries_for: its first changes and how many there are."""
    return {**{f: getattr(run, f) for f in ("id", "started_at", "finished_at", "dry_run", "ok", "error",
                                            "people_seen", "changes_count")},
            "changes": selectors.described_changes(run.first_changes),
            "changes_more": run.changes_count > len(run.first_changes)}


@router.get("/runs", response={200: list[RunOut], 404: ErrorOut}, summary="The last sync runs, newest first")
def runs(request):
    organisation = selectors.require_admin(request.auth)
    return [_run_out(run) for run in selectors.run_summaries_for(organisation)]


@router.get("/runs/{int:run_id}", response={200: RunOut, 404: ErrorOut}, summary="One sync run with its first changes")
def run_get(request, run_id: int):
    return _run_out(selectors.run_for(selectors.require_admin(request.auth), run_id))


@router.get("/runs/{int:run_id}/changes", response={200: list[ChangeOut], 404: ErrorOut},
            summary="Every change of one sync run, in the order the run made them (paged)")
@paginate(CappedCountPagination)
def run_changes(request, run_id: int):
    return selectors.RunChanges(selectors.run_for(selectors.require_admin(request.auth), run_id))


@router.post("/sync", response={200: RunOut, 404: ErrorOut, 422: ErrorOut},
             summary="Read the directory now; with dry_run, only report what would change")
def sync(request, payload: SyncIn):
    organisation = selectors.require_admin(request.auth)
    if not ldapdir.configured():
        return Status(422, {"detail": _("No LDAP directory is configured (LDAP_SERVER_URI)."),
                            "errors": {"LDAP_SERVER_URI": [_("Not set.")]}})
    run = directory_sync(organisation=organisation, dry_run=payload.dry_run, actor=request.auth)
    return Status(200, _run_out(selectors.run_for(organisation, run.pk)))
