"""API for insight (mounted at /insight): the page's figures as JSON, read-only, with the page's permissions.

Every endpoint takes the period as `from` and `to` (YYYY-MM-DD, both days included); optional `department`,
`project` and `type` narrow it as the page's filters do. A department or person the caller may not see is 404.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router

from closeloop.insight import dashboard, rules, selectors
from closeloop.insight import measures as m
from closeloop.insight.api.schemas import DepartmentFiguresOut, FigureOut, MeasureOut, PersonFiguresOut
from closeloop.org.api.schemas import ErrorOut

router = Router(tags=["insight"])
ERRORS = {404: ErrorOut, 422: ErrorOut}
FROM = Query(None, alias="from", description="First day of the period, YYYY-MM-DD")
TO = Query(None, alias="to", description="Last day of the period, YYYY-MM-DD")


def _period(start, end):
    errors = {}
    if start is None:
        errors["from"] = [_("Give the first day of the period (YYYY-MM-DD).")]
    if end is None:
        errors["to"] = [_("Give the last day of the period (YYYY-MM-DD).")]
    if not errors and end < start:
        errors["to"] = [_("The last day is before the first.")]
    if not errors and (end - start).days > 731:
        errors["to"] = [_("Choose at most two years.")]
    if errors:
        raise ValidationError(errors)
    return rules.period_for(rules.CUSTOM, start, start, end)


def _figures(keys, facts):
    values = m.figures(keys, facts)
    return [FigureOut(key=k, label=str(m.MEASURES[k].label), formula=str(m.MEASURES[k].help),
                      unit=m.MEASURES[k].unit, value=values[k]) for k in keys]


def _board(request, start, end, department, project, type):
    return dashboard.build(request.auth, _period(start, end), selectors.Filters(department, project, type or None))


@router.get("/departments", response={200: list[DepartmentFiguresOut], **ERRORS},
            summary="Department accountability for a period")
def departments(request, start: dt.date | None = FROM, end: dt.date | None = TO,
                department: int | None = None, project: int | None = None, type: str = ""):
    """One entry per department the caller may see (administrators: all; a head: theirs; a member: their own):
    its action items due in the period by outcome, the on-time rate and the person-hours of the meetings it hosted."""
    board = _board(request, start, end, department, project, type)
    keys = ["items_open", "items_done_on_time", "items_done_late", "items_overdue", "on_time_rate",
            "meeting_person_hours", *m.REQUEST_MEASURES]
    columns = [c.key for c in board.tables["departments"].columns]
    out = []
    for dept, row in zip(board.departments, board.tables["departments"].rows, strict=True):
        values = {key: row[columns.index(key)].value for key in keys}
        out.append({"department": {"id": dept.pk, "name": dept.name}, **values})
    return out


@router.get("/meetings", response={200: list[FigureOut], **ERRORS}, summary="Meeting figures for a period")
def meetings(request, start: dt.date | None = FROM, end: dt.date | None = TO,
             department: int | None = None, project: int | None = None, type: str = ""):
    """Count, hours, person-hours, cost, rule compliance, decisions and items per meeting, planned vs actual
    topic time, meetings without decisions: over the meetings hosted by the departments the caller may see."""
    board = _board(request, start, end, department, project, type)
    return _figures(m.MEETING_MEASURES, board.meeting_rows)


@router.get("/loop", response={200: list[FigureOut], **ERRORS}, summary="Loop health for a period")
def loop(request, start: dt.date | None = FROM, end: dt.date | None = TO,
         department: int | None = None, project: int | None = None, type: str = ""):
    """Decisions without an action item, disagreements past their date, sign-offs overdue, requests unanswered
    past their answer date, retrospectives overdue, open improvement measures."""
    board = _board(request, start, end, department, project, type)
    return (_figures(m.LOOP_MEASURES, board.meeting_rows) + _figures(m.LOOP_REQUEST_MEASURES, board.request_rows)
            + _figures(["retrospectives_overdue"], board.retro_rows)
            + _figures(["improvements_open"], board.improvement_rows))


@router.get("/people/{int:person_id}", response={200: PersonFiguresOut, **ERRORS}, summary="A person's own figures")
def person(request, person_id: int, start: dt.date | None = FROM,
           end: dt.date | None = TO):
    """Open, overdue, on-time figures of one person's items due in the period: for themselves, their department
    head and administrators only."""
    target = selectors.person_for_insight(request.auth, person_id)
    period = _period(start, end)
    table, _trend = dashboard.person_panel(request.auth, target, period)
    return {"person_id": target.pk, "name": str(target),
            "figures": [{"key": c.key, "label": c.label, "formula": c.help, "unit": c.unit, "value": cell.value}
                        for c, cell in zip(table.columns, table.rows[0], strict=True)]}


@router.get("/measures", response=list[MeasureOut], summary="Every figure with its formula")
def measures(request):
    return [MeasureOut(key=x.key, label=str(x.label), formula=str(x.help), unit=x.unit) for x in m.MEASURES.values()]
