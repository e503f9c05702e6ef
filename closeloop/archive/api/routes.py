"""API for the archive (mounted at /archive): the tree, a branch's meetings, search, a meeting's action plan.

Everything reads through the viewer's visibility: what they may not see is neither listed nor counted, and a
meeting they may not see answers 404. Query strings go through the page's forms, so errors name the field.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Router

from closeloop.archive import selectors
from closeloop.archive.api.schemas import (
    ArchivePageOut,
    SearchOut,
    YearNodeOut,
    archived_meeting_out,
    search_out,
    tree_out,
)
from closeloop.archive.exports import XLSX_CONTENT_TYPE
from closeloop.archive.forms import ArchiveFilterForm, SearchForm
from closeloop.archive.search import search as run_search
from closeloop.archive.views.archive import xlsx_response
from closeloop.meetings.selectors import meeting_for_user
from closeloop.org.api.schemas import ErrorOut

router = Router(tags=["archive"])
ERRORS = {404: ErrorOut, 422: ErrorOut}
MAX_PAGE_SIZE = 100


def _checked(form):
    if not form.is_valid():
        raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
    return form.cleaned_data


def _page_size(value):
    if not 1 <= value <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [_("Give a number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}]})
    return value


@router.get("/tree", response=list[YearNodeOut])
def tree(request, year: int | None = None):
    """Years → participating departments → projects ("none" for none), each with its number of meetings. Every
    year keeps its count, but only one lists its departments: `year`, or else the newest (a long history stays
    small; ask each year for its branches)."""
    return tree_out(selectors.archive_tree(request.auth, year=selectors.NEWEST if year is None else year))


@router.get("/meetings", response={200: ArchivePageOut, **ERRORS})
def meetings(request, year: str = "", department: str = "", project: str = "", page: str = "",
             page_size: int = settings.NINJA_PAGINATION_PER_PAGE):
    """The archived meetings of one branch (any of year, department, project; "none" for none), newest first,
    each with its latest approved minutes."""
    data = _checked(ArchiveFilterForm({"year": year, "department": department, "project": project, "page": page}))
    filters = selectors.ArchiveFilter(year=data["year"], department=data["department"], project=data["project"])
    page_obj = Paginator(selectors.archive_meetings(request.auth, filters), _page_size(page_size)).get_page(
        data["page"] or 1)
    items = selectors.with_archive_details(page_obj.object_list)
    return {"count": page_obj.paginator.count, "page": page_obj.number, "pages": page_obj.paginator.num_pages,
            "items": [archived_meeting_out(m) for m in items]}


@router.get("/search", response={200: SearchOut, **ERRORS})
def search(request, q: str = "", kind: str = "", page: str = "",
           page_size: int = settings.NINJA_PAGINATION_PER_PAGE):
    """Words in meeting titles, decisions, action items (task, deliverable) and the latest minutes; substrings,
    Chinese included. One group per kind (or only `kind`), each on its page `page`."""
    data = _checked(SearchForm({"q": q, "kind": kind, "page": page}))
    groups = run_search(request.auth, data["q"], kinds=[data["kind"]] if data["kind"] else None,
                        page=data["page"] or 1, per_page=_page_size(page_size))
    return search_out(data["q"], groups, selectors.viewer_tz(request.auth))


@router.get("/meetings/{int:meeting_id}/action-plan.xlsx", response={404: ErrorOut, 422: ErrorOut},
            url_name="archive_action_plan", openapi_extra={"responses": {200: {
                "description": "The action plan (行动计划表)", "content": {XLSX_CONTENT_TYPE: {}}}}})
def action_plan(request, meeting_id: int, language: str = ""):
    """The meeting's action plan (行动计划表) as .xlsx, in `language` or the caller's own."""
    meeting = meeting_for_user(request.auth, meeting_id)
    if language and language not in dict(settings.LANGUAGES):
        codes = ", ".join(dict(settings.LANGUAGES))
        raise ValidationError({"language": [_("Choose one of: %(codes)s.") % {"codes": codes}]})
    return xlsx_response(meeting, language or request.auth.language or settings.LANGUAGE_CODE)
