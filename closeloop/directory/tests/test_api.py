"""The directory API: administrators run a sync and read the runs; anyone else gets 404."""

import pytest
from django.test import Client

from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db


def _client(person):
    return Client(headers={"Authorization": f"Bearer {token_create(person=person, name='t')[1]}"})


def test_someone_not_an_administrator_gets_404(people):
    client = _client(people["head"])
    assert client.get("/api/v1/directory/runs").status_code == 404
    assert client.post("/api/v1/directory/sync", {}, content_type="application/json").status_code == 404


def test_without_ldap_a_sync_names_the_missing_setting(people):
    response = _client(people["admin"]).post("/api/v1/directory/sync", {}, content_type="application/json")
    assert response.status_code == 422 and "LDAP_SERVER_URI" in response.json()["errors"]


def test_an_administrator_runs_a_dry_run_and_reads_it_back(settings, people, ldap_server):
    ldap_server.configure(settings)
    client = _client(people["admin"])
    run = client.post("/api/v1/directory/sync", {"dry_run": True}, content_type="application/json").json()
    assert run["ok"] and run["dry_run"] and run["people_seen"] == 10
    assert any(c["kind"] == "person_created" and c["data"]["person"] == "zhou.sales" for c in run["changes"])
    runs = client.get("/api/v1/directory/runs").json()
    assert [r["id"] for r in runs] == [run["id"]]
