"""Resource requests from the API and the pages: the chain step by step, exports, and 404 for the others."""

import pytest

from closeloop.collab import services
from closeloop.collab.models import ResourceRequest

from .test_resources import ask, finance_set  # noqa: F401  (fixture)

PERSONAS = ["admin", "host", "recorder", "member", "head", "outsider", "market_head", "product_head"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_a_resource_request_and_who_gets_404(client, finance_set, sent, persona):  # noqa: F811
    resource = ask(finance_set, sent, 20000)
    client.force_login(finance_set[persona])
    status = 404 if persona == "outsider" else 200
    for path in (f"/api/v1/resource-requests/{resource.pk}", f"/api/v1/resource-requests/{resource.pk}/form.docx",
                 f"/api/v1/resource-requests/{resource.pk}/form.xlsx", f"/requests/resources/{resource.pk}/",
                 f"/requests/resources/{resource.pk}/form.docx"):
        assert client.get(path).status_code == status, (persona, path)
    response = client.post(f"/api/v1/resource-requests/{resource.pk}/approve", {}, content_type="application/json")
    assert response.status_code == (200 if persona == "head" else 403 if status == 200 else 404), persona


def test_the_chain_through_the_api(client, finance_set, sent):  # noqa: F811
    client.force_login(finance_set["member"])
    response = client.post("/api/v1/resource-requests", {
        "request": sent.pk, "title": "促销人员", "reason": "人手不足", "people": [{"role": "促销员", "count": 0}],
        "budget_amount": "20000"}, content_type="application/json")
    assert response.status_code == 422 and "people.0.count" in response.json()["errors"]
    response = client.post("/api/v1/resource-requests", {
        "request": sent.pk, "title": "促销人员", "reason": "人手不足", "people": [{"role": "促销员", "count": 2}],
        "budget_amount": "20000", "budget_category": "personnel"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["chain"] == ["head", "finance"] and body["current_step"] == "head"
    client.force_login(finance_set["head"])
    body = client.post(f"/api/v1/resource-requests/{body['id']}/approve", {"reason": "同意"},
                       content_type="application/json").json()
    assert body["current_step"] == "finance"
    client.force_login(finance_set["finance_head"])  # named on the request by now
    assert client.get(f"/api/v1/requests/{sent.pk}").status_code == 200
    response = client.post(f"/api/v1/resource-requests/{body['id']}/return", {"reason": ""},
                           content_type="application/json")
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    stale = client.post(f"/api/v1/resource-requests/{body['id']}/approve", {"version": 1},
                        content_type="application/json")
    assert stale.status_code == 409
    body = client.post(f"/api/v1/resource-requests/{body['id']}/approve", {"reason": "预算内"},
                       content_type="application/json").json()
    assert body["state"] == "approved" and [a["role"] for a in body["approvals"]] == ["head", "finance"]
    listed = client.get(f"/api/v1/resource-requests?request={sent.pk}").json()["items"]
    assert [r["id"] for r in listed] == [body["id"]]


def test_the_difficulty_answer_leads_to_the_form_and_the_finance_head_approves_it(client, finance_set, sent):  # noqa: F811,E501
    services.request_answer(actor=finance_set["head"], request=sent, department=finance_set["sales"],
                            answer="difficulty", missing=["people", "budget"], resource_request="2 名促销员,2 万元")
    client.force_login(finance_set["member"])
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert f'href="/requests/{sent.pk}/resources/new/"' in page
    form = client.get(f"/requests/{sent.pk}/resources/new/").content.decode()
    assert "2 名促销员,2 万元" in form
    response = client.post(f"/requests/{sent.pk}/resources/new/", {
        "title": "促销人员", "reason": "2 名促销员", "people": "促销员, 二", "budget_amount": "20000",
        "budget_category": "personnel"})
    assert response.status_code == 422 and "whole number" in response.content.decode()  # the member reads English
    response = client.post(f"/requests/{sent.pk}/resources/new/", {
        "title": "促销人员", "reason": "2 名促销员", "people": "促销员, 2, 7月", "budget_amount": "20000",
        "budget_category": "personnel"})
    resource = ResourceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/resources/{resource.pk}/"
    client.force_login(finance_set["head"])
    assert client.post(f"/requests/resources/{resource.pk}/approve/", {"reason": ""}).status_code == 302
    client.force_login(finance_set["finance_head"])
    page = client.get(f"/requests/resources/{resource.pk}/").content.decode()
    assert "财务负责人" in page and 'id="decide"' in page
    assert client.post(f"/requests/resources/{resource.pk}/approve/", {"reason": "同意"}).status_code == 302
    resource.refresh_from_db()
    assert resource.state == "approved"
    client.force_login(finance_set["host"])
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert "促销人员" in page and "已批准" in page


def test_a_returned_request_is_changed_and_sent_again_from_its_page(client, finance_set, sent):  # noqa: F811
    resource = ask(finance_set, sent, 5000)
    client.force_login(finance_set["head"])
    response = client.post(f"/requests/resources/{resource.pk}/return/", {"reason": ""})
    assert response.status_code == 422
    client.post(f"/requests/resources/{resource.pk}/return/", {"reason": "说明用途"})
    client.force_login(finance_set["member"])
    page = client.get(f"/requests/resources/{resource.pk}/").content.decode()
    assert "说明用途" in page and "Send again" in page
    resource.refresh_from_db()
    response = client.post(f"/requests/resources/{resource.pk}/resend/", {
        "title": resource.title, "reason": "用于7月铺货", "people": "促销员, 2", "budget_amount": "5000",
        "budget_category": "personnel", "version": resource.version})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.state == "in_approval" and resource.round == 2 and resource.reason == "用于7月铺货"
