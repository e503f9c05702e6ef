"""The archive's tree is counted in SQL: the counts of rules.build_tree (the reference, from a row per meeting),
a fixed number of queries and a page that does not grow with the history, and only what the viewer may see."""

import datetime as dt
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.archive import rules, selectors
from closeloop.archive.tests.test_archive import shape
from closeloop.conftest import SHANGHAI
from closeloop.meetings.models import Meeting, Participant
from closeloop.minutes.models import Minutes
from closeloop.org.models import Project
from closeloop.record.models import Attendance, MeetingRecord

pytestmark = pytest.mark.django_db


def reference(person):
    """The tree as it was built before it was counted in SQL: a row per archived meeting, in Python."""
    meetings = selectors.archived_meetings(person)
    tz = selectors.viewer_tz(person)
    rows = [(pk, start.astimezone(tz).year, project_id, name)
            for pk, start, project_id, name in meetings.values_list("pk", "start", "project_id", "project__name")]
    return rules.build_tree(rows, selectors.departments_of(meetings))


def history(people, n, *, first_year=2010):
    """`n` archived meetings over `n // 10 + 1` years: participants from several departments (some cc only, some
    substituted), every 5th with a record whose sign-in brings another department, every 4th confidential."""
    org = people["host"].organisation
    projects = [Project.objects.create(organisation=org, name=f"项目{i}") for i in range(3)]
    guests = [people["member"], people["outsider"], people["head"], people["admin"]]
    years = n // 10 + 1
    meetings = Meeting.objects.bulk_create([Meeting(
        organisation=org, type="decision", title=f"历史会议{i}", state="noticed", confidential=i % 4 == 0,
        start=dt.datetime(first_year + i % years, 1 + i % 12, 3, 10, tzinfo=SHANGHAI),
        end=dt.datetime(first_year + i % years, 1 + i % 12, 3, 11, tzinfo=SHANGHAI),
        project=None if i % 3 == 0 else projects[i % 3], ical_uid=secrets.token_hex(16)) for i in range(n)])
    rows = []
    for i, m in enumerate(meetings):
        guest = guests[i % len(guests)]
        rows += [Participant(meeting=m, person=people["host"], roles="host", token=secrets.token_hex(16)),
                 Participant(meeting=m, person=guest, roles="cc" if i % 6 == 1 else "executor",
                             response="substitute" if i % 7 == 2 else "pending",
                             substitute=people["outsider"] if i % 7 == 2 else None, token=secrets.token_hex(16))]
    Participant.objects.bulk_create(rows)
    for m in meetings[::5]:
        record = MeetingRecord.objects.create(meeting=m)
        Attendance.objects.create(record=record, person=people["head"])
    Minutes.objects.bulk_create([Minutes(meeting=m, number=1, state="approved", approved_at=m.end)
                                 for m in meetings])
    return meetings


@pytest.mark.parametrize("who", ["admin", "host", "member", "head", "outsider", "recorder"])
def test_the_counted_tree_is_the_tree_of_every_meeting(archive, people, who):
    history(people, 60)
    person = people[who]
    assert shape(selectors.archive_tree(person)) == shape(reference(person))
    # With a year, every year keeps its count and only that year has branches.
    full = selectors.archive_tree(person)
    for year in full:
        one = selectors.archive_tree(person, year=int(year.key))
        assert [(y.key, y.count) for y in one] == [(y.key, y.count) for y in full]
        assert shape([y for y in one if y.key == year.key]) == shape([year])
        assert all(not y.children for y in one if y.key != year.key)


def _reads(client, person):
    """{read: (bytes, queries)} of the archive's page (whole, a year, a department) and its API tree."""
    latest = selectors.archive_tree(person)[0]
    year = int(latest.key)
    department = selectors.archive_tree(person, year=year)[0].children[0].key
    reads = {"page": "/archive/", "year": f"/archive/?year={year}",
             "department": f"/archive/?year={year}&department={department}"}
    out = {}
    for name, url in reads.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        out[name] = (len(response.content), len(queries))
    return out


@pytest.mark.parametrize("who", ["admin", "head"])
def test_the_archive_page_keeps_its_queries_and_its_size_over_a_long_history(archive, people, client_for, who):
    client = client_for(people[who])
    history(people, 80, first_year=2017)  # more than a page of meetings in each read, over 9 years
    short = _reads(client, people[who])
    history(people, 200, first_year=1990)  # 21 more years
    long = _reads(client, people[who])
    for name in short:
        assert long[name][1] == short[name][1], (name, short[name], long[name])
        # The years list grows by a line a year; the branches and the page of meetings do not.
        assert long[name][0] <= short[name][0] + 400 * 21, (name, short[name], long[name])


def test_the_api_tree_of_a_year_counts_only_what_the_caller_may_see(archive, people, api_for):
    history(people, 40)
    for who in ("outsider", "head", "member"):
        person = people[who]
        answer = api_for(person)("/tree?year=2026").json()
        assert answer == [{"year": int(y.key), "count": y.count, "departments": [
            {"key": d.key, "name": d.name, "count": d.count,
             "projects": [{"key": p.key, "name": p.name, "count": p.count} for p in d.children]}
            for d in y.children] if y.key == "2026" else []} for y in reference(person)]
    # The outsider took part in nothing in 2026: the year is not even named.
    assert 2026 not in [y["year"] for y in api_for(people["outsider"])("/tree?year=2026").json()]


def test_a_year_the_viewer_has_nothing_in_shows_no_branch_and_no_count(archive, people, client_for):
    html = client_for(people["outsider"]).get("/archive/", {"year": 2026}).content.decode()
    assert 'data-year="2026"' not in html and 'data-department="' not in html
    html = client_for(people["head"]).get("/archive/", {"year": 2026}).content.decode()
    # The head sees the member's meeting, not the confidential one: 销售部 counts 1.
    sales = people["departments"]["sales"].pk
    assert f'department={sales}" class="">销售部</a> <span class="count">1</span>' in html


@pytest.mark.parametrize("who", ["admin", "head", "member"])
def test_every_branch_counts_the_meetings_its_list_shows(archive, people, who):
    """The page's pager takes the branch's count from the tree: it must be the number the list holds."""
    history(people, 40)
    person = people[who]
    for year in selectors.archive_tree(person):
        branches = [(year.key, None, None, year)] + [
            (year.key, dept.key, project.key if project else None, project or dept)
            for dept in year.children for project in [None, *dept.children]]
        for y, dept, project, node in branches:
            listed = selectors.archive_meetings(person, selectors.ArchiveFilter(int(y), dept, project))
            assert listed.count() == node.count, (who, y, dept, project)


def test_the_pager_counts_for_itself_when_the_tree_does_not_name_the_branch():
    tree = [rules.Node("2026", "2026", 5, [rules.Node("7", "市场部", 3, [rules.Node("none", "", 3)])]),
            rules.Node("2025", "2025", 2)]

    def count(year=None, department=None, project=None):
        filters = selectors.ArchiveFilter(year, department, project)
        return rules.branch_count(tree, rules.trail(tree, year, department, project), filters)

    assert count() == 7 and count(2026) == 5 and count(2026, "7") == 3 and count(2026, "7", "none") == 3
    assert count(2024) is None and count(2026, "8") is None  # not in the tree: the queryset counts (0)
    assert count(2026, None, "none") is None and count(None, "7") is None  # a level skipped
