"""API: the lists of a department, meeting and project; the .xlsx export and import; the calendar feed;
the follow-up meeting's review of open items and its generated first topic.

A department, meeting or project the caller may not open answers 404, like any hidden thing.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from closeloop.actions.api.schemas import (
    ExportFilter,
    FeedOut,
    ImportOut,
    ImportRefusedOut,
    ItemListOut,
    ListFilter,
    TopicOut,
)
from closeloop.actions.exports import XLSX_CONTENT_TYPE, export_plan
from closeloop.actions.imports import ImportRefused, action_items_import, shared_display_names
from closeloop.actions.models import FeedToken, ReviewTopic
from closeloop.actions.selectors.items import items_visible_to, open_items_for_review
from closeloop.actions.selectors.lists import (
    DEPARTMENT,
    MEETING,
    MINE,
    PROJECT,
    VISIBLE,
    list_items,
    person_can_import,
    scope_for,
)
from closeloop.actions.services.feed import feed_token_regenerate, feed_token_revoke
from closeloop.actions.services.review import series_review_topic_ensure
from closeloop.lib.apiutil import org_of
from closeloop.lib.pagination import CappedCountPagination
from closeloop.lib.uploads import size_text
from closeloop.meetings.selectors import meeting_for_user
from closeloop.org.api.schemas import ErrorOut

router = Router(tags=["action items"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_UPLOAD = 10 * 1024 * 1024


@router.get("/departments/{int:department_id}", response=list[ItemListOut],
            summary="A department's items: its head and admins see all, its members those visible to them")
@paginate(CappedCountPagination)
def department_items(request, department_id: int, filters: Query[ListFilter]):
    return list_items(request.auth, scope_for(request.auth, DEPARTMENT, department_id), filters.as_query())


@router.get("/meetings/{int:meeting_id}", response=list[ItemListOut], summary="A meeting's items")
@paginate(CappedCountPagination)
def meeting_items(request, meeting_id: int, filters: Query[ListFilter]):
    return list_items(request.auth, scope_for(request.auth, MEETING, meeting_id), filters.as_query())


@router.get("/projects/{int:project_id}", response=list[ItemListOut], summary="A project's items")
@paginate(CappedCountPagination)
def project_items(request, project_id: int, filters: Query[ListFilter]):
    return list_items(request.auth, scope_for(request.auth, PROJECT, project_id), filters.as_query())


@router.get("/export", summary="The filtered list as an action plan (.xlsx), header in your language or `lang`",
            response={200: None, 404: ErrorOut}, openapi_extra={
                "responses": {200: {"content": {XLSX_CONTENT_TYPE: {"schema": {"type": "string",
                                                                                 "format": "binary"}}}}}})
def export(request, filters: Query[ExportFilter]):
    org_of(request.auth)
    scope = scope_for(request.auth, MINE if filters.mine else VISIBLE)
    items = list(list_items(request.auth, scope, filters.as_query())[:20000])
    language = filters.lang or request.auth.language or settings.LANGUAGE_CODE
    data = export_plan(items, language=language, shared_names=shared_display_names(request.auth.organisation))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    name = "行动计划表.xlsx" if language.startswith("zh") else "action-plan.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@router.post("/import", response={201: ImportOut, 403: ErrorOut, 404: ErrorOut, 422: ImportRefusedOut},
             summary="Import an action plan (.xlsx) into a meeting or a project: every row, or none")
def import_plan(request, file: File[UploadedFile], meeting_id: Form[int | None] = None,
                project_id: Form[int | None] = None):
    user = request.auth
    if (meeting_id is None) == (project_id is None):
        return _refused(_("Give either meeting_id or project_id."), "meeting_id")
    scope = scope_for(user, MEETING, meeting_id) if meeting_id is not None else scope_for(user, PROJECT, project_id)
    if not person_can_import(user, scope):
        raise PermissionDenied(_("Only the meeting's host and recorder, the project's lead and administrators "
                                 "import action plans."))
    if file.size > MAX_UPLOAD:
        return _refused(_("The file is larger than %(limit)s.") % {"limit": size_text(MAX_UPLOAD)}, "file")
    try:
        result = action_items_import(
            actor=user, organisation=user.organisation, data=file.read(),
            meeting=scope.obj if scope.kind == MEETING else None,
            project=scope.obj if scope.kind == PROJECT else None)
    except ImportRefused as exc:
        problems = [p.as_dict() for p in exc.problems]
        errors = {}
        for p in exc.problems:
            errors.setdefault("file" if p.row is None else f"rows.{p.row}.{p.field}", []).append(p.message)
        return Status(422, {"detail": _("Nothing was imported: fix these rows and try again."), "errors": errors,
                            "problems": problems})
    return Status(201, {"created": result.created, "item_ids": [i.pk for i in result.items],
                        "warnings": [w.as_dict() for w in result.warnings]})


def _refused(message, field):
    return Status(422, {"detail": _("Invalid input."), "errors": {field: [message]},
                        "problems": [{"row": None, "column": "", "field": field, "message": message,
                                      "text": message}]})


def _feed_out(feed):
    if feed is None:
        return {"url": None, "created_at": None, "last_used_at": None}
    return {"url": settings.SITE_URL + reverse("actions:feed", args=[feed.token]), "created_at": feed.created_at,
            "last_used_at": feed.last_used_at}


@router.get("/feed", response=FeedOut, summary="Your calendar feed's secret address (null when there is none)")
def feed_get(request):
    return _feed_out(FeedToken.objects.filter(person=request.auth).first())


@router.post("/feed", response={201: FeedOut}, summary="Create or regenerate the feed address; the old one 404s")
def feed_regenerate(request):
    return Status(201, _feed_out(feed_token_regenerate(actor=request.auth)))


@router.delete("/feed", response={204: None}, summary="Revoke the feed: its address answers 404 from now on")
def feed_revoke(request):
    feed_token_revoke(actor=request.auth)
    return Status(204, None)


@router.get("/meetings/{int:meeting_id}/review", response={200: list[ItemListOut], 404: ErrorOut},
            summary="Open items of the earlier meetings of this meeting's series (or project), to review (paged)")
@paginate(CappedCountPagination)
def review_items(request, meeting_id: int):
    meeting = meeting_for_user(request.auth, meeting_id)
    return open_items_for_review(meeting).filter(pk__in=items_visible_to(request.auth).values("pk"))


@router.post("/meetings/{int:meeting_id}/review-topic", response={200: TopicOut, **ERRORS},
             summary="Generate (or refresh) the meeting's first topic: review the series' open action items")
def review_topic(request, meeting_id: int):
    meeting = meeting_for_user(request.auth, meeting_id)
    topic = series_review_topic_ensure(actor=request.auth, meeting=meeting)
    topic.item_count = ReviewTopic.objects.get(meeting=meeting).item_count
    return topic
