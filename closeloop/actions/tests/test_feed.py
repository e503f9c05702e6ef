"""The personal calendar feed: due dates of open items as all-day events behind a secret, revocable URL."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from closeloop.actions.models import FeedToken
from closeloop.actions.services.feed import feed_token_regenerate, feed_token_revoke
from closeloop.actions.services.items import action_item_create, action_item_set_status
from closeloop.actions.tests.conftest import item_data, later

pytestmark = pytest.mark.django_db


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def feed_path(person):
    return reverse("actions:feed", args=[FeedToken.objects.get(person=person).token])


def events(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_feed_lists_open_items_i_own_or_share_as_all_day_events(people, org, today):
    mine = action_item_create(actor=people["admin"], organisation=org,
                              data=item_data(people, task="提交预算", due=later(today, 5)))
    shared = action_item_create(actor=people["admin"], organisation=org, data=item_data(
        people, task="协助报价", owner=people["host"], collaborators=[people["member"]], due=later(today, 7)))
    done = action_item_create(actor=people["admin"], organisation=org,
                              data=item_data(people, task="已交付", due=later(today, 2)))
    action_item_set_status(actor=people["member"], item=done, status="done", note="交了")
    action_item_create(actor=people["admin"], organisation=org,
                       data=item_data(people, task="别人的", owner=people["host"], due=later(today, 3)))
    feed_token_regenerate(actor=people["member"])
    found = events(Client().get(feed_path(people["member"])))  # no sign-in: calendar apps cannot
    assert set(found) == {"Due: 提交预算", "Due: 协助报价"}
    event = found["Due: 提交预算"]
    assert event.decoded("DTSTART") == later(today, 5) and not isinstance(event.decoded("DTSTART"), dt.datetime)
    assert event.decoded("DTEND") == later(today, 6)
    assert str(event["UID"]) == f"action-item-{mine.pk}@closeloop"
    assert f"/actions/{shared.pk}/" in str(found["Due: 协助报价"]["URL"])


def test_a_revised_due_date_moves_the_same_event(people, org, today):
    item = action_item_create(actor=people["admin"], organisation=org,
                              data=item_data(people, task="提交预算", due=later(today, 5)))
    feed_token_regenerate(actor=people["member"])
    action_item_set_status(actor=people["member"], item=item, status="delayed", reason="报价延迟",
                           new_due=later(today, 12))
    event = events(Client().get(feed_path(people["member"])))["Due: 提交预算"]
    assert event.decoded("DTSTART") == later(today, 12) and str(event["UID"]) == f"action-item-{item.pk}@closeloop"
    assert "Originally due" in str(event["DESCRIPTION"])


def test_a_revoked_or_regenerated_url_answers_404(people):
    old = feed_token_regenerate(actor=people["member"]).token
    new = feed_token_regenerate(actor=people["member"]).token
    assert old != new
    assert Client().get(reverse("actions:feed", args=[old])).status_code == 404
    assert Client().get(reverse("actions:feed", args=[new])).status_code == 200
    feed_token_revoke(actor=people["member"])
    assert Client().get(reverse("actions:feed", args=[new])).status_code == 404
    assert Client().get(reverse("actions:feed", args=["guess"])).status_code == 404


def test_the_feed_of_someone_who_left_answers_404(people):
    token = feed_token_regenerate(actor=people["member"]).token
    people["member"].is_active = False
    people["member"].save()
    assert Client().get(reverse("actions:feed", args=[token])).status_code == 404


def test_my_items_page_shows_creates_regenerates_and_revokes_the_url(people):
    c = client_for(people["member"])
    assert "Create my feed address" in c.get(reverse("actions:mine")).content.decode()
    c.post(reverse("actions:feed_manage"), {"what": "regenerate"})
    token = FeedToken.objects.get(person=people["member"]).token
    assert token in c.get(reverse("actions:mine")).content.decode()
    c.post(reverse("actions:feed_manage"), {"what": "regenerate"})
    assert FeedToken.objects.get(person=people["member"]).token != token
    c.post(reverse("actions:feed_manage"), {"what": "revoke"})
    assert not FeedToken.objects.exists()
    assert c.get(reverse("actions:feed_manage")).status_code == 405  # no change on GET


def test_managing_the_feed_needs_a_sign_in(people):
    res = Client().post(reverse("actions:feed_manage"), {"what": "regenerate"})
    assert res.status_code == 302 and not FeedToken.objects.exists()


def test_the_feed_api(people):
    c = client_for(people["host"])
    assert c.get("/api/v1/actions/feed").json()["url"] is None
    created = c.post("/api/v1/actions/feed")
    assert created.status_code == 201
    url = created.json()["url"]
    assert url.endswith(".ics") and c.get("/api/v1/actions/feed").json()["url"] == url
    assert Client().get(urlsplit(url).path).status_code == 200
    assert c.delete("/api/v1/actions/feed").status_code == 204
    assert c.get("/api/v1/actions/feed").json()["url"] is None
    assert Client().get("/api/v1/actions/feed").status_code == 401
