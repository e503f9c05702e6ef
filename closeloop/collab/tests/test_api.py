"""Requests through the API: create, list filters, detail, answer, reply, escalate, exports, permissions."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from closeloop.collab import services
from closeloop.collab.models import Request

from .conftest import moment, request_data

PERSONAS = ["admin", "host", "recorder", "member", "head", "outsider", "market_head", "product_head"]


def payload(parties, **overrides):
    data = {
        "subject": "Q3推广上线支持", "receiving_departments": [parties["sales"].pk, parties["product"].pk],
        "scenario": "project", "background": "新品7月上市", "goal": "明确分工", "what": "铺货与培训资料",
        "why": "保障上市", "due": "2099-06-30", "acceptance_standard": "手册经确认", "priority": "urgent_important",
        "needs_leadership": False, "project": None,
    }
    data.update(overrides)
    return data


def test_creating_a_request_answers_201_with_each_departments_deadline(client, parties):
    client.force_login(parties["host"])
    response = client.post("/api/v1/requests", payload(parties), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "awaiting" and body["initiating_department"]["name"] == "市场部"
    assert [r["department"]["name"] for r in body["receipts"]] == ["销售部", "产品部"]
    assert all(r["answer_due"] and r["state"] == "pending" for r in body["receipts"])
    assert body["events"][0]["kind"] == "sent"


def test_bad_input_names_the_field_in_the_readers_language(client, parties):
    client.force_login(parties["host"])
    response = client.post("/api/v1/requests", payload(parties, receiving_departments=[]),
                           content_type="application/json")
    assert response.status_code == 422
    assert "receiving_departments" in response.json()["errors"]
    assert "请至少选择一个接收部门" in response.json()["errors"]["receiving_departments"][0]
    response = client.post("/api/v1/requests", payload(parties, receiving_departments=[99999]),
                           content_type="application/json")
    assert response.status_code == 422 and "receiving_departments" in response.json()["errors"]
    response = client.post("/api/v1/requests", payload(parties, what="  "), content_type="application/json")
    assert response.status_code == 422 and "what" in response.json()["errors"]
    response = client.post("/api/v1/requests", payload(parties, due="2020-01-01"), content_type="application/json")
    assert response.status_code == 422 and "due" in response.json()["errors"]
    assert not Request.objects.exists()


def test_answering_through_the_api_moves_the_derived_state(client, parties, sent):
    client.force_login(parties["head"])
    response = client.post(f"/api/v1/requests/{sent.pk}/answer",
                           {"department": parties["sales"].pk, "answer": "accept", "note": "OK"},
                           content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "awaiting"
    client.force_login(parties["product_head"])
    response = client.post(f"/api/v1/requests/{sent.pk}/answer",
                           {"department": parties["product"].pk, "answer": "difficulty", "note": "Short of staff"},
                           content_type="application/json")
    assert response.status_code == 422 and "missing" in response.json()["errors"]
    assert "Say what is missing" in response.json()["errors"]["missing"][0]  # English reader
    response = client.post(f"/api/v1/requests/{sent.pk}/answer",
                           {"department": parties["product"].pk, "answer": "difficulty", "note": "Short of staff",
                            "missing": ["people"], "proposed_date": "2099-03-01"},
                           content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "difficulty"
    product = next(r for r in body["receipts"] if r["department"]["id"] == parties["product"].pk)
    assert product["missing"] == ["people"] and product["proposed_date"] == "2099-03-01"
    response = client.post(f"/api/v1/requests/{sent.pk}/answer",
                           {"department": parties["sales"].pk, "answer": "accept"}, content_type="application/json")
    assert response.status_code == 403  # may see it, may not answer for sales


def test_a_question_and_the_initiators_reply(client, parties, sent):
    client.force_login(parties["head"])
    client.post(f"/api/v1/requests/{sent.pk}/answer",
                {"department": parties["sales"].pk, "answer": "clarify", "note": "数量?"},
                content_type="application/json")
    client.force_login(parties["host"])
    response = client.post(f"/api/v1/requests/{sent.pk}/reply", {"department": parties["sales"].pk, "note": "500"},
                           content_type="application/json")
    assert response.status_code == 200
    sales = next(r for r in response.json()["receipts"] if r["department"]["id"] == parties["sales"].pk)
    assert sales["state"] == "pending" and sales["answer_due"]
    assert [e["kind"] for e in response.json()["events"]] == ["sent", "answer", "reply"]


def test_the_list_filters_mine_to_answer_overdue_and_state(client, parties, sent):
    other, _ = services.request_create(actor=parties["product_head"], data=request_data(subject="产品部的需求"),
                                       receiving_departments=[parties["sales"]], now=moment(2026, 2, 13))
    services.request_answer(actor=parties["head"], request=other, department=parties["sales"], answer="accept",
                            now=moment(2026, 2, 13, 15))
    client.force_login(parties["head"])

    def subjects(query=""):
        return sorted(r["subject"] for r in client.get(f"/api/v1/requests{query}").json()["items"])

    assert subjects() == sorted([sent.subject, "产品部的需求"])
    assert subjects("?to_answer=true") == [sent.subject]
    assert subjects("?overdue=true") == [sent.subject]  # due 2026-02-14, long past
    assert subjects("?state=awaiting") == [sent.subject]
    assert subjects("?mine=true") == []
    client.force_login(parties["host"])
    assert subjects("?mine=true") == [sent.subject]


def test_the_list_reads_in_a_fixed_number_of_queries(client, parties, sent):
    for n in range(5):
        services.request_create(actor=parties["host"], data=request_data(subject=f"需求{n}"),
                                receiving_departments=[parties["sales"], parties["product"]], now=moment(2026, 2, 13))
    client.force_login(parties["head"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/requests")
    assert response.json()["count"] == 6
    assert len(queries) <= 8, [q["sql"] for q in queries]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_a_request_and_who_gets_404(client, parties, sent, persona):
    client.force_login(parties[persona])
    visible = persona not in ("outsider",)
    for path in ("", "/record.docx", "/record.xlsx"):
        response = client.get(f"/api/v1/requests/{sent.pk}{path}")
        assert response.status_code == (200 if visible else 404), (persona, path)
    response = client.post(f"/api/v1/requests/{sent.pk}/escalate", {}, content_type="application/json")
    allowed = persona in ("admin", "host", "market_head")
    assert response.status_code == (200 if allowed else 403 if visible else 404), persona


def test_a_confidential_request_is_404_for_its_departments_members(client, parties):
    secret, _ = services.request_create(actor=parties["host"], data=request_data(confidential=True),
                                        receiving_departments=[parties["sales"]], now=moment(2026, 2, 13))
    for persona, status in (("member", 404), ("recorder", 404), ("outsider", 404), ("head", 200), ("admin", 200)):
        client.force_login(parties[persona])
        assert client.get(f"/api/v1/requests/{secret.pk}").status_code == status, persona


def test_a_stale_version_is_refused_with_409(client, parties, sent):
    client.force_login(parties["host"])
    ok = client.patch(f"/api/v1/requests/{sent.pk}", {"version": sent.version, "why": "渠道要求"},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["why"] == "渠道要求"
    stale = client.patch(f"/api/v1/requests/{sent.pk}", {"version": sent.version, "why": "覆盖"},
                         content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == sent.version + 1
    sent.refresh_from_db()
    assert sent.why == "渠道要求"


def test_a_token_without_a_session_works_and_a_bad_one_is_401(client, parties, sent):
    from django.core.management import call_command
    out = io.StringIO()
    call_command("token", "create", "head", "cli", stdout=out)
    secret = out.getvalue().split()[-1]
    response = client.get(f"/api/v1/requests/{sent.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert client.get("/api/v1/requests", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_planning_a_meeting_from_a_request_prefills_it(client, parties, sent):
    client.force_login(parties["host"])
    response = client.post(f"/api/v1/requests/{sent.pk}/meetings", {
        "type": "problem_analysis", "start": "2026-03-02T14:00:00+08:00", "end": "2026-03-02T15:00:00+08:00",
        "place": "301会议室"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    from closeloop.meetings.models import Meeting
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.title == sent.subject and sent.what in meeting.objective
    roles = {p.person.username: p.role_list for p in meeting.participants.all()}
    assert roles["host"] == ["host"]
    assert roles["head"] == ["decision_maker"] and roles["product_head"] == ["decision_maker"]
    assert roles["market_head"] == ["decision_maker"]
    detail = client.get(f"/api/v1/requests/{sent.pk}").json()
    assert [m["id"] for m in detail["meetings"]] == [meeting.pk]
    assert detail["events"][-1]["kind"] == "meeting"
    client.force_login(parties["member"])
    response = client.post(f"/api/v1/requests/{sent.pk}/meetings", {
        "start": "2026-03-02T14:00:00+08:00", "end": "2026-03-02T15:00:00+08:00"}, content_type="application/json")
    assert response.status_code == 403


def test_the_record_table_holds_every_field_of_the_seed(client, parties, sent):
    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="accept",
                            note="7月1日前铺货", now=moment(2026, 2, 13, 15))
    client.force_login(parties["host"])  # reads Chinese
    response = client.get(f"/api/v1/requests/{sent.pk}/record.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    for label in ("沟通主题", "发起部门", "接收部门", "沟通时间", "沟通地点/形式", "参与人员", "沟通背景", "沟通目标",
                  "讨论要点", "共识事项"):
        assert label in cells, (label, list(cells))
    assert cells["沟通主题"] == sent.subject and "销售部、产品部" == cells["接收部门"]
    assert "市场部" in cells["发起部门"] and cells["沟通背景"] == sent.background
    assert "销售部" in cells["共识事项"]
    response = client.get(f"/api/v1/requests/{sent.pk}/record.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["沟通主题"] == sent.subject and rows["沟通目标"] == sent.goal
    assert set(rows) >= {"沟通时间", "沟通地点/形式", "参与人员", "讨论要点", "共识事项"}
    assert dt.date.fromisoformat(rows["期望完成时间"]) == sent.due


def test_an_existing_meeting_is_attached_to_the_request(client, parties, sent, meeting):
    client.force_login(parties["outsider"])
    assert client.post(f"/api/v1/requests/{sent.pk}/meetings/link", {"meeting": meeting.pk},
                       content_type="application/json").status_code == 404
    client.force_login(parties["host"])
    response = client.post(f"/api/v1/requests/{sent.pk}/meetings/link", {"meeting": 99999},
                           content_type="application/json")
    assert response.status_code == 422 and "meeting" in response.json()["errors"]
    response = client.post(f"/api/v1/requests/{sent.pk}/meetings/link", {"meeting": meeting.pk},
                           content_type="application/json")
    assert response.status_code == 201
    assert [m["title"] for m in client.get(f"/api/v1/requests/{sent.pk}").json()["meetings"]] == [meeting.title]
    client.force_login(parties["head"])  # sees the request, not a manager of it
    assert client.post(f"/api/v1/requests/{sent.pk}/meetings/link", {"meeting": meeting.pk},
                       content_type="application/json").status_code == 403


def test_the_detail_reads_in_the_same_number_of_queries_however_long_the_story(client, parties, sent):
    client.force_login(parties["host"])
    client.get(f"/api/v1/requests/{sent.pk}")
    with CaptureQueriesContext(connection) as short:
        assert client.get(f"/api/v1/requests/{sent.pk}").status_code == 200
    with CaptureQueriesContext(connection) as short_page:
        assert client.get(f"/requests/{sent.pk}/").status_code == 200
    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="clarify",
                            note="?", now=moment(2026, 2, 13, 11))
    services.request_reply(actor=parties["host"], request=sent, department=parties["sales"], note="!",
                           now=moment(2026, 2, 13, 12))
    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="accept",
                            now=moment(2026, 2, 13, 13))
    services.request_escalate(actor=parties["host"], request=sent, now=moment(2026, 2, 24))
    with CaptureQueriesContext(connection) as long:
        assert len(client.get(f"/api/v1/requests/{sent.pk}").json()["events"]) == 5
    assert len(long) == len(short)
    with CaptureQueriesContext(connection) as long_page:
        assert client.get(f"/requests/{sent.pk}/").status_code == 200
    assert len(long_page) == len(short_page)
