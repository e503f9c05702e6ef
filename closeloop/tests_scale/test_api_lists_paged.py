"""Every list of the API is a page of the one default size (issue 17), except lists bounded by what they
describe; a new unpaged list fails here until it is paged or named below with the reason it is bounded."""

import json

import pytest

pytestmark = pytest.mark.django_db

# path -> why the whole list is answered at once
BOUNDED = {
    "/api/v1/departments": "the department tree, whole so that parents come first: one row per department",
    "/api/v1/insight/departments": "one row of figures per department",
    "/api/v1/insight/meetings": "a fixed set of figures",
    "/api/v1/insight/loop": "a fixed set of figures",
    "/api/v1/insight/measures": "the fixed list of figures with their formulas",
    "/api/v1/search": "one group per kind, each with at most its first hits (search.selectors.PER_KIND)",
    "/api/v1/memos/{memo_id}/diff": "the clauses of one memo",
    "/api/v1/record/meetings/{meeting_id}/loop-check": "the open points of one meeting",
    "/api/v1/directory/runs": "the last ten sync runs",
    "/api/v1/minutes/meetings/{meeting_id}": "the versions of one meeting's minutes",
    "/api/v1/minutes/meetings/{meeting_id}/draft-preview": "the sections of one draft",
    "/api/v1/minutes/{minutes_id}/signoffs": "one per participant of one meeting",
    "/api/v1/archive/tree": "years, then departments, then projects, each with a number of meetings",
}


def test_every_unbounded_api_list_is_paged(client, people):
    client.force_login(people["member"])
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    arrays = set()
    for path, operations in schema["paths"].items():
        ok = operations.get("get", {}).get("responses", {}).get("200", {})
        if ok.get("content", {}).get("application/json", {}).get("schema", {}).get("type") == "array":
            arrays.add(path)
    assert arrays - set(BOUNDED) == set()
    assert set(BOUNDED) - arrays == set(), "a list named here is paged now: take it off"
    paged = [p for p, ops in schema["paths"].items() if "page_size" in
             {param["name"] for param in ops.get("get", {}).get("parameters", [])} and p not in BOUNDED]
    assert {"/api/v1/actions/changes/awaiting", "/api/v1/actions/{item_id}/changes", "/api/v1/tokens",
            "/api/v1/projects", "/api/v1/series", "/api/v1/memos", "/api/v1/resource-requests",
            "/api/v1/notify/robots", "/api/v1/actions/meetings/{meeting_id}/review",
            "/api/v1/actions/{item_id}/history", "/api/v1/directory/runs/{run_id}/changes",
            "/api/v1/requests/{request_id}/events", "/api/v1/requests/{request_id}/meetings",
            "/api/v1/requests/{request_id}/decisions"} <= set(paged)
