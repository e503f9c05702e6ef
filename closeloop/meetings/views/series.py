"""Series pages: the list, one series (its recurrence, defaults and meetings), create, edit, and planning the
next meeting. A series is the organisation's (anyone in it may read it); its host, recorder and administrators
change it; the meetings it lists are only those the viewer may see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from closeloop.lib.forms import error_summary
from closeloop.lib.htmx import redirect_with_success, saved_through
from closeloop.meetings.forms import SeriesForm
from closeloop.meetings.models import Series
from closeloop.meetings.selectors import meetings_visible_to
from closeloop.meetings.services import series as services


def _series_of(person):
    if not person.organisation_id:
        raise Http404
    return Series.objects.filter(organisation_id=person.organisation_id).select_related("project", "host",
                                                                                         "recorder")


def _series_for(person, pk):
    try:
        return _series_of(person).get(pk=pk)
    except (Series.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _editable(request, pk):
    series = _series_for(request.user, pk)
    if not services.person_can_edit_series(request.user, series):
        raise PermissionDenied(_("Only the series' host and recorder and administrators can change it."))
    return series


@login_required
def series_list(request):
    return render(request, "meetings/series_list.html", {"series_list": _series_of(request.user)})


@login_required
def series_detail(request, pk):
    series = _series_for(request.user, pk)
    meetings = meetings_visible_to(request.user).filter(series=series).order_by("-start")
    return render(request, "meetings/series_detail.html", {
        "series": series, "meetings": meetings, "members": series.members.all(),
        "can_edit": services.person_can_edit_series(request.user, series)})


def _form_page(request, form, series, status=200):
    errors = error_summary(form) if form.is_bound else []
    return render(request, "meetings/series_form.html", {"form": form, "series": series, "errors": errors},
                  status=status)


@login_required
def series_create(request):
    user = request.user
    if not user.organisation_id:
        raise Http404
    form = SeriesForm(request.POST or None, organisation_id=user.organisation_id, initial={
        "meeting_type": "weekly_sync", "weekday": 0, "interval_weeks": 1, "start_time": "10:00",
        "duration_minutes": 30, "host": user.pk, "member_roles": ["executor"]})
    if request.method != "POST":
        return _form_page(request, form, None)

    def create(data):
        data = form.series_data()
        return services.series_create(actor=user, name=data.pop("name"), project=data.pop("project"), data=data)

    return saved_through(request, form, create, model=Series, error=lambda form: _form_page(request, form, None, 422),
                         ok=lambda series: redirect_with_success(
                             request, reverse("meetings:series_detail", args=[series.pk]), _("Series created.")))


@login_required
def series_edit(request, pk):
    series = _editable(request, pk)
    initial = {name: getattr(series, name) for name in services.SERIES_FIELDS}
    initial.update(member_roles=[r for r in series.member_roles.split(",") if r],
                   members=[p.pk for p in series.members.all()], project=series.project_id, host=series.host_id,
                   recorder=series.recorder_id)
    form = SeriesForm(request.POST or None, organisation_id=series.organisation_id, initial=initial)
    if request.method != "POST":
        return _form_page(request, form, series)
    return saved_through(request, form, lambda _data: services.series_update(
        actor=request.user, series=series, data=form.series_data()), model=Series,
        error=lambda form: _form_page(request, form, series, 422),
        ok=lambda series: redirect_with_success(request, reverse("meetings:series_detail", args=[series.pk]),
                                                _("Series saved.")))


@login_required
@require_POST
def series_next(request, pk):
    series = _editable(request, pk)
    try:
        meeting = services.series_next_meeting(actor=request.user, series=series)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("meetings:series_detail", pk=series.pk)
    return redirect_with_success(request, reverse("meetings:detail", args=[meeting.pk]),
                                 _("The next meeting of the series is planned. Check it, then send the notice."))
