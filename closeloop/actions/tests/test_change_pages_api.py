"""Change requests through the item page and the API, with the permission matrix."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from closeloop.actions.choices import ChangeState, ItemStatus
from closeloop.actions.models import ActionItem, ChangeRequest
from closeloop.actions.services.changes import change_request_ask
from closeloop.actions.services.items import action_item_confirm
from closeloop.actions.tests.conftest import later

pytestmark = pytest.mark.django_db
URL = "/api/v1/actions"
HTMX = {"HX-Request": "true"}


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def in_language_of(person, message):
    """The message as `person` reads it: pages follow the person's language."""
    with translation.override(person.language):
        return _(message)


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def asked(people, item, today):
    action_item_confirm(actor=people["member"], item=item)
    return change_request_ask(actor=people["member"], item=item, reason="供应商报价延迟", new_due=later(today, 9))


# --- Pages ---------------------------------------------------------------------------------

def test_the_owner_asks_from_the_item_page_and_the_panel_comes_back(people, item, today):
    c = client_for(people["member"])
    assert "Ask for a change of date or scope" in c.get(reverse("actions:detail", args=[item.pk])).content.decode()
    res = c.post(reverse("actions:change_ask", args=[item.pk]),
                 {"new_due": later(today, 9).isoformat(), "reason": "供应商报价延迟"}, headers=HTMX)
    assert res.status_code == 200 and 'data-state="pending"' in res.content.decode()
    assert ChangeRequest.objects.get().new_due == later(today, 9)


def test_a_missing_reason_is_named_at_its_field(people, item, today):
    res = client_for(people["member"]).post(reverse("actions:change_ask", args=[item.pk]),
                                            {"new_due": later(today, 9).isoformat()}, headers=HTMX)
    assert 'class="field invalid"' in res.content.decode() and not ChangeRequest.objects.exists()


def test_the_host_sees_accept_and_refuse_and_the_owner_sees_withdraw(people, item, asked):
    host, owner = people["host"], people["member"]
    decide, withdraw = (reverse(name, args=[asked.pk]) for name in ("actions:change_decide", "actions:change_withdraw"))
    host_page = client_for(host).get(reverse("actions:detail", args=[item.pk])).content.decode()
    assert in_language_of(host, "Accept the change") in host_page and decide in host_page
    assert in_language_of(host, "Withdraw") not in host_page and withdraw not in host_page
    owner_page = client_for(owner).get(reverse("actions:detail", args=[item.pk])).content.decode()
    assert in_language_of(owner, "Withdraw") in owner_page and withdraw in owner_page
    assert in_language_of(owner, "Accept the change") not in owner_page and decide not in owner_page
    assert in_language_of(owner, "Ask for a change of date or scope") not in owner_page  # one question at a time


def test_the_host_accepts_from_the_page_and_the_history_shows_both_dates(people, item, asked, today):
    res = client_for(people["host"]).post(reverse("actions:change_decide", args=[asked.pk]),
                                          {"decision": "accept", "comment": "同意"})
    assert res.status_code == 302
    page = client_for(people["host"]).get(reverse("actions:detail", args=[item.pk])).content.decode()
    assert "2026-06-18 → " + later(today, 9).isoformat() in page and "供应商报价延迟" in page
    assert ActionItem.objects.get(pk=item.pk).status == ItemStatus.DELAYED


def test_refusing_from_the_page_without_a_comment_is_named_and_changes_nothing(people, item, asked):
    res = client_for(people["host"]).post(reverse("actions:change_decide", args=[asked.pk]),
                                          {"decision": "refuse", "comment": ""}, headers=HTMX)
    assert res.status_code == 200
    assert in_language_of(people["host"], "Say why you refuse the change.") in res.content.decode()
    assert ChangeRequest.objects.get(pk=asked.pk).state == ChangeState.PENDING


def test_the_owner_withdraws_from_the_page(people, item, asked):
    client_for(people["member"]).post(reverse("actions:change_withdraw", args=[asked.pk]))
    assert ChangeRequest.objects.get(pk=asked.pk).state == ChangeState.WITHDRAWN


def test_the_hosts_list_shows_what_waits_for_an_answer(people, item, asked):
    page = client_for(people["host"]).get(reverse("actions:mine")).content.decode()
    assert 'id="changes-awaiting"' in page and item.task in page
    assert 'id="changes-awaiting"' not in client_for(people["member"]).get(reverse("actions:mine")).content.decode()


def test_change_pages_are_404_for_someone_who_may_not_see_the_item(people, item, asked):
    c = client_for(people["outsider"])
    assert c.post(reverse("actions:change_ask", args=[item.pk]), {"reason": "x"}).status_code == 404
    for name in ("actions:change_decide", "actions:change_withdraw"):
        assert c.post(reverse(name, args=[asked.pk]), {"decision": "accept"}).status_code == 404
    assert c.post(reverse("actions:change_decide", args=[999999]), {"decision": "accept"}).status_code == 404


@pytest.mark.parametrize("who", ["recorder", "head", "admin"])
def test_a_viewer_who_is_not_the_initiator_gets_403(people, item, asked, who):
    res = client_for(people[who]).post(reverse("actions:change_decide", args=[asked.pk]), {"decision": "accept"})
    assert res.status_code == 403 and ChangeRequest.objects.get(pk=asked.pk).state == ChangeState.PENDING


def test_change_pages_refuse_get(people, item, asked):
    c = client_for(people["host"])
    assert c.get(reverse("actions:change_decide", args=[asked.pk])).status_code == 405
    assert c.get(reverse("actions:change_ask", args=[item.pk])).status_code == 405


# --- API -----------------------------------------------------------------------------------

def test_the_api_flow_ask_list_accept(people, item, today):
    res = post(client_for(people["member"]), f"{URL}/{item.pk}/changes",
               {"reason": "需求变更", "new_task": "提交Q3及Q4推广预算明细表"})
    assert res.status_code == 201 and res.json()["kind"] == "scope" and res.json()["state"] == "pending"
    change_id = res.json()["id"]
    awaiting = client_for(people["host"]).get(f"{URL}/changes/awaiting").json()
    assert [c["id"] for c in awaiting["items"]] == [change_id]
    assert (awaiting["count"], awaiting["count_exact"]) == (1, True)
    res = post(client_for(people["host"]), f"{URL}/changes/{change_id}/accept")
    assert res.status_code == 200 and res.json()["state"] == "accepted"
    assert res.json()["decided_by"]["id"] == people["host"].pk
    assert ActionItem.objects.get(pk=item.pk).task == "提交Q3及Q4推广预算明细表"
    history = client_for(people["member"]).get(f"{URL}/{item.pk}").json()["history"]
    assert [e["kind"] for e in history][-3:] == ["change_asked", "edited", "change_accepted"]
    changes = client_for(people["head"]).get(f"{URL}/{item.pk}/changes").json()
    assert [c["state"] for c in changes["items"]] == ["accepted"] and changes["count"] == 1


def test_the_api_names_bad_fields(people, item, today):
    c = client_for(people["member"])
    assert "reason" in post(c, f"{URL}/{item.pk}/changes", {"new_due": later(today, 5).isoformat()}).json()["errors"]
    res = post(c, f"{URL}/{item.pk}/changes", {"reason": "r", "new_due": "2026-02-30"})
    assert res.status_code == 422 and "new_due" in res.json()["errors"]


def test_the_api_refuse_needs_a_comment(people, asked):
    res = post(client_for(people["host"]), f"{URL}/changes/{asked.pk}/refuse", {"comment": ""})
    assert res.status_code == 422 and "comment" in res.json()["errors"]


def test_the_api_permission_matrix(people, item, asked):
    outsider, head = client_for(people["outsider"]), client_for(people["head"])
    for path in (f"/{item.pk}/changes", f"/changes/{asked.pk}/accept", f"/changes/{asked.pk}/refuse",
                 f"/changes/{asked.pk}/withdraw"):
        assert post(outsider, URL + path, {"reason": "x", "comment": "x"}).status_code == 404
    assert outsider.get(f"{URL}/{item.pk}/changes").status_code == 404
    assert post(head, f"{URL}/changes/{asked.pk}/accept").status_code == 403
    assert post(head, f"{URL}/changes/{asked.pk}/withdraw").status_code == 403
    assert post(client_for(people["host"]), f"{URL}/{item.pk}/changes", {"reason": "x"}).status_code == 403
    assert ChangeRequest.objects.get(pk=asked.pk).state == ChangeState.PENDING


def test_the_admin_shows_an_items_change_requests_read_only(people, item, asked):
    people["admin"].is_staff = people["admin"].is_superuser = True
    people["admin"].save()
    page = client_for(people["admin"]).get(reverse("admin:actions_actionitem_change", args=[item.pk]))
    assert page.status_code == 200 and "供应商报价延迟" in page.content.decode()
    assert 'name="change_requests-0-reason"' not in page.content.decode()  # read-only, not a form field
