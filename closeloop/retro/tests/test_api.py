"""Retrospectives and progress sync through the API: each endpoint, its status codes, the report .docx, and 404
for people who may not see the request."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from closeloop.actions.models import ActionItem

pytestmark = pytest.mark.django_db
BASE = "/api/v1/retrospectives"


def _json(client, method, url, data=None):
    return getattr(client, method)(url, data, content_type="application/json")


def _later(days):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_completing_through_the_api_answers_201_and_404_for_outsiders(done, accepted, client, parties):
    client.force_login(parties["outsider"])
    assert _json(client, "post", BASE, {"request": accepted.pk}).status_code == 404
    client.force_login(parties["head"])
    assert _json(client, "post", BASE, {"request": accepted.pk}).status_code == 403
    client.force_login(parties["host"])
    response = _json(client, "post", BASE, {"request": accepted.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "awaiting" and body["facts"]["summary"]["items"] == 2
    assert _json(client, "post", BASE, {"request": accepted.pk}).status_code == 422  # already complete


def test_a_retrospective_from_plan_to_acknowledged_report(completed, client, parties):
    url = f"{BASE}/{completed.pk}"
    client.force_login(parties["outsider"])
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/report.docx").status_code == 404
    assert client.get(BASE).json()["items"] == []
    client.force_login(parties["host"])
    response = _json(client, "post", f"{url}/meeting", {"start": "2026-03-27T14:00:00+08:00",
                                                         "end": "2026-03-27T15:00:00+08:00"})
    assert response.status_code == 201, response.json()
    assert response.json()["warnings"] == []
    assert _json(client, "post", f"{url}/meeting", {"start": "2026-03-27T14:00:00+08:00",
                                                    "end": "2026-03-27T15:00:00+08:00"}).status_code == 422
    version = client.get(url).json()["version"]
    assert _json(client, "patch", url, {"version": version - 1, "went_well": "x"}).status_code == 409
    response = _json(client, "patch", url, {"version": version, "went_well": "答复及时", "stuck": "人手晚到",
                                            "goals": [{"goal": "明确分工", "result": "reached", "evidence": "纪要"},
                                                      {"goal": "按期铺货", "result": "maybe"}]})
    assert response.status_code == 422 and "goals.1.result" in response.json()["errors"]
    response = _json(client, "patch", url, {"version": version, "went_well": "答复及时", "stuck": "人手晚到",
                                            "goals": [{"goal": "明确分工", "result": "reached", "evidence": "纪要"}]})
    assert response.status_code == 200 and response.json()["goals"][0]["result"] == "reached"
    bad = _json(client, "post", f"{url}/improvements", {"measure": "提前锁定人手", "owner": 999999,
                                                        "due": _later(20), "deliverable": "人力计划"})
    assert bad.status_code == 422 and "owner" in bad.json()["errors"]
    response = _json(client, "post", f"{url}/improvements", {"measure": "提前锁定人手", "owner": parties["head"].pk,
                                                             "due": _later(20), "deliverable": "人力计划"})
    assert response.status_code == 201 and response.json()["item"] is None
    extra = _json(client, "post", f"{url}/improvements", {"measure": "删掉", "owner": parties["head"].pk,
                                                          "due": _later(20), "deliverable": "x"}).json()
    assert client.delete(f"{url}/improvements/{extra['id']}").status_code == 204
    client.force_login(parties["head"])
    assert client.post(f"{url}/send").status_code == 403
    client.force_login(parties["host"])
    response = client.post(f"{url}/send")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "sent" and [m["status"] for m in body["improvements"]] == ["not_started"]
    item = ActionItem.objects.get(pk=body["improvements"][0]["item"])
    assert item.owner == parties["head"] and item.deliverable == "人力计划"
    opened = client.get(f"{BASE}/improvements").json()["items"]
    assert [(row["measure"], row["item"]) for row in opened] == [("提前锁定人手", item.pk)]
    client.force_login(parties["member"])
    assert client.post(f"{url}/acknowledge").status_code == 403
    client.force_login(parties["product_head"])
    response = client.post(f"{url}/acknowledge")
    assert response.status_code == 200
    assert [r["acknowledged_at"] is not None for r in response.json()["readers"]
            if r["person"]["username"] == "product_head"] == [True]
    docx = client.get(f"{url}/report.docx")
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert completed.request.subject in text and "明确分工" in cells and "提前锁定人手" in cells
    assert "人手晚到" in text and "重点渠道铺货" in cells and "Collaboration retrospective report" in text
    client.force_login(parties["host"])  # a Chinese reader gets the Chinese report
    document = Document(io.BytesIO(client.get(f"{url}/report.docx").content))
    assert document.paragraphs[0].text == "协作复盘报告" and document.core_properties.language == "zh-CN"
    assert document.sections[0].page_width.cm == pytest.approx(21.0, abs=0.1)  # A4


def test_progress_through_the_api(accepted, client, parties):
    url = f"{BASE}/progress/{accepted.pk}"
    client.force_login(parties["outsider"])
    assert client.get(url).status_code == 404
    assert _json(client, "post", f"{url}/updates", {"percent": 10, "done": "x"}).status_code == 404
    client.force_login(parties["member"])
    response = _json(client, "post", f"{url}/updates", {"percent": 30, "done": "完成10个渠道", "risks": "人手不足",
                                                        "affected_due": _later(30)})
    assert response.status_code == 201 and response.json()["early_warning"] is True
    assert _json(client, "post", f"{url}/updates", {"percent": 130, "done": "x"}).status_code == 422
    assert _json(client, "post", f"{url}/changes", {"reason": "推迟", "new_due": "2026-12-31"}).status_code == 403
    client.force_login(parties["host"])
    response = _json(client, "post", f"{url}/changes", {"reason": "上市推迟", "new_due": _later(60)})
    assert response.status_code == 201
    change = response.json()["id"]
    client.force_login(parties["head"])
    response = _json(client, "post", f"{url}/changes/{change}/answer", {"department": parties["sales"].pk,
                                                                          "answer": "agree"})
    assert response.status_code == 200 and response.json()["state"] == "pending"
    client.force_login(parties["product_head"])
    response = _json(client, "post", f"{url}/changes/{change}/answer", {"department": parties["product"].pk,
                                                                          "answer": "agree"})
    assert response.json()["state"] == "accepted"
    body = client.get(url).json()
    assert body["early_warnings"] == 1 and body["updates"][0]["percent"] == 30
    assert body["changes"][0]["state"] == "accepted"
