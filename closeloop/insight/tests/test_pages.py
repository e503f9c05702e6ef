"""The page, the panels, the exports and the API: who sees what (others get 404), charts, files, query counts."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from closeloop.insight import notifications
from closeloop.insight.tests.conftest import FEBRUARY

FEB = "?period=custom&start=2026-02-01&end=2026-02-28"
SVG = "{http://www.w3.org/2000/svg}"


def login(client, person):
    client.force_login(person)
    return client


def dept_names(response):
    return [row[0].value for row in response.context["tables"]["departments"].rows]


@pytest.mark.parametrize("who, expected", [
    ("admin", ["市场部", "财务部", "销售部"]), ("head", ["销售部"]), ("member", ["销售部"]), ("outsider", ["财务部"]),
])
def test_each_person_sees_the_departments_they_are_entitled_to(client, people, world, who, expected):
    response = login(client, people[who]).get("/insight/" + FEB)
    assert response.status_code == 200
    assert sorted(dept_names(response)) == sorted(expected)


@pytest.mark.parametrize("who, department, status", [
    ("member", "market", 404), ("outsider", "sales", 404), ("head", "finance", 404), ("head", "sales", 200),
    ("admin", "finance", 200),
])
def test_a_department_filter_outside_ones_rights_is_404(client, people, world, who, department, status):
    pk = world[department].pk
    assert login(client, people[who]).get(f"/insight/{FEB}&department={pk}").status_code == status
    api = client.get(f"/api/v1/insight/departments?from=2026-02-01&to=2026-02-28&department={pk}")
    assert api.status_code == status


@pytest.mark.parametrize("who, status", [("member", 200), ("head", 200), ("admin", 200), ("outsider", 404),
                                         ("host", 404)])
def test_a_persons_figures_are_for_them_their_head_and_the_pmo(client, people, world, who, status):
    member = people["member"]
    assert login(client, people[who]).get(f"/insight/person/{member.pk}/{FEB}").status_code == status
    assert client.get(f"/api/v1/insight/people/{member.pk}?from=2026-02-01&to=2026-02-28").status_code == status


def test_the_page_links_each_number_to_its_list(client, people, world):
    response = login(client, people["admin"]).get("/insight/" + FEB)
    html = response.content.decode()
    sales = world["sales"].pk
    link = f"/actions/department/{sales}/?status=open&amp;overdue=yes&amp;due_from=2026-02-01&amp;due_to=2026-02-28"
    assert link in html
    listing = client.get(f"/actions/department/{sales}/?status=open&overdue=yes&due_from=2026-02-01&due_to=2026-02-28")
    tasks = {i.task for i in listing.context["items"]}
    assert tasks == {"尽快整理渠道数据", "更新报价"}
    late = client.get(f"/actions/department/{sales}/?status=done&timeliness=late&due_from=2026-02-01&due_to=2026-02-28")
    assert {i.task for i in late.context["items"]} == {"客户回访", "合同复核"}
    meetings = client.get(f"/meetings/?start_from=2026-02-01&start_to=2026-02-28&host_department={world['market'].pk}")
    assert {m.title for m in meetings.context["meetings"]} == {"二月协作会", "二月周例会"}


def test_charts_are_svg_with_labels_and_no_inline_style(client, people, world):
    response = login(client, people["admin"]).get("/insight/" + FEB)
    charts = response.context["charts"]
    assert [c.key for c in charts] == ["on_time", "overdue_trend", "meeting_hours", "meeting_cost", "answer_times",
                                         "delays", "funnel"]
    for chart in charts:
        root = ET.fromstring(str(chart.svg))
        assert root.tag == SVG + "svg"
        texts = [t.text for t in root.iter(SVG + "text")]
        assert chart.title in texts
        assert chart.headers[0] in texts  # the x axis label
        assert all("style" not in el.attrib for el in root.iter()) and not list(root.iter(SVG + "style"))
    on_time = ET.fromstring(str(charts[0].svg))
    labels = [t.text for t in on_time.iter(SVG + "text")]
    assert "销售部" in labels and "各部门按时完成率" in labels and "部门" in labels  # zh-hans reader: CJK labels
    assert ["销售部", "20%"] in charts[0].rows
    assert "<script" not in response.content.decode().split("<main>")[1]


def test_the_page_speaks_english_to_english_readers(client, people, world):
    people["admin"].language = "en"
    people["admin"].save()
    response = login(client, people["admin"]).get("/insight/" + FEB)
    assert "On-time rate by department" in [c.title for c in response.context["charts"]]


def test_xlsx_export_has_typed_numbers_and_dates(client, people, world):
    response = login(client, people["admin"]).get("/insight/export.xlsx" + FEB)
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    rate = rows["销售部"][header.index("按时完成率")]
    assert isinstance(rate, float) and rate == pytest.approx(0.2)
    weeks = book.worksheets[-1]
    assert weeks.cell(row=2, column=1).is_date


def test_the_report_opens_in_python_docx_with_pictures_and_tables(client, people, world):
    response = login(client, people["admin"]).get("/insight/report.docx" + FEB)
    document = Document(io.BytesIO(response.content))
    assert len(document.inline_shapes) == 7  # one picture per chart of the page
    assert len(document.tables) == 4
    assert "销售部" in [cell.text for row in document.tables[0].rows for cell in row.cells]


def test_the_monthly_report_goes_to_the_management_group_once_on_the_first_working_day(org, people, world):
    from closeloop.conftest import at
    from closeloop.notify.models import OutboxMessage

    # 2026-03-01 is a Sunday: nothing. Monday 03-02 is the first working day of March.
    assert notifications.monthly_report_scan(now=at(2026, 3, 1, 10)) == 0
    assert notifications.monthly_report_scan(now=at(2026, 3, 2, 10)) == 1
    notifications.monthly_report_scan(now=at(2026, 3, 2, 11))
    messages = list(OutboxMessage.objects.filter(kind="insight.report", channel="email"))
    assert OutboxMessage.objects.filter(kind="insight.report", channel="inbox").count() == 1
    assert [m.recipient_id for m in messages] == [people["admin"].pk]
    assert messages[0].attachments[0]["filename"].endswith(".docx")
    assert "2026-02-01" in messages[0].subject
    # Like every mail, a plain-text part and an HTML part saying the same (issue 14, point 6).
    assert "management report" in messages[0].body_text.lower() or "管理报告" in messages[0].body_text
    assert messages[0].body_html.startswith("<!DOCTYPE html>") and "/insight/" in messages[0].body_html


def test_the_departments_endpoint_has_exactly_the_documented_fields(client, people, world):
    response = login(client, people["admin"]).get("/api/v1/insight/departments?from=2026-02-01&to=2026-02-28")
    entries = {e["department"]["name"]: e for e in response.json()}
    assert set(entries["销售部"]) == {"department", "items_open", "items_done_on_time", "items_done_late",
                                     "items_overdue", "on_time_rate", "meeting_person_hours", "requests_received",
                                     "requests_answered_on_time", "requests_on_time_rate", "answer_hours_median"}
    assert entries["销售部"]["items_overdue"] == 2 and entries["销售部"]["on_time_rate"] == pytest.approx(0.2)
    assert entries["市场部"]["meeting_person_hours"] == pytest.approx(8.5)
    bad = client.get("/api/v1/insight/departments?from=2026-02-28&to=2026-02-01")
    assert bad.status_code == 422 and "to" in bad.json()["errors"]
    missing = client.get("/api/v1/insight/departments?to=2026-02-01")
    assert missing.status_code == 422 and "from" in missing.json()["errors"]
    assert client.get("/api/v1/insight/meetings?from=2026-02-01&to=2026-02-28").status_code == 200
    loop = client.get("/api/v1/insight/loop?from=2026-02-01&to=2026-02-28").json()
    assert {f["key"]: f["value"] for f in loop}["decisions_without_item"] == 1


def _page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/insight/?period=quarter&on=2026-02-10").status_code == 200
    return len(ctx.captured_queries)


def test_the_quarter_page_needs_the_same_few_queries_whatever_the_data(client, org, people, world):
    from closeloop.actions.models import ActionItem
    from closeloop.conftest import at
    from closeloop.meetings.services.planning import meeting_create

    login(client, people["admin"])
    _page_queries(client)  # the first visit creates the default policy
    small = _page_queries(client)
    for i in range(20):
        meeting_create(actor=people["host"], recorder=people["recorder"], data={
            "type": "decision", "title": f"会{i}", "objective": "x", "start": at(2026, 2, 1 + i, 9),
            "end": at(2026, 2, 1 + i, 10)})
        ActionItem.objects.create(organisation=org, owner=people["member"], department=world["sales"], task=f"任务{i}",
                                  due=FEBRUARY.start.replace(day=1 + i), status="not_started")
    large = _page_queries(client)
    assert small == large
    assert large <= 15


def test_administrators_send_the_report_on_demand_and_others_cannot(client, people, world):
    from closeloop.notify.models import OutboxMessage

    form = {"period": "custom", "start": "2026-02-01", "end": "2026-02-28"}
    assert login(client, people["head"]).post("/insight/report/send/", form).status_code == 404
    response = login(client, people["admin"]).post("/insight/report/send/", form)
    assert response.status_code == 302 and "start=2026-02-01" in response["Location"]
    client.post("/insight/report/send/", form)
    sent = OutboxMessage.objects.filter(kind="insight.report", channel="email")
    assert sent.count() == 2 and all(m.recipient_id == people["admin"].pk for m in sent)


def test_each_figure_is_explained_on_the_page(client, people, world):
    body = login(client, people["admin"]).get("/insight/" + FEB).content.decode()
    assert "按时完成 ÷(按时完成 + 延期完成 + 逾期)" in body


def test_the_command_writes_the_report_of_a_month(org, people, world, tmp_path):
    from django.core.management import call_command

    target = tmp_path / "report.docx"
    call_command("insight", "report", "--month", "2026-02", "--output", str(target))
    document = Document(io.BytesIO(target.read_bytes()))
    assert "2026-02-01" in "\n".join(p.text for p in document.paragraphs)


def test_a_custom_period_without_its_end_names_the_field(client, people, world):
    response = login(client, people["admin"]).get("/insight/?period=custom&start=2026-02-01")
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["自定义期间需要填写最后一天。"]
