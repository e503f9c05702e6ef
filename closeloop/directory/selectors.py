"""Reads of the directory for administrators: the last sync runs and the people waiting for a hand-over."""

from allauth.socialaccount.models import SocialAccount
from django.http import Http404

from closeloop.lib.jsonarrays import JsonLength, JsonSlice
from closeloop.lib.pagination import EMBEDDED
from closeloop.org.models import Person

from .describe import describe
from .handover import open_work_of
from .models import SyncRun


def require_admin(person):
    """Only administrators see the directory pages; anyone else gets 404 as for a page that is not there."""
    if not person.is_authenticated or not person.is_org_admin or person.organisation_id is None:
        raise Http404
    return person.organisation


def runs_for(organisation, limit=10):
    """The last sync runs with how many changes each made, their arrays left in the database."""
    return list(SyncRun.objects.filter(organisation=organisation).select_related("started_by").defer("changes")
                .annotate(changes_count=JsonLength("changes"))[:limit])


def described_changes(changes):
    return [{**change, "text": describe(change)} for change in changes]


def _summaries(runs):
    """Runs with `changes_count` and their first changes (`first_changes`), the array itself left in the database."""
    return runs.defer("changes").annotate(changes_count=JsonLength("changes"),
                                          first_changes=JsonSlice("changes", 0, EMBEDDED))


def run_summaries_for(organisation, limit=10):
    """The last sync runs, each with its first changes and how many it made."""
    return list(_summaries(SyncRun.objects.filter(organisation=organisation))[:limit])


def run_for(organisation, pk):
    """One sync run of the organisation with its first changes and how many it made, else Http404."""
    run = _summaries(SyncRun.objects.filter(organisation=organisation, pk=pk)).first()
    if run is None:
        raise Http404
    return run


class RunChanges:
    """A run's changes as the API's paginator reads them: a page at a time out of the database, each described."""

    ordered = True

    def __init__(self, run):
        self.run = run  # from run_for: knows its changes_count

    def __len__(self):
        return self.run.changes_count

    def count_up_to(self, limit):
        return min(len(self), limit)

    def __getitem__(self, page):
        changes = (SyncRun.objects.filter(pk=self.run.pk)
                   .values_list(JsonSlice("changes", page.start or 0, page.stop), flat=True).get())
        return described_changes(changes)


def leavers_with_open_work(organisation):
    """Deactivated directory people who still own something, with what it is and who should take it over."""
    rows = []
    leavers = (Person.objects.filter(organisation=organisation, is_active=False, directory_account__isnull=False)
               .select_related("department__head").order_by("username"))
    for person in leavers:
        work = open_work_of(person)
        if work:
            head = person.department.head if person.department_id else None
            rows.append({"person": person, "head": head, "work": work})
    return rows


def chat_user_id(person, provider):
    """The person's DingTalk or Feishu id from their linked sign-in (for @-mentions by the robots), or ""."""
    account = SocialAccount.objects.filter(user=person, provider=provider).order_by("pk").first()
    return account.uid if account else ""
