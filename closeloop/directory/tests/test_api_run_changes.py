"""A sync run in the API carries its first 50 changes and how many it made, in the same number of queries and
about the same size for 10 changes as for 5,000; GET /directory/runs/{id}/changes pages through all of them
in the run's order, and answers 404 to anyone but the organisation's administrators, like the run."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closeloop.conftest import client_for, make_person
from closeloop.directory import selectors
from closeloop.directory.models import SyncRun
from closeloop.org.choices import Role
from closeloop.org.models import Organisation

pytestmark = pytest.mark.django_db
URL = "/api/v1/directory/runs"


def run_with(org, count):
    changes = [{"kind": "person_created", "person": f"user{n:04}", "name": f"员工{n}", "department": "销售部"}
               for n in range(count)]
    return SyncRun.objects.create(organisation=org, started_at=timezone.now(), finished_at=timezone.now(), ok=True,
                                  people_seen=count, changes=changes)


def test_a_run_carries_its_first_50_changes_and_their_count(org, people):
    run = run_with(org, 120)
    body = client_for(people["admin"]).get(f"{URL}/{run.pk}").json()
    assert (body["changes_count"], body["changes_more"]) == (120, True)
    assert [c["data"]["person"] for c in body["changes"]] == [f"user{n:04}" for n in range(50)]
    assert body["changes"][0]["text"] == "新人员 user0000(员工0),所属 销售部"
    assert client_for(people["admin"]).get(URL).json()[0] == body


def test_a_run_with_few_changes_carries_them_all(org, people):
    run = run_with(org, 3)
    body = client_for(people["admin"]).get(f"{URL}/{run.pk}").json()
    assert (len(body["changes"]), body["changes_count"], body["changes_more"]) == (3, 3, False)
    empty = run_with(org, 0)
    assert client_for(people["admin"]).get(f"{URL}/{empty.pk}/changes").json() == {
        "items": [], "count": 0, "count_exact": True}


def test_the_changes_endpoint_pages_through_every_change_in_order(org, people):
    run = run_with(org, 120)
    client = client_for(people["admin"])
    rows, page = [], 1
    while items := client.get(f"{URL}/{run.pk}/changes?page={page}").json()["items"]:
        assert len(items) <= 50
        rows += items
        page += 1
    assert [c["data"]["person"] for c in rows] == [f"user{n:04}" for n in range(120)]
    assert rows[119]["text"] == "新人员 user0119(员工119),所属 销售部"
    assert client.get(f"{URL}/{run.pk}/changes?page=2&page_size=100").json()["items"][0]["data"]["person"] == "user0100"
    assert client.get(f"{URL}/{run.pk}/changes").json()["count"] == 120


@pytest.mark.parametrize("path", ["", "/{pk}", "/{pk}/changes"])
def test_the_runs_cost_the_same_queries_and_size_for_10_or_5000_changes(org, people, path):
    client = client_for(people["admin"])
    small, large = run_with(org, 10), run_with(org, 5000)
    client.get(URL + path.format(pk=small.pk))
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL + path.format(pk=small.pk)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        body = client.get(URL + path.format(pk=large.pk)).content
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(body) < 100_000  # 50 changes of each run, not 5,000 (about a megabyte)


def test_the_api_reads_the_first_changes_and_their_count_not_the_whole_array(org):
    run = selectors.run_for(org, run_with(org, 120).pk)
    assert "changes" in run.get_deferred_fields()
    assert (len(run.first_changes), run.changes_count) == (50, 120)


def test_only_the_organisations_administrators_see_a_run_and_its_changes(org, people):
    run = run_with(org, 3)
    other = make_person(Organisation.objects.create(name="别家公司"), "other_admin", role=Role.ADMIN)
    for person in (people["head"], people["member"], other):
        client = client_for(person)
        for path in (f"{URL}/{run.pk}", f"{URL}/{run.pk}/changes"):
            refused = client.get(path)
            assert refused.status_code == 404 and refused.json()["detail"], (person, path)
    assert client_for(people["admin"]).get(f"{URL}/{run.pk}/changes").status_code == 200
    assert client_for(people["admin"]).get(f"{URL}/{run.pk + 1}/changes").status_code == 404
