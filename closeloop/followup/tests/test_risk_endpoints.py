"""Raising a risk from the API and the page: the owner only; 404 for anyone who may not see the item."""

import datetime as dt
import json

import pytest
from django.test import Client

from closeloop.actions.models import ActionItemEvent
from closeloop.conftest import make_person
from closeloop.followup.tests.conftest import recipients
from closeloop.notify.models import OutboxMessage
from closeloop.org.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(new_item, meeting, people):
    return new_item(dt.date(2026, 12, 30), meeting=meeting, created_by=people["recorder"])


@pytest.fixture
def stranger(db):
    return make_person(Organisation.objects.create(name="别家公司"), "stranger")


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def api_post(person, item_id, body):
    return client_for(person).post(f"/api/v1/actions/{item_id}/risk", json.dumps(body),
                                   content_type="application/json")


def nothing_written():
    return not ActionItemEvent.objects.exists() and not OutboxMessage.objects.exists()


def test_the_owner_raises_a_risk_through_the_api_and_hears_who_was_told(item, people):
    res = api_post(people["member"], item.pk, {"note": "财务数据延迟"})
    assert res.status_code == 201, res.content
    body = res.json()
    assert [p["name"] for p in body["notified"]] == ["张主持"]  # host and initiator are one person here
    assert body["item_id"] == item.pk and body["late"] is False and "张主持" in body["message"]
    assert recipients("risk") == ["host"]


def test_an_empty_note_is_refused_naming_the_field(item, people):
    res = api_post(people["member"], item.pk, {"note": " "})
    assert res.status_code == 422 and "note" in res.json()["errors"]
    assert nothing_written()


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_someone_who_may_not_see_the_item_gets_404_from_the_api_and_the_page(item, people, stranger, who):
    person = stranger if who == "stranger" else people[who]
    assert api_post(person, item.pk, {"note": "x"}).status_code == 404
    client = client_for(person)
    assert client.get(f"/followup/items/{item.pk}/risk/").status_code == 404
    assert client.post(f"/followup/items/{item.pk}/risk/", {"note": "x"}).status_code == 404
    assert nothing_written()


@pytest.mark.parametrize("who", ["host", "recorder", "head", "admin"])
def test_a_viewer_who_is_not_the_owner_gets_403(item, people, who):
    assert api_post(people[who], item.pk, {"note": "x"}).status_code == 403
    client = client_for(people[who])
    assert client.get(f"/followup/items/{item.pk}/risk/").status_code == 403
    assert client.post(f"/followup/items/{item.pk}/risk/", {"note": "x"}).status_code == 403
    assert nothing_written()


def test_the_page_shows_the_form_without_changing_anything_then_posts_and_returns_to_the_item(item, people):
    client = client_for(people["member"])
    page = client.get(f"/followup/items/{item.pk}/risk/")
    assert page.status_code == 200 and 'name="note"' in page.content.decode()
    assert nothing_written()
    res = client.post(f"/followup/items/{item.pk}/risk/", {"note": "供应商延期两天"})
    assert res.status_code == 302 and res["Location"] == f"/actions/{item.pk}/"
    assert recipients("risk") == ["host"]


def test_the_htmx_form_answers_with_the_panel_saying_who_was_told_or_the_error(item, people):
    client = client_for(people["member"])
    url = f"/followup/items/{item.pk}/risk/"
    bad = client.post(url, {"note": ""}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and 'id="risk-panel"' in bad.content.decode()
    assert "<html" not in bad.content.decode() and nothing_written()
    good = client.post(url, {"note": "供应商延期两天"}, HTTP_HX_REQUEST="true")
    assert good.status_code == 200 and "张主持" in good.content.decode()


def test_a_closed_item_shows_no_form_and_refuses_the_post(item, people):
    item.status = "done"
    item.save()
    client = client_for(people["member"])
    assert 'name="note"' not in client.get(f"/followup/items/{item.pk}/risk/").content.decode()
    res = client.post(f"/followup/items/{item.pk}/risk/", {"note": "太晚"})
    assert res.status_code == 200 and nothing_written()
