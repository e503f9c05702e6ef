"""The archive through the API: the tree, a branch's meetings, search — all per viewer — and errors naming the field."""

import pytest

from closeloop.minutes.models import Minutes

pytestmark = pytest.mark.django_db


def test_the_tree_counts_only_what_the_caller_may_see(archive, people, api_for):
    host = api_for(people["host"])("/tree").json()
    assert [(y["year"], y["count"]) for y in host] == [(2026, 2), (2025, 1)]
    # Without `year` only the newest year lists its departments: a long history stays small.
    assert host[0]["departments"] and host[1]["departments"] == []
    older = api_for(people["host"])("/tree?year=2025").json()
    assert older[0]["departments"] == [] and older[1]["departments"]
    head = api_for(people["head"])("/tree").json()
    assert [(y["year"], y["count"]) for y in head] == [(2026, 1)]
    [sales] = [d for d in head[0]["departments"] if d["name"] == "销售部"]
    assert sales["count"] == 1 and sales["projects"] == [{"key": sales["projects"][0]["key"], "name": "Q3推广",
                                                          "count": 1}]
    outsider = api_for(people["outsider"])("/tree").json()
    assert [(y["year"], y["count"]) for y in outsider] == [(2025, 1)]
    assert outsider[0]["departments"][0]["projects"] == [{"key": "none", "name": "", "count": 1}]


def test_a_branch_lists_meetings_with_their_approved_minutes_and_downloads(archive, people, api_for):
    sales = people["departments"]["sales"]
    body = api_for(people["member"])(f"/meetings?year=2026&department={sales.pk}").json()
    assert body["count"] == 2 and [m["title"] for m in body["items"]] == ["人员调整讨论会", "项目Q3推广跨部门协作会"]
    meeting = body["items"][1]
    minutes = Minutes.objects.get(meeting=archive["meeting"])
    assert meeting["minutes"]["id"] == minutes.pk and meeting["minutes"]["state"] == "approved"
    assert meeting["minutes"]["docx_url"] == f"/api/v1/minutes/{minutes.pk}/export.docx"
    assert meeting["action_plan_url"] == f"/api/v1/archive/meetings/{archive['meeting'].pk}/action-plan.xlsx"
    assert meeting["start"] == "2026-06-15T14:00:00+08:00" and meeting["project"]["name"] == "Q3推广"
    assert [d["name"] for d in meeting["departments"]] == ["市场部", "销售部"] and meeting["item_count"] == 2


def test_a_branch_is_paginated(archive, people, api_for):
    call = api_for(people["host"])
    first, second = call("/meetings?page_size=2").json(), call("/meetings?page_size=2&page=2").json()
    assert (first["count"], first["pages"], len(first["items"]), len(second["items"])) == (3, 2, 2, 1)


def test_search_groups_hits_by_kind_with_the_matches_marked(archive, people, api_for):
    body = api_for(people["member"])("/search?q=成本报告").json()
    groups = {g["kind"]: g for g in body["groups"]}
    assert list(groups) == ["meetings", "decisions", "items", "minutes"]
    assert body["total"] == sum(g["count"] for g in body["groups"])
    [item] = groups["items"]["results"]
    assert item["title"] == "提交成本报告" and item["due"] == "2026-06-19" and item["state"] == "not_started"
    excerpt = item["excerpts"][0]
    start, end = excerpt["marks"][0]
    assert excerpt["text"][start:end] == "成本报告"
    assert item["meeting"]["title"] == "项目Q3推广跨部门协作会"
    titles = {d["meeting"]["title"] for d in groups["decisions"]["results"]}
    assert titles == {"项目Q3推广跨部门协作会", "人员调整讨论会"}


def test_search_for_one_kind_pages_through_it(archive, people, api_for):
    body = api_for(people["member"])("/search?q=成本报告&kind=decisions&page_size=1&page=2").json()
    [group] = body["groups"]
    assert (group["kind"], group["count"], group["page"], group["pages"], len(group["results"])) == (
        "decisions", 2, 2, 2, 1)


def test_search_hides_what_the_caller_may_not_see(archive, people, api_for):
    outsider = api_for(people["outsider"])("/search?q=成本报告").json()
    assert outsider["total"] == 0
    head = api_for(people["head"])("/search?q=成本报告").json()
    titles = {r["meeting"]["title"] for g in head["groups"] for r in g["results"] if r["meeting"]}
    assert titles == {"项目Q3推广跨部门协作会"}


@pytest.mark.parametrize("path, field", [
    ("/search", "q"), ("/search?q=" + "x" * 101, "q"), ("/search?q=a&kind=all", "kind"),
    ("/search?q=a&page=0", "page"), ("/search?q=a&page_size=500", "page_size"),
    ("/meetings?year=20x6", "year"), ("/meetings?department=sales", "department"),
    ("/meetings?project=-1", "project"),
])
def test_bad_input_is_refused_naming_the_field(people, api_for, path, field):
    response = api_for(people["member"])(path)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_the_api_needs_a_signed_in_caller(client):
    for path in ("/tree", "/meetings", "/search?q=a"):
        assert client.get(f"/api/v1/archive{path}").status_code == 401


def test_the_branch_and_the_search_cost_the_same_queries_however_many_hits(archive, people, api_for, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from closeloop.archive.tests.conftest import approve, hold, new_meeting
    from closeloop.conftest import at

    call = api_for(people["host"])

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert call(path).status_code == 200
        return len(ctx.captured_queries)

    def add(n):  # a meeting that every kind of the search finds
        extra = new_meeting(people, f"成本报告周会{n}", at(2026, 9, 7 + n, 10), guest=people["outsider"],
                            project=project)
        hold(extra, people, guest=people["outsider"], decision=f"复核成本报告{n}",
             items=[(f"更新成本报告{n}", "报告", None)])
        approve(extra, people)

    add(0)
    count("/meetings")  # the token's first use is written once; the counts below are of reads alone
    before = (count("/meetings"), count("/search?q=成本报告"), count("/tree"))
    for n in range(1, 4):
        add(n)
    assert (count("/meetings"), count("/search?q=成本报告"), count("/tree")) == before
