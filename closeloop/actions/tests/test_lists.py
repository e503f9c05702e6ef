"""Lists of action items: mine, a department's, a meeting's and a project's; filters, sorting, pages, cost
and who may open which list."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from closeloop.actions.choices import ItemStatus
from closeloop.actions.selectors.lists import (
    ALL,
    DEPARTMENT,
    MEETING,
    MINE,
    OPEN,
    PROJECT,
    ItemQuery,
    list_items,
    scope_for,
)
from closeloop.actions.services.items import action_item_create, action_item_progress, action_item_set_status
from closeloop.actions.tests.conftest import item_data, later
from closeloop.org.models import Policy, Project

pytestmark = pytest.mark.django_db


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def make(people, org, task, *, actor="admin", meeting=None, **data):
    return action_item_create(actor=people[actor], organisation=org, meeting=meeting,
                              data=item_data(people, task=task, **data))


def tasks(person, kind, pk=None, **query):
    return [i.task for i in list_items(person, scope_for(person, kind, pk), ItemQuery(**query))]


@pytest.fixture
def board(people, org, today):
    """Items of the sales department (member and head), one assigned to sales though owned by the host,
    and one of finance."""
    sales = people["departments"]["sales"]
    return {
        "a": make(people, org, "A 销售预算", owner=people["member"], due=later(today, 5)),
        "b": make(people, org, "B 销售复盘", owner=people["head"], due=later(today, 2)),
        "c": make(people, org, "C 市场支援销售", owner=people["host"], department=sales, due=later(today, 9)),
        "d": make(people, org, "D 财务对账", owner=people["outsider"], due=later(today, 1)),
        "sales": sales,
    }


# --- Whose list ----------------------------------------------------------------------------

def test_the_head_sees_every_item_of_the_department_including_those_assigned_to_it(people, board):
    assert set(tasks(people["head"], DEPARTMENT, board["sales"].pk)) == {"A 销售预算", "B 销售复盘", "C 市场支援销售"}


def test_a_member_sees_only_the_department_items_visible_to_them(people, board):
    assert tasks(people["member"], DEPARTMENT, board["sales"].pk) == ["A 销售预算"]


def test_an_administrator_sees_any_department(people, board):
    finance = people["departments"]["finance"]
    assert tasks(people["admin"], DEPARTMENT, finance.pk) == ["D 财务对账"]


@pytest.mark.parametrize("who", ["outsider", "host"])
def test_someone_outside_the_department_gets_404_from_its_page_and_export(people, board, who):
    c = client_for(people[who])
    for name in ("actions:department", "actions:department_export"):
        assert c.get(reverse(name, args=[board["sales"].pk])).status_code == 404


def test_my_department_leads_to_my_own_and_404s_without_one(people, org, board):
    res = client_for(people["member"]).get(reverse("actions:my_department"))
    assert res.status_code == 302 and res.url == reverse("actions:department", args=[board["sales"].pk])
    people["outsider"].department = None
    people["outsider"].save()
    assert client_for(people["outsider"]).get(reverse("actions:my_department")).status_code == 404


def test_a_meetings_list_holds_its_items_and_hides_from_those_who_may_not_see_it(people, meeting, org, board):
    item = make(people, org, "E 会议任务", actor="recorder", meeting=meeting, owner=people["member"])
    assert tasks(people["host"], MEETING, meeting.pk) == [item.task]
    page = client_for(people["host"]).get(reverse("actions:meeting", args=[meeting.pk]))
    assert page.status_code == 200 and item.task in page.content.decode()
    for name in ("actions:meeting", "actions:meeting_export", "actions:meeting_import"):
        assert client_for(people["outsider"]).get(reverse(name, args=[meeting.pk])).status_code == 404


def test_a_projects_list_opens_to_its_lead_and_to_those_seeing_its_items(people, org, today):
    project = Project.objects.create(organisation=org, name="Q3推广", lead=people["host"])
    item = make(people, org, "F 项目任务", project=project, owner=people["member"], due=later(today, 3))
    assert tasks(people["host"], PROJECT, project.pk) == []  # the lead opens it; this item was made by admin
    assert tasks(people["member"], PROJECT, project.pk) == [item.task]
    assert client_for(people["host"]).get(reverse("actions:project", args=[project.pk])).status_code == 200
    for name in ("actions:project", "actions:project_export", "actions:project_import"):
        assert client_for(people["outsider"]).get(reverse(name, args=[project.pk])).status_code == 404


def test_another_organisations_department_is_404_even_for_an_administrator(people, board):
    from closeloop.org.models import Department, Organisation

    other = Department.objects.create(organisation=Organisation.objects.create(name="别家"), name="销售部")
    assert client_for(people["admin"]).get(reverse("actions:department", args=[other.pk])).status_code == 404


# --- Filters and sorting -------------------------------------------------------------------

def test_open_is_the_default_and_all_or_one_status_can_be_asked(people, board, today):
    action_item_set_status(actor=people["admin"], item=board["b"], status="done", note="已交付")
    action_item_progress(actor=people["admin"], item=board["c"], percent=30)
    head, pk = people["head"], board["sales"].pk
    assert "B 销售复盘" not in tasks(head, DEPARTMENT, pk)
    assert "B 销售复盘" in tasks(head, DEPARTMENT, pk, status=ALL)
    assert tasks(head, DEPARTMENT, pk, status=ItemStatus.IN_PROGRESS) == ["C 市场支援销售"]
    assert tasks(head, DEPARTMENT, pk, status=ItemStatus.DONE) == ["B 销售复盘"]


def test_filters_by_owner_department_and_due_window(people, board, today):
    admin = people["admin"]
    everyone = dict(kind=DEPARTMENT, pk=board["sales"].pk)
    assert tasks(admin, **everyone, owner_id=people["head"].pk) == ["B 销售复盘"]
    assert tasks(admin, **everyone, department_id=board["sales"].pk) == ["B 销售复盘", "A 销售预算", "C 市场支援销售"]
    assert tasks(admin, **everyone, due_from=later(today, 3), due_to=later(today, 6)) == ["A 销售预算"]


def test_overdue_filter_keeps_open_items_past_their_date(people, org, today):
    late = make(people, org, "迟了", owner=people["member"], due=today - dt.timedelta(days=3))
    make(people, org, "还早", owner=people["member"], due=later(today, 3))
    done = make(people, org, "迟了但完成", owner=people["member"], due=today - dt.timedelta(days=3))
    action_item_set_status(actor=people["member"], item=done, status="done", note="交了")
    member = people["member"]
    assert tasks(member, MINE, overdue=True, status=ALL) == [late.task]
    assert set(tasks(member, MINE, overdue=False, status=ALL)) == {"还早", "迟了但完成"}


def test_sorting_by_due_status_owner_and_update(people, board, today):
    admin, pk = people["admin"], board["sales"].pk
    assert tasks(admin, DEPARTMENT, pk, sort="due") == ["B 销售复盘", "A 销售预算", "C 市场支援销售"]
    assert tasks(admin, DEPARTMENT, pk, sort="-due") == ["C 市场支援销售", "A 销售预算", "B 销售复盘"]
    action_item_progress(actor=admin, item=board["c"], percent=10)  # in progress, and the latest update
    assert tasks(admin, DEPARTMENT, pk, sort="status")[-1] == "C 市场支援销售"
    assert tasks(admin, DEPARTMENT, pk, sort="updated")[0] == "C 市场支援销售"
    # 张主持 (host) < 王销售 (member) < 赵经理 (head) by code point; the owner's name decides.
    assert tasks(admin, DEPARTMENT, pk, sort="owner") == ["C 市场支援销售", "A 销售预算", "B 销售复盘"]


def test_items_without_a_due_date_come_last_either_way(people, org, today):
    Policy.objects.update_or_create(organisation=org, defaults={"smart_missing_mode": "warn"})
    make(people, org, "无日期", owner=people["member"], due=None)
    make(people, org, "有日期", owner=people["member"], due=later(today, 2))
    assert tasks(people["member"], MINE, sort="due") == ["有日期", "无日期"]
    assert tasks(people["member"], MINE, sort="-due") == ["有日期", "无日期"]


def test_the_page_applies_the_filters_and_names_a_bad_one(people, board, today):
    c = client_for(people["head"])
    url = reverse("actions:department", args=[board["sales"].pk])
    page = c.get(url, {"owner": people["head"].pk, "sort": "-due"}).content.decode()
    assert "B 销售复盘" in page and "A 销售预算" not in page
    bad = c.get(url, {"due_from": later(today, 9).isoformat(), "due_to": today.isoformat()}).content.decode()
    with translation.override(people["head"].language):
        assert _("The end of the window is before its start.") in bad


def test_pages_keep_the_filters_and_sort(people, org, today):
    for n in range(33):
        make(people, org, f"任务{n:02d}", owner=people["member"], due=later(today, n % 7 + 1))
    c = client_for(people["member"])
    first = c.get(reverse("actions:mine"), {"sort": "owner", "status": OPEN}).content.decode()
    assert first.count('data-item="') == 30 and "sort=owner" in first and "page=2" in first
    second = c.get(reverse("actions:mine"), {"sort": "owner", "status": OPEN, "page": 2}).content.decode()
    assert second.count('data-item="') == 3


# --- Cost ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["mine", "department", "meeting"])
def test_each_list_page_costs_the_same_queries_for_one_item_or_many(people, meeting, org, name, today,
                                                                    django_assert_max_num_queries):
    sales = people["departments"]["sales"]
    args = {"mine": [], "department": [sales.pk], "meeting": [meeting.pk]}[name]
    url = reverse(f"actions:{name}", args=args)
    make(people, org, "第一项", actor="recorder", meeting=meeting, owner=people["member"],
         collaborators=[people["host"]])
    c = client_for(people["member"])
    c.get(url)
    with CaptureQueriesContext(connection) as one:
        assert c.get(url).status_code == 200
    for n in range(12):
        make(people, org, f"更多{n}", actor="recorder", meeting=meeting, owner=people["member"],
             collaborators=[people["host"], people["recorder"]], due=later(today, n + 1))
    with django_assert_max_num_queries(len(one)):
        page = c.get(url).content.decode()
    assert page.count('data-item="') == 13


def test_someone_outside_any_organisation_gets_404_rather_than_an_error(db):
    from closeloop.org.models import Person

    root = Person.objects.create_superuser("root", "root@example.com", "pw-root-123456")
    c = client_for(root)
    assert c.get(reverse("actions:mine")).status_code == 404
    assert c.get("/api/v1/actions").status_code == 404


def test_the_item_page_links_to_its_projects_list(people, org, today):
    project = Project.objects.create(organisation=org, name="Q3推广")
    item = make(people, org, "项目任务", project=project, owner=people["member"], due=later(today, 3))
    page = client_for(people["member"]).get(reverse("actions:detail", args=[item.pk])).content.decode()
    assert reverse("actions:project", args=[project.pk]) in page
