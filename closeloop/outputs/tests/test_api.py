"""The outputs through the API under the minutes: JSON, .docx and .xlsx, an item's columns (409 on a stale
version, 422 naming the field), the allocation line confirmed by the receiving head only; 404 for anyone
not entitled to the meeting and for a kind that is not the meeting type's output."""

import io
import json

import pytest
from django.test import Client
from docx import Document

from closeloop.org.services import token_create
from closeloop.outputs.models import ItemColumns

pytestmark = pytest.mark.django_db


def api(person):
    client = Client(headers={"Authorization": f"Bearer {token_create(person=person, name='t')[1]}"})

    def call(method, path, body=None):
        kwargs = {"content_type": "application/json"} if method not in ("get",) else {}
        args = (json.dumps(body),) if method not in ("get",) else ()
        return getattr(client, method)(f"/api/v1/minutes{path}", *args, **kwargs)
    return call


def test_the_rectification_list_as_json_docx_and_xlsx(rectification, approve, cast):
    minutes = approve()
    host = api(cast["host"])
    body = host("get", f"/{minutes.pk}/outputs/rectification").json()
    assert body["title"] == "问题整改清单" and body["generated_at"] and body["summary"]["open"] == 2
    [section] = body["sections"]
    assert [c["label"] for c in section["columns"]][1:4] == ["问题", "根本原因", "整改措施"]
    assert {r["cells"]["verification"] for r in section["rows"]} == {"投诉量下降50%", "转化率≥5%"}
    docx = host("get", f"/{minutes.pk}/outputs/rectification.docx")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in docx["Content-Disposition"]
    tables = Document(io.BytesIO(docx.content)).tables
    assert any(cell.text == "落地页引导不清晰" for t in tables for row in t.rows for cell in row.cells)
    xlsx = host("get", f"/{minutes.pk}/outputs/rectification.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_labels_follow_the_callers_language(rectification, approve, cast):
    minutes = approve()
    body = api(cast["member"])("get", f"/{minutes.pk}/outputs/rectification").json()
    assert body["title"] == "Rectification list"
    assert body["sections"][0]["columns"][2]["label"] == "Root cause"


def test_another_kind_than_the_meetings_is_not_found(rectification, approve, cast):
    minutes = approve()
    host = api(cast["host"])
    for path in ("work-plan", "work-plan.docx", "resource-allocation.xlsx", "no-such-kind"):
        assert host("get", f"/{minutes.pk}/outputs/{path}").status_code == 404, path


def test_an_outsider_gets_404_from_every_endpoint(rectification, approve, cast):
    minutes = approve()
    outsider, item = api(cast["outsider"]), rectification["cost"]
    base = f"/{minutes.pk}/outputs/rectification"
    for method, path, body in (("get", base, None), ("get", base + ".docx", None), ("get", base + ".xlsx", None),
                               ("get", f"{base}/items/{item.pk}", None),
                               ("put", f"{base}/items/{item.pk}", {"version": 1, "problem": "x"}),
                               ("post", f"{base}/items/{item.pk}/confirm", None)):
        assert outsider(method, path, body).status_code == 404, (method, path)
    assert ItemColumns.objects.get(item=item).problem == "客户投诉激增"


def test_columns_through_the_api_with_versions(rectification, approve, cast):
    minutes = approve()
    recorder, item = api(cast["recorder"]), rectification["cost"]
    path = f"/{minutes.pk}/outputs/rectification/items/{item.pk}"
    saved = recorder("put", path, {"version": 1, "root_cause": "宣传口径未与产品对齐"})
    assert saved.status_code == 200 and saved.json()["version"] == 2 and saved.json()["problem"] == "客户投诉激增"
    stale = recorder("put", path, {"version": 1, "root_cause": "另一个分析"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    wrong = recorder("put", path, {"version": 2, "priority": 1})
    assert wrong.status_code == 422 and "priority" in wrong.json()["errors"]["__all__"][0]
    assert api(cast["member"])("put", path, {"version": 2, "problem": "x"}).status_code == 403
    assert ItemColumns.objects.get(item=item).root_cause == "宣传口径未与产品对齐"


@pytest.fixture
def allocation(scenario, items, columns, approve, cast):
    scenario("resource_review")
    columns(items["cost"], need="客服需求", priority=1, resources="1人×2周", allocation="6月下旬投入1人")
    return approve(), items["cost"]  # 提交成本报告: 销售部, whose head is 赵经理


def test_the_receiving_departments_head_confirms_its_line(allocation, cast):
    minutes, item = allocation
    path = f"/{minutes.pk}/outputs/resource-allocation/items/{item.pk}/confirm"
    assert api(cast["member"])("post", path).status_code == 403  # in 销售部 but not its head
    assert api(cast["market_head"])("post", path).status_code == 403  # another department's head
    confirmed = api(cast["head"])("post", path)
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_by"] == cast["head"].pk
    again = api(cast["head"])("post", path)
    assert again.status_code == 422
    body = api(cast["host"])("get", f"/{minutes.pk}/outputs/resource-allocation").json()
    [row] = [r for r in body["sections"][0]["rows"] if r["item_id"] == item.pk]
    assert row["cells"]["confirmation"].startswith("赵经理 于 ")


def test_the_head_confirms_from_the_page(allocation, cast, client_for):
    minutes, item = allocation
    head = client_for(cast["head"])
    page = head.get(f"/outputs/minutes/{minutes.pk}/")
    assert f'action="/outputs/items/{item.pk}/confirm/"' in page.text
    assert "/confirm/" not in client_for(cast["member"]).get(f"/outputs/minutes/{minutes.pk}/").text
    response = head.post(f"/outputs/items/{item.pk}/confirm/", {"next": f"/outputs/minutes/{minutes.pk}/"})
    assert response.status_code == 302
    assert ItemColumns.objects.get(item=item).confirmed_by == cast["head"]
    assert "赵经理 于 " in head.get(f"/outputs/minutes/{minutes.pk}/").text


@pytest.mark.parametrize("meeting_type, kind", [("kickoff", "work-plan"), ("problem_analysis", "rectification"),
                                                ("resource_review", "resource-allocation"),
                                                ("retrospective", "next-phase-plan")])
def test_every_kind_as_docx_and_xlsx_holds_the_seeds_columns(scenario, items, columns, approve, cast, meeting_type,
                                                              kind):
    from openpyxl import load_workbook

    from .test_columns import SEED

    scenario(meeting_type)
    if meeting_type == "retrospective":  # an adjustment, so the plan's second table has a row
        columns(items["cost"], goal="Q3 转化率达到 5%", adjustment="生产线方案改为分两期")
    minutes = approve()
    host = api(cast["host"])
    title, sections = SEED[meeting_type]
    docx = host("get", f"/{minutes.pk}/outputs/{kind}.docx")
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    texts = {p.text for p in document.paragraphs} | {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert any(title in text for text in texts)
    xlsx = host("get", f"/{minutes.pk}/outputs/{kind}.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c}
    for columns in sections.values():
        assert set(columns) <= texts and set(columns) <= cells, (kind, set(columns) - texts, set(columns) - cells)
    assert {"提交成本报告", "优化落地页引导"} <= cells  # its rows are the meeting's action items
