"""The working-calendar page: a year month by month; administrators toggle days and import a year."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from closeloop.lib.htmx import is_partial, redirect_with_success, saved_through
from closeloop.workcal import services
from closeloop.workcal.forms import CLEAR, TOGGLE, DayForm, ImportForm, YearForm
from closeloop.workcal.selectors import calendar_for, calendar_year_view

PAGE = "workcal/calendar.html"
DAY_PARTIAL = "workcal/partials/calendar_day.html"


def _page_url(year):
    return f"{reverse('workcal:calendar')}?year={year}"


def _page(request, year, *, day_form=None, import_form=None, year_errors=None, status=200):
    org = services.organisation_of(request.user)
    view = calendar_year_view(org, year)
    can_edit = services.person_can_edit_calendar(request.user)
    return render(request, PAGE, {
        "view": view, "year": year, "can_edit": can_edit,
        "day_form": day_form or DayForm(initial={"date": dt.date(year, 1, 1)}),
        "import_form": import_form or ImportForm(initial={"year": year}),
        "year_errors": year_errors or [],
        "import_errors": _error_rows(import_form),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    }, status=status)


def _error_rows(form):
    """[(field label, message)] so the page lists every problem naming its field."""
    if form is None:
        return []
    return [(str(form.fields[f].label) if f in form.fields else "", str(m))
            for f, errors in form.errors.items() for m in errors]


def _require_editor(request):
    if not services.person_can_edit_calendar(request.user):
        raise PermissionDenied(_("Only administrators can change the working calendar."))


@login_required
@require_GET
def calendar_year(request):
    """GET ?year=2026 (the current year when absent); a bad year is named and the current year is shown."""
    today = timezone.localdate()
    if "year" not in request.GET:
        return _page(request, today.year)
    form = YearForm(request.GET)
    if not form.is_valid():
        return _page(request, today.year, year_errors=form.errors["year"], status=400)
    return _page(request, form.cleaned_data["year"])


@login_required
@require_POST
def calendar_day(request):
    """Toggle a day (htmx answers with the day's cell), or set it to a kind, or remove its entry."""
    _require_editor(request)
    org = services.organisation_of(request.user)

    def write(data):
        date, kind, name = data["date"], data["kind"], data["name"]
        if kind == TOGGLE:
            services.calendar_day_toggle(actor=request.user, organisation=org, date=date, name=name)
        elif kind == CLEAR:
            services.calendar_day_clear(actor=request.user, organisation=org, date=date)
        else:
            services.calendar_day_set(actor=request.user, organisation=org, date=date, kind=kind, name=name)
        return date

    def saved(date):
        if is_partial(request):
            return render(request, DAY_PARTIAL, {"day": calendar_for(org).day(date), "can_edit": True})
        return redirect_with_success(request, _page_url(date.year), _("%(date)s saved.") % {"date": date.isoformat()})

    def refused(form):
        if is_partial(request):
            return render(request, "workcal/partials/calendar_errors.html", {"form": form}, status=422)
        year = form.cleaned_data["date"].year if "date" in form.cleaned_data else timezone.localdate().year
        return _page(request, year, day_form=form, status=422)

    return saved_through(request, DayForm(request.POST), write, ok=saved, error=refused)


@login_required
@require_POST
def calendar_import(request):
    """Import a year from an uploaded file; on any bad row nothing is imported and every row's error is listed."""
    _require_editor(request)

    def write(data):
        upload = data["file"]
        return services.calendar_file_import(
            actor=request.user, organisation=services.organisation_of(request.user), filename=upload.name,
            data=upload.read(), year=data["year"], replace=data["replace"])

    return saved_through(
        request, ImportForm(request.POST, request.FILES), write,
        ok=lambda outcome: redirect_with_success(request, _page_url(outcome.year), _(
            "%(year)s imported from %(source)s: holidays %(holidays)s, working days %(workdays)s.") % outcome.__dict__),
        error=lambda form: _page(request, form.cleaned_data.get("year") or timezone.localdate().year,
                                 import_form=form, status=422))
