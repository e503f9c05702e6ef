"""API of the directory (administrators only, 404 for anyone else): the sync runs, and starting one."""

from django.utils.translation import gettext as _
from ninja import Router, Status

from closeloop.directory import ldapdir, selectors
from closeloop.directory.api.schemas import ErrorOut, RunOut, SyncIn
from closeloop.directory.services import directory_sync

router = Router(tags=["directory"])


def _run_out(run):
    return {**{f: getattr(run, f) for f in ("id", "started_at", "finished_at", "dry_run", "ok", "error",
                                            "people_seen")},
            "changes": [{"kind": c["kind"], "text": c["text"], "data": c} for c in selectors.described(run)]}


@router.get("/runs", response={200: list[RunOut], 404: ErrorOut}, summary="The last sync runs, newest first")
def runs(request):
    organisation = selectors.require_admin(request.auth)
    return [_run_out(run) for run in selectors.runs_for(organisation)]


@router.post("/sync", response={200: RunOut, 404: ErrorOut, 422: ErrorOut},
             summary="Read the directory now; with dry_run, only report what would change")
def sync(request, payload: SyncIn):
    organisation = selectors.require_admin(request.auth)
    if not ldapdir.configured():
        return Status(422, {"detail": _("No LDAP directory is configured (LDAP_SERVER_URI)."),
                            "errors": {"LDAP_SERVER_URI": [_("Not set.")]}})
    return Status(200, _run_out(directory_sync(organisation=organisation, dry_run=payload.dry_run, actor=request.auth)))
