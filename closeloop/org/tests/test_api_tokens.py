"""Personal API tokens: created once with the secret shown once, listed without secrets, revoked at once."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from closeloop.audit.models import AuditEntry
from closeloop.org.models import ApiToken
from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_a_new_token_shows_its_secret_once_and_only_its_hash_is_kept(client, people):
    client.force_login(people["member"])
    response = client.post("/api/v1/tokens", {"name": "夜间导出"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "夜间导出"
    assert body["secret"].startswith(body["prefix"]) and len(body["secret"]) > 30
    token = ApiToken.objects.get(pk=body["id"])
    assert token.digest == ApiToken.hash(body["secret"]) and body["secret"] not in token.digest
    listed = client.get("/api/v1/tokens").json()["items"]
    assert [t["id"] for t in listed] == [body["id"]]
    assert "secret" not in listed[0] and "digest" not in listed[0]
    entry = AuditEntry.objects.get(action="token.create")
    assert body["secret"] not in str(entry.after) and "digest" not in entry.after


def test_it_refuses_a_token_without_a_name_naming_the_field(client, people):
    client.force_login(people["member"])
    for payload in ({}, {"name": "   "}):
        response = client.post("/api/v1/tokens", payload, content_type="application/json")
        assert response.status_code == 422
        assert "name" in response.json()["errors"]


def test_a_token_authenticates_by_bearer_or_header_until_it_is_revoked(people):
    token, secret = token_create(person=people["member"], name="script")
    api = Client()
    assert api.get("/api/v1/me").status_code == 401
    assert api.get("/api/v1/me", headers=bearer(secret)).json()["username"] == "member"
    assert api.get("/api/v1/me", headers={"X-API-Token": secret}).json()["username"] == "member"
    assert api.get("/api/v1/me", headers=bearer(secret + "x")).status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is not None

    assert api.delete(f"/api/v1/tokens/{token.pk}", headers=bearer(secret)).status_code == 204
    assert api.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert api.get("/api/v1/me", headers={"X-API-Token": secret}).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_lists_or_revokes_someone_elses_token(people):
    token, secret = token_create(person=people["member"], name="mine")
    theirs, other = token_create(person=people["host"], name="theirs")
    api = Client()
    assert [t["id"] for t in api.get("/api/v1/tokens", headers=bearer(other)).json()["items"]] == [theirs.pk]
    assert api.delete(f"/api/v1/tokens/{token.pk}", headers=bearer(other)).status_code == 404
    assert api.get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_a_session_needs_the_csrf_token_for_writes_but_an_api_token_does_not(people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["member"])
    assert browser.get("/api/v1/me").status_code == 200
    refused = browser.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert not ApiToken.objects.exists()
    browser.get("/api/v1/docs")  # sets the CSRF cookie, as the docs page or any page does
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/v1/tokens", {"name": "x"}, content_type="application/json",
                            headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201

    script = Client(enforce_csrf_checks=True)
    secret = accepted.json()["secret"]
    created = script.post("/api/v1/tokens", {"name": "y"}, content_type="application/json", headers=bearer(secret))
    assert created.status_code == 201


def test_a_write_with_a_revoked_token_answers_401_not_a_csrf_error(people):
    token, secret = token_create(person=people["member"], name="old")
    Client().delete(f"/api/v1/tokens/{token.pk}", headers=bearer(secret))
    script = Client(enforce_csrf_checks=True)
    response = script.post("/api/v1/tokens", {"name": "y"}, content_type="application/json", headers=bearer(secret))
    assert response.status_code == 401
    assert ApiToken.objects.count() == 1


def test_a_deactivated_person_token_stops_working(people):
    _, secret = token_create(person=people["member"], name="script")
    people["member"].is_active = False
    people["member"].save()
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_the_command_prints_a_working_secret_once(people):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "host", "CI 导出", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert secret.startswith("cl_") and "shown only once" in err.getvalue()
    assert Client().get("/api/v1/me", headers=bearer(secret)).json()["username"] == "host"

    listing = io.StringIO()
    call_command("token", "list", "host", stdout=listing)
    assert "CI 导出" in listing.getvalue() and secret not in listing.getvalue()

    token = ApiToken.objects.get()
    call_command("token", "revoke", str(token.pk), stdout=io.StringIO())
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_the_command_names_an_unknown_person(people):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "create", "nobody", "x", stdout=io.StringIO(), stderr=io.StringIO())


def test_reading_with_a_token_writes_its_last_use_at_most_once_a_minute(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token, secret = token_create(person=people["member"], name="script")
    api = Client()

    def writes():
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/me", headers=bearer(secret)).status_code == 200
        return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "org_apitoken" in q["sql"]]

    assert len(writes()) == 1  # the first use is recorded
    assert writes() == []  # the next read within the minute writes nothing
    token.refresh_from_db()
    first = token.last_used_at
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(seconds=61))
    assert len(writes()) == 1  # a minute later it is recorded again
