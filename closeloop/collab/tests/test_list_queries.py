"""The requests' list, page and API, costs the same number of SQL queries for 10 requests as for 200 (issue 17)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.collab import services

from .conftest import moment, request_data

pytestmark = pytest.mark.django_db


def send(parties, start, count):
    for n in range(start, start + count):
        services.request_create(actor=parties["host"], data=request_data(subject=f"需求{n}"),
                                receiving_departments=[parties["sales"], parties["product"]],
                                now=moment(2026, 2, 13))


@pytest.mark.parametrize("url", ["/requests/", "/api/v1/requests"])
def test_the_requests_cost_the_same_queries_for_10_or_200(client, parties, url):
    client.force_login(parties["head"])  # the head of 销售部, one of the receiving departments
    send(parties, 0, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    send(parties, 10, 190)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/api/"):
        assert response.json()["count"] == 200 and len(response.json()["items"]) == 50
        # The page is read by the database (LIMIT), not the 200 rows read to keep 50.
        rows = [q["sql"] for q in many.captured_queries if q["sql"].startswith('SELECT "collab_request"."id"')]
        assert rows and all("LIMIT 50" in sql for sql in rows), rows
    else:
        assert "需求199" in response.content.decode()
    assert len(many) <= len(few), [q["sql"] for q in many.captured_queries]
