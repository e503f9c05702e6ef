"""An item's detail carries the latest 50 entries of its history with their count, in the same number of queries
however long the history; GET /actions/{id}/history pages through all of it, and answers 404 like the detail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.actions.models import ActionItemEvent
from closeloop.conftest import client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/actions"


def add_history(item, actor, count):
    start = item.events.count()
    ActionItemEvent.objects.bulk_create([ActionItemEvent(item=item, actor=actor, kind="progress", progress=n % 100,
                                                         note=f"进展{n}") for n in range(start, start + count)])


def history(item):
    return list(item.events.order_by("at", "id").values_list("id", flat=True))


def test_the_detail_carries_the_latest_50_entries_oldest_first(people, item):
    add_history(item, people["member"], 119)  # with "created", 120
    data = client_for(people["member"]).get(f"{URL}/{item.pk}").json()
    assert (data["history_count"], data["history_more"]) == (120, True)
    assert [e["id"] for e in data["history"]] == history(item)[-50:]
    assert data["history"][-1]["note"] == "进展119" and data["history"][0]["at"].endswith("+08:00")


def test_a_short_history_is_whole_in_the_detail(people, item):
    data = client_for(people["member"]).get(f"{URL}/{item.pk}").json()
    assert ([e["kind"] for e in data["history"]], data["history_count"], data["history_more"]) == (["created"], 1,
                                                                                                  False)


def test_the_history_endpoint_pages_through_every_entry_in_order(people, item):
    add_history(item, people["member"], 119)
    client = client_for(people["member"])
    rows, page = [], 1
    while body := client.get(f"{URL}/{item.pk}/history?page={page}").json()["items"]:
        assert len(body) <= 50
        rows += body
        page += 1
    assert [e["id"] for e in rows] == history(item) and len(rows) == 120
    assert rows[0]["kind"] == "created" and rows[0]["at"].endswith("+08:00")
    assert client.get(f"{URL}/{item.pk}/history").json()["count"] == 120


@pytest.mark.parametrize("url", ["{URL}/{pk}", "{URL}/{pk}/history"])
def test_the_detail_and_the_history_cost_the_same_queries_for_10_or_200_entries(people, item, url):
    client = client_for(people["member"])
    url = url.format(URL=URL, pk=item.pk)
    add_history(item, people["member"], 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_history(item, people["head"], 190)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).json()
    assert len(body.get("history", body.get("items"))) == 50
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_someone_who_may_not_see_the_item_gets_404_for_its_history(people, item):
    outsider = client_for(people["outsider"])
    assert outsider.get(f"{URL}/{item.pk}").status_code == 404
    refused = outsider.get(f"{URL}/{item.pk}/history")
    assert refused.status_code == 404 and refused.json() == {"detail": "未找到。"}
    assert client_for(people["head"]).get(f"{URL}/{item.pk}/history").status_code == 200  # the owner's head
