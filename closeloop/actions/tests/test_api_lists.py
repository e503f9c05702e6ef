"""The list endpoints: by department, meeting and project, the filters and sort, the cost, and 404s."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from closeloop.actions.services.items import action_item_create, action_item_set_status
from closeloop.actions.tests.conftest import item_data, later
from closeloop.org.models import Project
from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/actions"


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def make(people, org, task, *, actor="admin", meeting=None, **data):
    return action_item_create(actor=people[actor], organisation=org, meeting=meeting,
                              data=item_data(people, task=task, **data))


def tasks(res):
    assert res.status_code == 200, res.content
    return [row["task"] for row in res.json()["items"]]


def test_a_departments_items_for_its_head_sorted_as_asked(people, org, today):
    sales = people["departments"]["sales"]
    make(people, org, "A", owner=people["member"], due=later(today, 5))
    make(people, org, "B", owner=people["head"], due=later(today, 2))
    make(people, org, "财务", owner=people["outsider"], due=later(today, 1))
    c = client_for(people["head"])
    assert tasks(c.get(f"{URL}/departments/{sales.pk}")) == ["B", "A"]
    assert tasks(c.get(f"{URL}/departments/{sales.pk}?sort=-due")) == ["A", "B"]
    assert tasks(c.get(f"{URL}/departments/{sales.pk}?owner={people['member'].pk}")) == ["A"]


def test_open_and_overdue_filters(people, org, today):
    done = make(people, org, "完成了", owner=people["member"], due=later(today, 3))
    action_item_set_status(actor=people["member"], item=done, status="done", note="交付")
    make(people, org, "还开着", owner=people["member"], due=later(today, 3))
    c = client_for(people["member"])
    assert set(tasks(c.get(f"{URL}?mine=true"))) == {"完成了", "还开着"}  # no status: every status
    assert tasks(c.get(f"{URL}?mine=true&open=true")) == ["还开着"]
    assert tasks(c.get(f"{URL}?mine=true&overdue=true")) == []


def test_a_bad_sort_is_refused_naming_it(people):
    res = client_for(people["member"]).get(f"{URL}?sort=priority")
    assert res.status_code == 422 and "sort" in res.json()["errors"]


def test_a_meetings_and_a_projects_items(people, meeting, org, today):
    project = Project.objects.create(organisation=org, name="Q3推广", lead=people["host"])
    in_meeting = make(people, org, "会上定的", actor="recorder", meeting=meeting)
    in_project = make(people, org, "项目的", project=project, owner=people["member"])
    c = client_for(people["host"])
    assert tasks(c.get(f"{URL}/meetings/{meeting.pk}")) == [in_meeting.task]
    assert tasks(client_for(people["member"]).get(f"{URL}/projects/{project.pk}")) == [in_project.task]


@pytest.mark.parametrize("path", ["/departments/{sales}", "/meetings/{meeting}", "/projects/{project}",
                                  "/meetings/{meeting}/review"])
def test_lists_someone_may_not_open_answer_404(people, meeting, org, path):
    project = Project.objects.create(organisation=org, name="Q3推广", lead=people["host"])
    url = URL + path.format(sales=people["departments"]["sales"].pk, meeting=meeting.pk, project=project.pk)
    assert client_for(people["outsider"]).get(url).status_code == 404
    assert client_for(people["outsider"]).get(url.replace(str(meeting.pk), "999999")).status_code == 404


def test_a_token_reaches_the_lists(people, org, today):
    make(people, org, "A", owner=people["member"], due=later(today, 5))
    _token, secret = token_create(actor=people["head"], person=people["head"], name="ci")
    res = Client().get(f"{URL}/departments/{people['departments']['sales'].pk}",
                       HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert tasks(res) == ["A"]


def test_a_scoped_list_costs_the_same_queries_for_one_item_or_twenty(people, meeting, org, today,
                                                                      django_assert_max_num_queries):
    make(people, org, "一", actor="recorder", meeting=meeting, collaborators=[people["host"]])
    c = client_for(people["host"])
    c.get(f"{URL}/meetings/{meeting.pk}")
    with CaptureQueriesContext(connection) as one:
        assert len(tasks(c.get(f"{URL}/meetings/{meeting.pk}"))) == 1
    for n in range(19):
        make(people, org, f"多{n}", actor="recorder", meeting=meeting, due=later(today, n + 1),
             collaborators=[people["host"], people["head"]])
    with django_assert_max_num_queries(len(one)):
        assert len(tasks(c.get(f"{URL}/meetings/{meeting.pk}"))) == 20


def test_the_export_follows_the_filters_and_the_callers_language(people, org, today):
    make(people, org, "导出一", owner=people["member"], due=later(today, 5))
    make(people, org, "导出二", owner=people["member"], due=later(today, 2))
    make(people, org, "别人的", owner=people["head"], due=later(today, 2))
    res = client_for(people["member"]).get(f"{URL}/export?mine=true&sort=-due")  # member speaks English
    assert res.status_code == 200 and res["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(res.content)).active
    assert sheet["B1"].value == "Task" and [sheet["B2"].value, sheet["B3"].value] == ["导出一", "导出二"]
    assert sheet.max_row == 3
    zh = load_workbook(io.BytesIO(client_for(people["member"]).get(f"{URL}/export?mine=true&lang=zh-hans")
                                  .content)).active
    assert zh["B1"].value == "行动任务"


def test_a_members_pages_are_counted_with_the_page_and_in_the_same_order(people, org, meeting, today):
    """The count a member's page brings (from the same read as its ids) is the count of what they see, on the
    last page and past it too; the pages follow each other in the list's order without overlap."""
    for n in range(5):
        make(people, org, f"可见{n}", owner=people["member"], due=later(today, 5 - n))
    make(people, org, "看不到", owner=people["outsider"], due=later(today, 1))
    c = client_for(people["member"])
    pages = [c.get(f"{URL}?page_size=2&page={n}").json() for n in (1, 2, 3, 4)]
    assert [p["count"] for p in pages] == [5, 5, 5, 5] and all(p["count_exact"] for p in pages)
    assert [row["task"] for p in pages for row in p["items"]] == [f"可见{n}" for n in (4, 3, 2, 1, 0)]
    assert pages[3]["items"] == []
