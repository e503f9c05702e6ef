"""API for the working calendar: a year's days, one day's override, importing a year, counting working days."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from closeloop.workcal import services
from closeloop.workcal.imports import YEAR_MAX, YEAR_MIN
from closeloop.workcal.selectors import calendar_for, calendar_year_view

router = Router(tags=["calendar"])
# A count beyond ten years of working days is a typo, and each day costs a lookup.
WORKDAYS_MAX = 2600


class CalendarError(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class DayOut(Schema):
    date: dt.date
    working: bool
    name: str
    known: bool = Field(description="False when no source knows the year: `working` is then Monday–Friday")
    source: str = Field(description="override, imported, chinese-calendar, holidays or weekday")
    adjusted: bool = Field(description="a Saturday or Sunday that is a working day (调休)")


class YearOut(Schema):
    year: int
    known: bool
    source: str | None = Field(description="imported, chinese-calendar or holidays; null when no source knows it")
    imported_from: str | None = None
    imported_at: dt.datetime | None = None
    days: list[DayOut]


class DayIn(Schema):
    kind: Literal["holiday", "workday"]
    name: str = Field("", max_length=100)


class WorkdaysOut(Schema):
    date: dt.date
    assumed: bool = Field(description="True when a day counted lies in a year no source knows (Monday–Friday used)")
    start: dt.date
    n: int
    unknown_years: list[int]


class ImportOut(Schema):
    year: int
    source: str
    holidays: int
    workdays: int
    removed: int


ERRORS = {401: CalendarError, 403: CalendarError, 422: CalendarError}


def _day_out(day):
    return {"date": day.date, "working": day.working, "name": day.name, "known": day.known,
            "source": day.source, "adjusted": day.adjusted}


@router.get("/workdays", response={200: WorkdaysOut, **ERRORS},
            summary="The date n working days after (n > 0) or before (n < 0) a date")
def workdays(request, date: dt.date, n: int = Query(..., ge=-WORKDAYS_MAX, le=WORKDAYS_MAX)):
    calendar = calendar_for(services.organisation_of(request.auth))
    result = calendar.add_working_days(date, n)
    step = dt.timedelta(days=1 if n >= 0 else -1)
    unknown = calendar.unknown_years(date + step, result.date) if result.assumed else []
    return {"date": result.date, "assumed": result.assumed, "start": date, "n": n, "unknown_years": unknown}


@router.get("/{int:year}", response={200: YearOut, **ERRORS}, summary="Every day of a year: working or not, and why")
def year_days(request, year: int = Path(..., ge=YEAR_MIN, le=YEAR_MAX)):
    view = calendar_year_view(services.organisation_of(request.auth), year)
    return {
        "year": year, "known": view.known, "source": view.source,
        "imported_from": view.record.source if view.record else None,
        "imported_at": view.record.imported_at if view.record else None,
        "days": [_day_out(d) for d in view.days],
    }


@router.put("/days/{date}", response={200: DayOut, **ERRORS}, summary="Make a date a holiday or a working day (admin)")
def day_set(request, date: dt.date, payload: DayIn):
    org = services.organisation_of(request.auth)
    services.calendar_day_set(actor=request.auth, organisation=org, date=date, kind=payload.kind, name=payload.name)
    return _day_out(calendar_for(org).day(date))


@router.delete("/days/{date}", response={200: DayOut, **ERRORS},
               summary="Remove the organisation's entry for a date; answers what the sources now say (admin)")
def day_clear(request, date: dt.date):
    org = services.organisation_of(request.auth)
    services.calendar_day_clear(actor=request.auth, organisation=org, date=date)
    return _day_out(calendar_for(org).day(date))


@router.post("/import", response={201: ImportOut, **ERRORS},
             summary="Import a year from CSV (date,kind,name) or .ics; nothing is imported if any row is wrong (admin)")
def year_import(request, file: File[UploadedFile | None] = None, year: Form[int | None] = None,
                replace: Form[bool] = False):
    if not services.person_can_edit_calendar(request.auth):
        raise PermissionDenied(_("Only administrators can change the working calendar."))
    # Checked here rather than by the schema, so that the error is reported under "file".
    if file is None:
        raise ValidationError({"file": _("Choose a CSV or .ics file.")})
    if file.size > services.IMPORT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than %(max)s kB.")
                               % {"max": services.IMPORT_MAX_BYTES // 1024}})
    outcome = services.calendar_file_import(
        actor=request.auth, organisation=services.organisation_of(request.auth),
        filename=file.name, data=file.read(), year=year, replace=replace)
    return Status(201, outcome.__dict__)
