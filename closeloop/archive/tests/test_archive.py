"""The archive by year / department / project (年份-部门-项目): per-viewer trees and counts, the meetings of a
branch with their latest approved minutes, and a query count that does not grow with the page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from closeloop.archive import selectors
from closeloop.archive.rules import NONE
from closeloop.archive.selectors import ArchiveFilter
from closeloop.archive.tests.conftest import approve, hold, new_meeting
from closeloop.conftest import at
from closeloop.meetings.services.planning import meeting_create, topic_add
from closeloop.minutes import services as minutes_services
from closeloop.minutes.models import Minutes

pytestmark = pytest.mark.django_db


def shape(tree):
    return [(y.name, y.count, [(d.name or NONE, d.count, [(p.name or NONE, p.count) for p in d.children])
                               for d in y.children]) for y in tree]


def test_each_viewer_sees_a_tree_of_only_the_meetings_they_may_see(archive, people):
    q3 = [("Q3推广", 2)]
    assert shape(selectors.archive_tree(people["host"])) == [
        ("2026", 2, [("市场部", 2, q3), ("销售部", 2, q3)]),
        ("2025", 1, [("市场部", 1, [(NONE, 1)]), ("财务部", 1, [(NONE, 1)])]),
    ]
    assert shape(selectors.archive_tree(people["member"])) == [("2026", 2, [("市场部", 2, q3), ("销售部", 2, q3)])]
    # The head sees the member's meeting, never the confidential one: its counts say 1, not 2.
    assert shape(selectors.archive_tree(people["head"])) == [
        ("2026", 1, [("市场部", 1, [("Q3推广", 1)]), ("销售部", 1, [("Q3推广", 1)])])]
    assert shape(selectors.archive_tree(people["outsider"])) == [
        ("2025", 1, [("市场部", 1, [(NONE, 1)]), ("财务部", 1, [(NONE, 1)])])]
    assert shape(selectors.archive_tree(people["admin"])) == shape(selectors.archive_tree(people["host"]))


def test_meetings_whose_minutes_are_not_approved_stay_out_of_the_archive(archive, people):
    listed = list(selectors.archive_meetings(people["host"]))
    assert archive["pending"] not in listed
    assert listed == [archive["secret"], archive["meeting"], archive["budget"]]


def test_a_substitute_and_whoever_signed_in_bring_their_departments_but_cc_alone_does_not(archive, people):
    budget = archive["budget"]
    attendance = budget.record.attendance.get(person=people["outsider"])
    attendance.presence, attendance.substitute = "substitute", people["head"]  # 销售部 attends instead
    attendance.save()
    names = [name for _pk, name in selectors.departments_of(type(budget).objects.filter(pk=budget.pk))[budget.pk]]
    assert names == ["市场部", "财务部", "销售部"]
    cc_only = new_meeting(people, "抄送测试会", at(2024, 3, 1, 10), guest=people["member"])
    cc_only.participants.filter(person=people["member"]).update(roles="cc")
    assert [n for _p, n in selectors.departments_of(type(budget).objects.filter(pk=cc_only.pk))[cc_only.pk]] \
        == ["市场部"]


def test_a_branch_lists_its_meetings_by_year_department_and_project(archive, people, project):
    host, sales = people["host"], people["departments"]["sales"]
    assert list(selectors.archive_meetings(host, ArchiveFilter(year=2025))) == [archive["budget"]]
    assert list(selectors.archive_meetings(host, ArchiveFilter(year=2026, department=str(sales.pk)))) == [
        archive["secret"], archive["meeting"]]
    finance = people["departments"]["finance"]
    assert list(selectors.archive_meetings(host, ArchiveFilter(department=str(finance.pk)))) == [archive["budget"]]
    assert list(selectors.archive_meetings(host, ArchiveFilter(project=NONE))) == [archive["budget"]]
    assert list(selectors.archive_meetings(host, ArchiveFilter(project=str(project.pk)))) == [
        archive["secret"], archive["meeting"]]
    assert list(selectors.archive_meetings(people["head"], ArchiveFilter(department=str(sales.pk)))) == [
        archive["meeting"]]


def test_a_meeting_of_people_without_a_department_sits_under_no_department(people):
    admin = people["admin"]  # PMO, in no department
    alone = meeting_create(actor=admin, data={"type": "decision", "title": "管理员碰头会",
                                              "start": at(2026, 3, 2, 10), "end": at(2026, 3, 2, 11)})
    topic_add(actor=admin, meeting=alone, data={"order": 1, "title": "碰头", "minutes": 20, "kind": "decide"})
    hold(alone, {**people, "host": admin, "recorder": admin}, guest=admin, decision="确认", items=[])
    approve(alone, {**people, "host": admin, "recorder": admin})
    [year] = selectors.archive_tree(admin)
    assert [(d.key, d.count) for d in year.children] == [(NONE, 1)]
    assert list(selectors.archive_meetings(admin, ArchiveFilter(department=NONE))) == [alone]


def test_the_list_shows_the_latest_approved_version_and_a_correction_in_progress(archive, people):
    approved = Minutes.objects.get(meeting=archive["meeting"])
    minutes_services.minutes_correct(actor=people["recorder"], minutes=approved, reason="更正负责人")
    [meeting] = selectors.with_archive_details(
        selectors.archive_meetings(people["member"]).filter(pk=archive["meeting"].pk))
    assert meeting.approved == approved and meeting.newer_version is True
    assert meeting.item_count == 2
    assert [name for _pk, name in meeting.departments] == ["市场部", "销售部"]


def test_the_page_shows_the_tree_with_counts_and_links_to_minutes_and_downloads(archive, people, client_for):
    response = client_for(people["head"]).get("/archive/", {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    minutes = Minutes.objects.get(meeting=archive["meeting"])
    assert f'href="/minutes/{minutes.pk}/"' in html
    assert f'href="/minutes/{minutes.pk}/minutes.docx"' in html and f'href="/minutes/{minutes.pk}/minutes.md"' in html
    assert f'href="/archive/meetings/{archive["meeting"].pk}/action-plan.xlsx"' in html
    sales = people["departments"]["sales"]
    assert re.search(rf'department={sales.pk}" class="">销售部</a> <span class="count">1</span>', html)
    assert "人员调整讨论会" not in html and "年度预算复盘会" not in html
    assert 'style="' not in html


def test_the_outsider_sees_an_archive_without_the_others_meetings(archive, people, client_for):
    html = client_for(people["outsider"]).get("/archive/", {"year": 2026}).content.decode()
    assert "项目Q3推广跨部门协作会" not in html and "人员调整讨论会" not in html
    with translation.override("zh-hans"):  # the outsider reads Chinese
        none = ngettext("%(counter)s meeting", "%(counter)s meetings", 0) % {"counter": 0}
    assert none in html


def test_a_bad_branch_is_refused_naming_the_field(people, client_for):
    response = client_for(people["host"]).get("/archive/", {"year": "twenty", "department": "sales"})
    html = response.content.decode()
    assert response.status_code == 400
    with translation.override("zh-hans"):  # the host reads Chinese; the summary names each field by its label
        year, department = _("Year"), _("Department")
    assert f"<li>{year}: " in html and f"<li>{department}: " in html


def _queries(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/archive/", params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_archive_page_runs_the_same_number_of_queries_for_one_meeting_or_many(archive, people, client_for,
                                                                                  project):
    client = client_for(people["host"])
    client.get("/archive/")  # warm the session and the caches of the first request
    few = _queries(client)
    branch = {"year": 2026, "department": people["departments"]["market"].pk}
    few_in_branch = _queries(client, branch)  # one more: the open year's departments and projects
    for n in range(4):
        extra = new_meeting(people, f"周例会{n}", at(2026, 8, 3 + n, 10), guest=people["outsider"],
                            project=project if n % 2 else None)
        hold(extra, people, guest=people["outsider"], decision=f"决议{n}", items=[("任务", "交付", None)])
        approve(extra, people)
    many = _queries(client)
    assert many == few
    assert _queries(client, branch) == few_in_branch == few + 1
