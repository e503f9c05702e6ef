"""The figures of one view of insight, as tables and chart series: for the page, the API, .xlsx and the report.

A Table is a title, columns (each a measure or a label) and rows of cells; a cell may carry the link to the
list behind it. Pages, exports and the report all render these same tables.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from closeloop.insight import measures as m
from closeloop.insight import rules, selectors
from closeloop.insight.measures import ItemFacts


@dataclass
class Column:
    key: str
    label: str
    unit: str = "text"
    help: str = ""


@dataclass
class Cell:
    value: object
    link: str = ""
    key: str = ""
    unit: str = "text"


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)  # lists of Cell, one per column

    def finish(self):
        """Give each cell its column's key and unit, for the templates and the exports."""
        for row in self.rows:
            for cell, column in zip(row, self.columns, strict=True):
                cell.key, cell.unit = column.key, column.unit
        return self


def measure_columns(keys):
    return [Column(k, str(m.MEASURES[k].label), m.MEASURES[k].unit, str(m.MEASURES[k].help)) for k in keys]


def _q(**params):
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def item_links(department_id, period, filters, owner_id=None):
    """The action-item list behind each item figure of a department (or of one owner in it)."""
    if department_id is None:
        return {}
    base = reverse("actions:department", args=[department_id])
    common = {"due_from": period.start.isoformat(), "due_to": period.end.isoformat(), "owner": owner_id}
    return {
        "items_open": base + _q(status="open", **common),
        "items_overdue": base + _q(status="open", overdue="yes", **common),
        "items_done_on_time": base + _q(status="done", timeliness="on_time", **common),
        "items_done_late": base + _q(status="done", timeliness="late", **common),
    }


def request_links(department_id, period):
    """The collaboration requests behind a department's request figures: those sent to it in the period."""
    base = reverse("collab:list")
    common = {"tab": "all", "department": department_id, "sent_from": period.start.isoformat(),
              "sent_to": period.end.isoformat()}
    return {key: base + _q(**common) for key in m.REQUEST_MEASURES} | {
        "requests_unanswered": base + _q(overdue="1", **common)}


def loop_links(period, filters, visible, keys=None):
    """Each loop-health figure's list: the meetings behind it (insight's own list), the overdue requests."""
    query = {"period": rules.CUSTOM, "start": period.start.isoformat(), "end": period.end.isoformat(),
             "department": filters.department_id,
             "project": filters.project_id, "type": filters.meeting_type}
    keys = keys or m.LOOP_MEASURES + m.LOOP_RETRO_MEASURES
    links = {key: reverse("insight:loop", args=[key]) + _q(**query) for key in keys}
    department = filters.department_id or (next(iter(visible)) if visible is not None and len(visible) == 1
                                           else None)
    return links | {"requests_unanswered": request_links(department, period)["requests_unanswered"]}


def meeting_link(period, filters, department_id=None):
    return reverse("meetings:list") + _q(
        start_from=period.start.isoformat(), start_to=period.end.isoformat(), type=filters.meeting_type,
        project=filters.project_id, host_department=department_id)


@dataclass
class Dashboard:
    period: rules.Period
    filters: selectors.Filters
    departments: list
    tables: dict
    trend: dict  # monday -> overdue items at the end of that week
    meeting_hours_by_department: list  # (name, hours, cost or None)
    hours_by_week: dict
    delays: list
    funnel: list  # (label, value)
    on_time_by_department: list  # (name, rate or None)
    totals: dict
    meeting_totals: dict
    loop: dict
    workdays: int
    unknown_years: list
    meeting_rows: list = field(default_factory=list)
    request_rows: list = field(default_factory=list)
    retro_rows: list = field(default_factory=list)
    improvement_rows: list = field(default_factory=list)


def build(person, period, filters=None, now=None, *, organisation=None, departments=None):
    """The whole dashboard this person may see for the period and filters (404 for a department they may not).
    With `organisation` and no person: every department of it (the management report)."""
    filters = filters or selectors.Filters()
    if person is None:
        visible, departments = None, selectors.all_departments(organisation)
    else:
        organisation = person.organisation
        visible = selectors.visible_department_ids(person)
        if filters.department_id is not None:
            selectors.department_for_insight(person, filters.department_id)
        departments = selectors.departments_for(person) if departments is None else departments
    departments = [d for d in departments if filters.department_id is None or d.pk == filters.department_id]
    ctx = selectors.context_for(organisation, period, now)
    facts, trend = selectors.item_facts(ctx, group_by="department_id", filters=filters, department_ids=visible)
    rows = selectors.meeting_rows(ctx, filters=filters, department_ids=visible)
    by_host = defaultdict(list)
    for row in rows:
        by_host[row.host_department_id].append(row)
    request_rows = selectors.request_rows(ctx, filters=filters, department_ids=visible)
    by_receiver = defaultdict(list)
    for row in request_rows:
        by_receiver[row.department_id].append(row)
    retro_rows, improvement_rows = selectors.after_work(ctx, filters=filters, department_ids=visible)

    keys = m.DEPARTMENT_MEASURES + m.REQUEST_MEASURES + m.HOSTED_MEASURES
    table = Table("departments", _("Department accountability"),
                  [Column("department", _("Department"))] + measure_columns(keys))
    total = ItemFacts()
    on_time, hours_by_dept = [], []
    for dept in departments:
        f = facts.get(dept.pk, ItemFacts())
        total.add(f)
        values = (m.figures(m.DEPARTMENT_MEASURES, f) | m.figures(m.REQUEST_MEASURES, by_receiver.get(dept.pk, []))
                  | m.figures(m.HOSTED_MEASURES, by_host.get(dept.pk, [])))
        hosted = meeting_link(period, filters, dept.pk)  # every hosted figure is about these meetings
        links = (item_links(dept.pk, period, filters) | request_links(dept.pk, period)
                 | dict.fromkeys(m.HOSTED_MEASURES, hosted))
        table.rows.append([Cell(dept.name)] + [Cell(values[k], links.get(k, "")) for k in keys])
        on_time.append((dept.name, values["on_time_rate"]))
        hours_by_dept.append((dept.name, m.meeting_hours(by_host.get(dept.pk, [])),
                              m.meeting_cost(by_host.get(dept.pk, []))))
    totals = m.figures(m.DEPARTMENT_MEASURES, total)
    meeting_totals = m.figures(m.MEETING_MEASURES, rows)
    loop = (m.figures(m.LOOP_MEASURES, rows) | m.figures(m.LOOP_REQUEST_MEASURES, request_rows)
            | m.figures(["retrospectives_overdue"], retro_rows) | m.figures(["improvements_open"], improvement_rows))

    meetings_table = Table("meetings", _("Meetings"), measure_columns(m.MEETING_MEASURES))
    listed = meeting_link(period, filters)
    without = loop_links(period, filters, visible, keys=["meetings_without_decisions"])["meetings_without_decisions"]
    meetings_table.rows.append([Cell(meeting_totals[k], without if k == "meetings_without_decisions" else listed)
                                for k in m.MEETING_MEASURES])
    loop_keys = m.LOOP_MEASURES + m.LOOP_REQUEST_MEASURES + m.LOOP_RETRO_MEASURES
    loop_table = Table("loop", _("Loop health"), measure_columns(loop_keys))
    links = loop_links(period, filters, visible)
    loop_table.rows.append([Cell(loop[k], links[k]) for k in loop_keys])
    weeks_table = Table("weeks", _("By week"), [
        Column("week", _("Week of"), "date"), Column("overdue", _("Overdue items at the end of the week"), "count"),
        Column("meetings", _("Meetings"), "count"), Column("hours", _("Meeting hours"), "hours")])
    hours_by_week = defaultdict(float)
    count_by_week = defaultdict(int)
    for row in rows:
        hours_by_week[row.week] += row.hours
        count_by_week[row.week] += 1
    for monday, overdue in trend.items():
        weeks_table.rows.append([Cell(monday), Cell(overdue), Cell(count_by_week[monday]),
                                 Cell(hours_by_week[monday])])
    decisions = sum(r.decisions for r in rows)
    items = sum(r.items for r in rows)
    funnel = [(_("Decisions"), decisions), (_("Action items"), items), (_("Done on time"), total.done_on_time)]
    for t in (table, meetings_table, loop_table, weeks_table):
        t.finish()
    return Dashboard(
        period=period, filters=filters, departments=departments,
        tables={"departments": table, "meetings": meetings_table, "loop": loop_table, "weeks": weeks_table},
        trend=trend, meeting_hours_by_department=hours_by_dept, hours_by_week=dict(hours_by_week),
        delays=total.delays, funnel=funnel, on_time_by_department=on_time, totals=totals,
        meeting_totals=meeting_totals, loop=loop, workdays=ctx.workdays.working_days_in(period),
        unknown_years=ctx.calendar.unknown_years(period.start, period.end), meeting_rows=rows,
        request_rows=request_rows, retro_rows=retro_rows, improvement_rows=improvement_rows)


def person_panel(viewer, person, period, now=None):
    """A person's own figures: their items due in the period (visible to them, their head, administrators)."""
    selectors.person_for_insight(viewer, person.pk)
    ctx = selectors.context_for(person.organisation, period, now)
    facts, trend = selectors.item_facts(ctx, group_by="owner_id", owner_id=person.pk)
    f = facts.get(person.pk, ItemFacts())
    values = m.figures(m.PERSON_MEASURES, f)
    links = item_links(person.department_id, period, selectors.Filters(), owner_id=person.pk)
    if viewer.pk == person.pk:
        mine = reverse("actions:mine")
        links = {"items_open": mine + _q(status="open"), "items_overdue": mine + _q(status="open", overdue="yes")} | {
            k: v for k, v in links.items() if k not in ("items_open", "items_overdue")}
    table = Table("person", str(person), measure_columns(m.PERSON_MEASURES))
    table.rows.append([Cell(values[k], links.get(k, "")) for k in m.PERSON_MEASURES])
    return table.finish(), trend
