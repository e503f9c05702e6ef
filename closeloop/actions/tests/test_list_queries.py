"""The action-item lists that tests_scale does not cover cost a fixed number of SQL queries whatever their length
(issue 17, point 7): my items with the change requests waiting for me, a project's page, a department's API list,
each read with 10 rows and with 200; the waiting changes panel is bounded; the API's count stops at its limit.
Rows are written in bulk: the point is the reading, not the making."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.actions.choices import ChangeKind, ChangeState
from closeloop.actions.models import ActionItem, ChangeRequest
from closeloop.org.models import Project

pytestmark = pytest.mark.django_db

FEW, MANY = 10, 200


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def add_items(people, org, count, *, start=0, meeting=None, project=None, owners=("member", "head", "host"),
              collaborator="outsider", pending=False):
    """`count` open items (owners taking turns, each with a collaborator, in the owner's department), and
    with `pending` a change request of the owner's waiting on each."""
    day = dt.date(2026, 7, 1)
    items = ActionItem.objects.bulk_create([
        ActionItem(organisation=org, meeting=meeting, project=project, task=f"任务{start + n}",
                   owner=people[owners[n % len(owners)]], department=people[owners[n % len(owners)]].department,
                   due=day + dt.timedelta(days=n % 40), original_due=day, created_by=people["recorder"],
                   owner_sort=people[owners[n % len(owners)]].display_name.lower())
        for n in range(count)])
    ActionItem.collaborators.through.objects.bulk_create([
        ActionItem.collaborators.through(actionitem_id=item.pk, person_id=people[collaborator].pk) for item in items])
    if pending:
        ChangeRequest.objects.bulk_create([
            ChangeRequest(item=item, kind=ChangeKind.DATE, requested_by=item.owner, reason="需要更多时间",
                          old_due=item.due, new_due=item.due + dt.timedelta(days=7), state=ChangeState.PENDING)
            for item in items])
    return items


def queries_of(client, url):
    client.get(url)  # warm: templates, URL resolvers, the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


def assert_flat(people, org, client, url, *, rows_in, **fill):
    """The list's query count with FEW rows, then with MANY: the same (or fewer)."""
    add_items(people, org, FEW, **fill)
    few, response = queries_of(client, url)
    assert rows_in(response) >= FEW
    add_items(people, org, MANY - FEW, start=FEW, **fill)
    many, response = queries_of(client, url)
    assert rows_in(response) > FEW
    assert many <= few, f"{url}: {few} queries over {FEW} rows, {many} over {MANY}"


def page_rows(response):
    return response.content.decode().count('data-item="')


def api_rows(response):
    return len(response.json()["items"])


def test_my_items_page_with_its_waiting_changes(people, org, meeting):
    """The items the host works on with the member, and the member's change requests waiting for the host's
    answer (as host of the items' meeting)."""
    assert_flat(people, org, client_for(people["host"]), reverse("actions:mine"), rows_in=page_rows,
                meeting=meeting, owners=("member",), collaborator="host", pending=True)


def test_the_waiting_changes_panel_is_bounded(people, org, meeting):
    add_items(people, org, 30, meeting=meeting, owners=("member",), pending=True)
    page = client_for(people["host"]).get(reverse("actions:mine")).content.decode()
    panel = page[page.index('id="changes-awaiting"'):]
    panel = panel[:panel.index("</section>")]
    assert panel.count('class="row"') == 10
    assert "更多在等待" in panel  # the host reads Chinese: the panel says more are waiting


def test_a_projects_page(people, org, meeting):
    project = Project.objects.create(organisation=org, name="Q3推广", lead=people["host"])
    assert_flat(people, org, client_for(people["host"]), reverse("actions:project", args=[project.pk]),
                rows_in=page_rows, project=project, meeting=meeting)


def test_the_api_list_of_a_department(people, org):
    sales = people["departments"]["sales"]
    assert_flat(people, org, client_for(people["head"]), f"/api/v1/actions/departments/{sales.pk}?page_size=50",
                rows_in=api_rows, owners=("member", "head"))


def test_the_api_count_stops_at_its_limit(people, org, monkeypatch):
    from closeloop.lib import pagination

    add_items(people, org, 12)
    c = client_for(people["admin"])
    exact = c.get("/api/v1/actions?page_size=5").json()
    assert exact["count"] == 12 and exact["count_exact"] is True and len(exact["items"]) == 5
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 10)
    capped = c.get("/api/v1/actions?page_size=5&page=3").json()
    assert capped["count"] == 10 and capped["count_exact"] is False and len(capped["items"]) == 2
