"""Loop health after the work: retrospectives overdue and open improvement measures, read from the
retrospectives, on the page (with the list behind each), in the API, the .xlsx export and the monthly report."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from closeloop.actions.models import ActionItem
from closeloop.collab import services as collab
from closeloop.collab.models import Request
from closeloop.conftest import at
from closeloop.insight import dashboard
from closeloop.insight.selectors import Filters
from closeloop.insight.tests.conftest import FEBRUARY, NOW
from closeloop.insight.tests.test_pages import FEB, login
from closeloop.insight.tests.test_requests_loop_costs import _ask
from closeloop.retro.models import Improvement, Retrospective

FIGURES = ["retrospectives_overdue", "improvements_open"]


def _retro(request, due, state="awaiting", sent_at=None):
    return Retrospective.objects.create(request=request, completed_at=at(2026, 2, 2, 10), due=due, state=state,
                                        sent_at=sent_at)


def _measure(retro, owner, department, text, due, status):
    item = ActionItem.objects.create(organisation=owner.organisation, owner=owner, department=department, task=text,
                                     deliverable="改进方案", due=due, original_due=due, status=status)
    return Improvement.objects.create(retrospective=retro, measure=text, owner=owner, due=due,
                                      deliverable="改进方案", item=item)


@pytest.fixture
def retros(people, world):
    """Requests from 市场部 to 销售部 sent early in February 2026, and one to 财务部 only; "now" is 2026-03-02.
    Overdue in February: 二月铺货 (due 02-20, not planned) and 财务对账 (due 02-12, 财务部's). Not counted: a
    planned one, one due in March. Improvements of the report sent 02-25: one open (counted), one done; of the
    report sent 03-01 (after February): one open, not counted for February."""
    d = people["departments"]
    sales, finance = d["sales"], d["finance"]
    finance.head = people["outsider"]  # a department is asked only when someone can answer for it
    finance.save()
    late = _ask(people, "二月铺货", at(2026, 2, 3, 10))
    planned = _ask(people, "节前促销", at(2026, 2, 3, 11))
    march = _ask(people, "三月培训", at(2026, 2, 4, 10))
    sent_march = _ask(people, "三月复盘", at(2026, 2, 4, 11))
    own, _w = collab.request_create(
        actor=people["host"], data={"scenario": "project", "what": "对账", "why": "月结", "due": dt.date(2026, 3, 31),
                                    "acceptance_standard": "对账完成", "priority": "urgent_important",
                                    "needs_leadership": False, "subject": "财务对账"},
        receiving_departments=[finance], now=at(2026, 2, 3, 9))
    _retro(late, dt.date(2026, 2, 20))
    _retro(own, dt.date(2026, 2, 12))
    sent = _retro(planned, dt.date(2026, 2, 18), state="sent", sent_at=at(2026, 2, 25, 10))
    _retro(march, dt.date(2026, 3, 4))
    after = _retro(sent_march, dt.date(2026, 2, 27), state="sent", sent_at=at(2026, 3, 1, 10))
    member = people["member"]
    measures = {
        "open": _measure(sent, member, sales, "答复时限写进部门制度", dt.date(2026, 2, 27), "in_progress"),
        "done": _measure(sent, member, sales, "建立周同步", dt.date(2026, 2, 26), "done"),
        "later": _measure(after, member, sales, "铺货清单模板", dt.date(2026, 3, 20), "not_started"),
    }
    return {"late": late, "own": own, "measures": measures}


def test_the_figures_count_by_hand(people, retros):
    board = dashboard.build(people["admin"], FEBRUARY, now=NOW)
    assert board.loop["retrospectives_overdue"] == 2
    assert [r.subject for r in board.retro_rows] == ["财务对账", "二月铺货"]  # by deadline
    assert board.loop["improvements_open"] == 1
    assert [r.measure for r in board.improvement_rows] == ["答复时限写进部门制度"]
    assert board.improvement_rows[0].overdue  # due 02-27, open on 03-02
    march = dashboard.build(people["admin"], dashboard.rules.period_for("month", dt.date(2026, 3, 1)), now=NOW)
    assert march.loop["retrospectives_overdue"] == 0  # 三月培训 is due 03-04, not yet passed on 03-02
    assert march.loop["improvements_open"] == 2  # the report of 03-01 adds its open measure


def test_departments_and_projects_narrow_them(people, retros, org):
    head = dashboard.build(people["head"], FEBRUARY, now=NOW)  # 销售部: the receiving side of 二月铺货 only
    assert [r.subject for r in head.retro_rows] == ["二月铺货"] and head.loop["improvements_open"] == 1
    finance = dashboard.build(people["outsider"], FEBRUARY, now=NOW)  # 财务部: its own request, no measure
    assert [r.subject for r in finance.retro_rows] == ["财务对账"] and finance.loop["improvements_open"] == 0
    from closeloop.org.models import Project

    project = Project.objects.create(organisation=org, name="Q3推广")
    Request.objects.filter(pk=retros["late"].pk).update(project=project)
    narrowed = dashboard.build(people["admin"], FEBRUARY, Filters(project_id=project.pk), now=NOW)
    assert narrowed.loop["retrospectives_overdue"] == 1 and narrowed.loop["improvements_open"] == 0


@pytest.mark.parametrize("key, expected", [("retrospectives_overdue", {"财务对账", "二月铺货"}),
                                           ("improvements_open", {"答复时限写进部门制度"})])
def test_each_figure_links_to_its_list(client, people, retros, key, expected):
    login(client, people["admin"])
    figure = {f["key"]: f["value"] for f in client.get(
        "/api/v1/insight/loop?from=2026-02-01&to=2026-02-28").json()}[key]
    html = client.get("/insight/" + FEB).content.decode()
    link = f"/insight/loop/{key}/?period=custom&amp;start=2026-02-01&amp;end=2026-02-28"
    assert link in html
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.status_code == 200 and listing.context["total"] == figure == len(expected)
    body = listing.content.decode()
    assert all(text in body for text in expected)


def test_the_lists_keep_the_permissions_and_hide_what_the_reader_may_not_open(client, people, retros):
    sales = people["departments"]["sales"].pk
    login(client, people["outsider"])  # 财务部 may not see 销售部's figures
    assert client.get(f"/insight/loop/retrospectives_overdue/{FEB}&department={sales}").status_code == 404
    assert client.get(f"/insight/loop/improvements_open/{FEB}&department={sales}").status_code == 404
    Request.objects.filter(pk=retros["late"].pk).update(confidential=True)  # named people only
    login(client, people["member"])
    listing = client.get(f"/insight/loop/retrospectives_overdue/{FEB}")
    assert listing.context["total"] == 1  # the figure still counts it for 销售部
    assert "二月铺货" not in listing.content.decode()
    assert f"/retrospectives/{retros['late'].retrospective.pk}/" not in listing.content.decode()


def test_the_export_and_the_report_carry_them(client, people, retros):
    login(client, people["admin"])
    book = load_workbook(io.BytesIO(client.get("/insight/export.xlsx" + FEB).content))
    sheet = book["闭环健康度"]
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["逾期未复盘"] == 2 and values["未关闭的改进措施"] == 1
    document = Document(io.BytesIO(client.get("/insight/report.docx" + FEB).content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "逾期未复盘" in cells and "未关闭的改进措施" in cells


def _page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/insight/?period=quarter&on=2026-02-10").status_code == 200
    return len(ctx.captured_queries)


def test_the_page_reads_them_in_the_same_number_of_queries_however_many(client, people, world):
    login(client, people["admin"])
    _page_queries(client)
    small = _page_queries(client)
    for i in range(6):
        request = _ask(people, f"复盘{i}", at(2026, 1, 5 + i, 10))
        retro = _retro(request, dt.date(2026, 1, 20 + i), state="sent" if i % 2 else "awaiting",
                       sent_at=at(2026, 1, 28, 10) if i % 2 else None)
        if i % 2:
            _measure(retro, people["member"], world["sales"], f"措施{i}", dt.date(2026, 3, 1 + i), "not_started")
    large = _page_queries(client)
    assert small == large <= 15
