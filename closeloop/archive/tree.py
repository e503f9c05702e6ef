"""The archive's 年份-部门-项目 tree counted in SQL: a few GROUP BYs whatever the length of the history, rather than
a row per archived meeting and per participating department read into Python.

The counts are those of `build_tree` (rules.py), from the same rows: a meeting counts once in its year, once under
each of its participating departments (invited people other than cc-only, their substitutes, whoever signed in;
"none" when it has none), and once under its project within each of those. Every count starts from
`archived_meetings(person)`, so nothing the viewer may not see is counted.
"""

import datetime as dt

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear

from closeloop.archive import rules, scope
from closeloop.archive.rules import NONE, Node
from closeloop.archive.scope import archived_meetings, viewer_tz
from closeloop.record.models import Attendance

MAX_SPAN = 200  # years told apart by comparisons of the start in one query
NEWEST = "newest"  # archive_tree(year=NEWEST): the newest year of the viewer's archive has its branches


def _meetings(person, year):
    """The viewer's archived meetings, or those of one year (a range of the meetings' archive index)."""
    if not year:
        return archived_meetings(person).order_by()
    return _in_year(person, archived_meetings(person).order_by(), year)


def _in_year(person, meetings, year):
    return meetings.filter(start__gte=_new_year(person, year), start__lt=_new_year(person, year + 1))


def _new_year(person, year):
    return dt.datetime(year, 1, 1, tzinfo=viewer_tz(person))


def _years(person, meetings):
    """{year: meetings} in the viewer's time zone: the first and the last start (each the first row of an index
    read), then a count of each year's range of the index. (A GROUP BY on the year would compute it on every
    row: 30 ms over 10,000 meetings on SQLite, against about 1 ms for the ranges.)"""
    tz = viewer_tz(person)
    starts = meetings.values_list("start", flat=True)
    first = starts.order_by("start").first()
    if first is None:
        return {}
    last = starts.order_by("-start").first()
    years = list(range(first.astimezone(tz).year, last.astimezone(tz).year + 1))
    if len(years) > MAX_SPAN:  # a date typed centuries off: the local year of each row (slower, still right)
        return dict(meetings.annotate(y=ExtractYear("start", tzinfo=tz)).values("y").annotate(n=Count("pk"))
                    .values_list("y", "n"))
    # Each year is a range of the archive's index, read in a join with the years' bounds: one statement, and the
    # viewer's visibility (an IN list for a member) is computed once, not once a year.
    adapt = connection.ops.adapt_datetimefield_value
    bounds = [p for y in years for p in (y, adapt(_new_year(person, y)), adapt(_new_year(person, y + 1)))]
    msql, mparams = meetings.values("start").query.sql_with_params()
    rows = ", ".join(["(%s, %s, %s)"] * len(years))
    return dict(_rows(f"WITH bounds (y, lo, hi) AS (VALUES {rows}) SELECT bounds.y, COUNT(*) FROM bounds "
                      f"JOIN ({msql}) m ON m.start >= bounds.lo AND m.start < bounds.hi GROUP BY bounds.y",
                      (*bounds, *mparams)))


def _year_of(person, years, field="start"):
    """A meeting's year as a CASE on its start (`field`), for the years asked."""
    return Case(*[When(**{f"{field}__gte": _new_year(person, y), f"{field}__lt": _new_year(person, y + 1)},
                       then=Value(y)) for y in years], default=Value(None), output_field=IntegerField())


def _pairs(year_of):
    """(meeting id, department id, name, year, project id, name) of every participating department of the meetings
    in the query's `archived` table (a WITH of _branches, so the viewer's meetings are found once), each once.
    `year_of(field)`: the year of the meeting whose start is `field`."""
    ids = RawSQL("SELECT mid FROM archived", ())
    invited = scope.invited(meeting_id__in=ids).order_by()
    attended = Attendance.objects.filter(record__meeting_id__in=ids).order_by()
    parts = [
        rows.filter(**{f"{who}__department__isnull": False}).annotate(
            m=F(f"{meeting}_id"), d=F(f"{who}__department_id"), dn=F(f"{who}__department__name"),
            y=year_of(f"{meeting}__start"), proj=F(f"{meeting}__project_id"), pn=F(f"{meeting}__project__name"),
        ).values("m", "d", "dn", "y", "proj", "pn")
        for rows, meeting in ((invited, "meeting"), (attended, "record__meeting"))
        for who in ("person", "substitute")
    ]
    return parts[0].union(*parts[1:])  # UNION drops the repeats


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _branches(meetings, year_of):
    """[(year, department id or None, name, project id or None, name, count)] of `meetings`: each department's
    projects, then (department None) the projects of the meetings without any department. The pairs carry their
    meeting's year and project: no join of two derived tables, which SQLite would run as a loop in a loop."""
    m = meetings.annotate(mid=F("pk"), y=year_of("start"), proj=F("project_id"), pn=F("project__name")).values(
        "mid", "y", "proj", "pn")
    msql, mparams = m.query.sql_with_params()
    psql, pparams = _pairs(year_of).query.sql_with_params()
    return _rows(
        f"WITH archived AS ({msql}), pairs AS ({psql}) "
        "SELECT p.y, p.d, p.dn, p.proj, p.pn, COUNT(*) FROM pairs p GROUP BY p.y, p.d, p.dn, p.proj, p.pn "
        "UNION ALL SELECT m.y, NULL, NULL, m.proj, m.pn, COUNT(*) FROM archived m "
        "WHERE m.mid NOT IN (SELECT p.m FROM pairs p) GROUP BY m.y, m.proj, m.pn",
        (*mparams, *pparams))


def _key(value):
    return NONE if value is None else str(value)


def archive_tree(person, *, year=None, branches=True):
    """Years (newest first, with counts) → departments → projects, as rules.Node. With `year` (or NEWEST), only
    that year has its branches (the page shows one year open); else every year has them (the API's whole tree), or none
    (`branches=False`: the page with no year chosen)."""
    meetings = _meetings(person, None)
    years = {y: Node(str(y), str(y), n) for y, n in _years(person, meetings).items()}
    if year == NEWEST:
        year = max(years, default=None)
        if year is None:
            return []
    if (year is not None and year not in years) or (year is None and not branches):
        return _done(years)
    branch_meetings = _meetings(person, year) if year else meetings
    asked = [year] if year else list(years)

    def year_of(field):
        return _year_of(person, asked, field)

    for y, dept_id, dept_name, project_id, project_name, n in _branches(branch_meetings, year_of):
        dept = rules.child_node(years[y], _key(dept_id), dept_name or "")
        dept.count += n  # a meeting has one project: its department's count is the sum over projects
        dept.children.append(Node(_key(project_id), project_name or "", n))
    return _done(years)


def _done(years):
    for year_node in years.values():
        year_node.children = rules.sorted_nodes(year_node.children)
        for dept in year_node.children:
            dept.children = rules.sorted_nodes(dept.children)
    return sorted(years.values(), key=lambda n: n.key, reverse=True)
