"""The request pages: tabs, the new-request form, the request's whole story, its buttons, and who gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeloop.collab import services
from closeloop.collab.models import Request

from .conftest import moment, request_data

PERSONAS = ["admin", "host", "recorder", "member", "head", "outsider", "market_head", "product_head"]


def form_data(parties, **overrides):
    data = {
        "subject": "Q3推广上线支持", "receiving_departments": [parties["sales"].pk], "scenario": "project",
        "priority": "important", "background": "新品上市", "goal": "明确分工", "what": "铺货", "why": "上市",
        "due": "2099-06-30", "acceptance_standard": "按期铺货",
    }
    data.update(overrides)
    return data


def test_requests_are_in_the_main_navigation(client, parties):
    client.force_login(parties["member"])
    assert 'href="/requests/"' in client.get("/meetings/").content.decode()


def test_the_tabs_split_mine_my_departments_answers_and_all(client, parties, sent):
    other, _ = services.request_create(actor=parties["product_head"], data=request_data(subject="产品部的需求"),
                                       receiving_departments=[parties["market"]], now=moment(2026, 2, 13))
    client.force_login(parties["head"])
    assert sent.subject in client.get("/requests/?tab=to_answer").content.decode()
    page = client.get("/requests/?tab=mine").content.decode()
    assert sent.subject not in page and "产品部的需求" not in page
    client.force_login(parties["market_head"])
    page = client.get("/requests/?tab=to_answer").content.decode()
    assert "产品部的需求" in page and sent.subject not in page
    page = client.get("/requests/").content.decode()
    assert "产品部的需求" in page and sent.subject in page
    assert "我发起的" in page and "待我部门答复" in page and "全部可见" in page
    client.force_login(parties["outsider"])
    page = client.get("/requests/").content.decode()
    assert sent.subject not in page and "产品部的需求" not in page


def test_the_list_page_reads_in_a_fixed_number_of_queries(client, parties, sent):
    client.force_login(parties["head"])
    client.get("/requests/")
    with CaptureQueriesContext(connection) as few:
        client.get("/requests/")
    for n in range(6):
        services.request_create(actor=parties["host"], data=request_data(subject=f"需求{n}"),
                                receiving_departments=[parties["sales"], parties["product"]], now=moment(2026, 2, 13))
    with CaptureQueriesContext(connection) as many:
        client.get("/requests/")
    assert len(many) == len(few)


def test_sending_a_request_from_the_page_with_a_material(client, parties):
    client.force_login(parties["host"])
    assert client.get("/requests/new/").status_code == 200
    upload = SimpleUploadedFile("计划.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post("/requests/new/", {**form_data(parties), "materials": [upload]})
    created = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/{created.pk}/"
    assert created.materials.get().name == "计划.pdf"
    page = client.get(f"/requests/{created.pk}/").content.decode()
    assert "计划.pdf" in page and "销售部" in page


def test_a_refused_request_keeps_what_was_typed_and_names_the_field(client, parties):
    client.force_login(parties["host"])
    response = client.post("/requests/new/", form_data(parties, receiving_departments=[], what="保留我写的内容"))
    page = response.content.decode()
    assert response.status_code == 422 and "保留我写的内容" in page and "接收部门" in page
    response = client.post("/requests/new/", form_data(parties, due="2020-01-01"))
    assert response.status_code == 422 and "期望完成时间已过" in response.content.decode()
    assert not Request.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_the_request_page_its_files_and_exports(client, parties, persona):
    upload = SimpleUploadedFile("计划.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    found, _ = services.request_create(actor=parties["host"], data=request_data(),
                                       receiving_departments=[parties["sales"], parties["product"]],
                                       materials=[upload], now=moment(2026, 2, 13))
    material = found.materials.get()
    client.force_login(parties[persona])
    status = 404 if persona == "outsider" else 200
    for path in ("", "record.docx", "record.xlsx", f"materials/{material.pk}/"):
        assert client.get(f"/requests/{found.pk}/{path}").status_code == status, (persona, path)
    if persona == "outsider":
        for path in ("escalate/", "withdraw/", "meeting/", f"answer/{found.receipts.first().pk}/"):
            assert client.post(f"/requests/{found.pk}/{path}", {}).status_code == 404, path


def test_the_head_answers_from_the_page_and_the_story_shows_it(client, parties, sent):
    sales = sent.receipts.get(department=parties["sales"])
    client.force_login(parties["member"])
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert f'action="/requests/{sent.pk}/answer/{sales.pk}/"' not in page
    assert client.post(f"/requests/{sent.pk}/answer/{sales.pk}/",
                       {f"a{sales.pk}-answer": "accept"}).status_code == 403
    client.force_login(parties["head"])
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert f'action="/requests/{sent.pk}/answer/{sales.pk}/"' in page
    response = client.post(f"/requests/{sent.pk}/answer/{sales.pk}/",
                           {f"a{sales.pk}-answer": "difficulty", f"a{sales.pk}-note": "缺人"})
    assert response.status_code == 422 and "请说明缺少什么" in response.content.decode()
    response = client.post(f"/requests/{sent.pk}/answer/{sales.pk}/", {
        f"a{sales.pk}-answer": "difficulty", f"a{sales.pk}-note": "缺人", f"a{sales.pk}-missing": ["people"],
        f"a{sales.pk}-resource_request": "2 名促销员"})
    assert response.status_code == 302
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert "2 名促销员" in page and "待解决困难" in page


def test_a_question_is_answered_by_the_initiator_from_the_page(client, parties, sent):
    sales = sent.receipts.get(department=parties["sales"])
    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="clarify",
                            note="铺货量?", now=moment(2026, 2, 13, 15))
    client.force_login(parties["host"])
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert "铺货量?" in page and f'action="/requests/{sent.pk}/reply/{sales.pk}/"' in page
    response = client.post(f"/requests/{sent.pk}/reply/{sales.pk}/", {f"r{sales.pk}-note": "500 台"})
    assert response.status_code == 302
    sales.refresh_from_db()
    assert sales.state == "pending"


def test_planning_the_meeting_from_the_page_leads_to_the_new_meeting(client, parties, sent):
    client.force_login(parties["host"])
    response = client.post(f"/requests/{sent.pk}/meeting/", {
        "plan-type": "problem_analysis", "plan-title": "Q3推广协调会", "plan-start": "2026-03-02T14:00",
        "plan-end": "2026-03-02T15:00", "plan-place": "301"})
    assert response.status_code == 302
    meeting = sent.meeting_links.get().meeting
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert "Q3推广协调会" in page
    response = client.post(f"/requests/{sent.pk}/meeting/", {
        "plan-type": "problem_analysis", "plan-title": "x", "plan-start": "2026-03-02T14:00",
        "plan-end": "2026-03-02T13:00"})
    assert response.status_code == 422 and "结束" in response.content.decode()


def test_escalating_and_withdrawing_from_the_page(client, parties, sent):
    client.force_login(parties["host"])
    assert client.post(f"/requests/{sent.pk}/escalate/", {"esc-note": "请协调"}).status_code == 302
    assert sent.events.filter(kind="escalated").count() == 2
    response = client.post(f"/requests/{sent.pk}/withdraw/", {"wd-reason": ""})
    assert response.status_code == 422
    assert client.post(f"/requests/{sent.pk}/withdraw/", {"wd-reason": "取消"}).status_code == 302
    sent.refresh_from_db()
    assert sent.state == "withdrawn"


def test_an_existing_meeting_is_attached_from_the_page(client, parties, sent, meeting):
    client.force_login(parties["host"])
    response = client.post(f"/requests/{sent.pk}/meeting/link/", {"link-meeting": meeting.pk})
    assert response.status_code == 302
    assert meeting.title in client.get(f"/requests/{sent.pk}/").content.decode()
    response = client.post(f"/requests/{sent.pk}/meeting/link/", {"link-meeting": 99999})
    assert response.status_code == 422


def test_the_receiving_head_answers_from_the_link_in_the_message(client, parties, sent):
    from closeloop.notify.models import OutboxMessage

    mail = OutboxMessage.objects.get(recipient=parties["product_head"], channel="email")
    product = sent.receipts.get(department=parties["product"])
    assert mail.link.endswith(f"/requests/answer/{product.token}/") and product.token in mail.body_text
    page = client.get(f"/requests/answer/{product.token}/").content.decode()
    assert sent.what in page and "Answer for 产品部" in page  # in the head's language, without signing in
    response = client.post(f"/requests/answer/{product.token}/", {"answer": "difficulty", "note": "short"})
    assert response.status_code == 422
    response = client.post(f"/requests/answer/{product.token}/", {"answer": "accept", "note": "OK"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.state == "accepted" and product.answered_by == parties["product_head"]
    assert client.get("/requests/answer/not-a-token/").status_code == 404


def test_the_request_page_links_each_meetings_written_output(client, parties, with_meeting):
    client.force_login(parties["host"])
    page = client.get(f"/requests/{with_meeting.collab_links.get().request_id}/").content.decode()
    assert f'href="/outputs/meetings/{with_meeting.pk}/" id="output-link-{with_meeting.pk}"' in page
    assert client.get(f"/outputs/meetings/{with_meeting.pk}/").status_code == 200
