"""API for meeting series (mounted at /series): the organisation's series, one series with its recurrence,
members and next meeting, starting one, and planning its next meeting. Anyone in the organisation reads a
series; its host, recorder and administrators plan its meetings."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from closeloop.lib.apiutil import api_field_names, in_org, org_of
from closeloop.lib.pagination import CappedCountPagination
from closeloop.meetings.api.schemas import SeriesDetailOut, SeriesIn, SeriesMeetingRef, SeriesOut
from closeloop.meetings.models import Series
from closeloop.meetings.selectors import meetings_visible_to
from closeloop.meetings.services.series import series_create, series_next_day, series_next_meeting
from closeloop.org.api.schemas import ErrorOut
from closeloop.org.models import Project

router = Router(tags=["meetings"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("", response=list[SeriesOut], summary="Meeting series of the organisation, by name (paged)")
@paginate(CappedCountPagination)
def series_list(request):
    return Series.objects.filter(organisation=org_of(request.auth)).select_related("project").order_by("name", "id")


@router.post("", response={201: SeriesOut, **ERRORS}, summary="Start a meeting series")
def series_add(request, payload: SeriesIn):
    org = org_of(request.auth)
    project = in_org(Project, org, payload.project_id, "project_id")
    with api_field_names("project"):
        return 201, series_create(actor=request.auth, name=payload.name, project=project)


def _series(request, series_id):
    return get_object_or_404(Series.objects.select_related("project", "host", "recorder", "organisation")
                             .prefetch_related("members"), pk=series_id, organisation=org_of(request.auth))


@router.get("/{series_id}", response={200: SeriesDetailOut, 404: ErrorOut},
            summary="A series: its recurrence, members and next meeting")
def series_get(request, series_id: int):
    series = _series(request, series_id)
    series.next_meeting = (meetings_visible_to(request.auth).filter(series=series, start__gte=timezone.now())
                           .exclude(state="cancelled").order_by("start").first())
    series.next_day = series_next_day(series)
    return series


@router.post("/{series_id}/next", response={201: SeriesMeetingRef, **ERRORS},
             summary="Plan the series' next meeting (its host, recorder, administrators)")
def series_next(request, series_id: int):
    """On the next working day of the recurrence, with the series' default participants and topics; the notice
    is then sent from the meeting as for any other."""
    return 201, series_next_meeting(actor=request.auth, series=_series(request, series_id))
