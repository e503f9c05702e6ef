"""Request figures from collaboration requests (worked out by hand across the Spring Festival), the lists
behind every loop-health figure, and the administrators' page of hourly costs."""

import datetime as dt
import re

import pytest

from closeloop.audit.models import AuditEntry
from closeloop.collab import services as collab
from closeloop.collab.models import RequestEvent
from closeloop.conftest import at
from closeloop.insight import rules
from closeloop.insight.models import HourlyCost
from closeloop.insight.tests.test_pages import FEB, login

ASK = {"scenario": "project", "what": "铺货支持", "why": "新品上市", "due": dt.date(2026, 3, 31),
       "acceptance_standard": "铺货完成", "priority": "urgent_important", "needs_leadership": False}


def _ask(people, subject, sent):
    request, _warnings = collab.request_create(actor=people["host"], data={**ASK, "subject": subject},
                                               receiving_departments=[people["departments"]["sales"]], now=sent)
    return request


def _answer(people, request, when, note=""):
    receipt, _warnings = collab.request_answer(actor=people["head"], request=request,
                                               department=people["departments"]["sales"], answer="accept",
                                               note=note, now=when)
    RequestEvent.objects.filter(receipt=receipt, kind="answer").update(at=when)  # the moment it happened


@pytest.fixture
def asked(people, world):
    """Three requests from 市场部 to 销售部 in February 2026 (02-14 is a worked Saturday, 02-15…02-23 holidays):
    - Tue 02-10 10:00, answered Wed 02-11 11:00 — in time (due 02-11); 8 h + 2 h = 10 working hours;
    - Fri 02-13 17:00, answered Tue 02-24 10:00 — late (due Sat 02-14); 1 h + 9 h + 1 h = 11 working hours;
    - Wed 02-25 10:00, not answered — due 02-26, overdue on Monday 03-02."""
    first = _ask(people, "二月铺货", at(2026, 2, 10, 10))
    _answer(people, first, at(2026, 2, 11, 11))
    second = _ask(people, "节前促销", at(2026, 2, 13, 17))
    _answer(people, second, at(2026, 2, 24, 10), note="节假日后答复")
    third = _ask(people, "三月培训", at(2026, 2, 25, 10))
    return {"first": first, "second": second, "third": third}


def test_working_hours_count_only_office_time_on_working_days():
    working = {dt.date(2026, 2, 13), dt.date(2026, 2, 14), dt.date(2026, 2, 24)}.__contains__
    start, end = at(2026, 2, 13, 17), at(2026, 2, 24, 10)
    assert rules.working_hours_between(start, end, working) == pytest.approx(11)
    assert rules.working_hours_between(end, start, working) == 0
    assert rules.working_hours_between(at(2026, 2, 13, 19), at(2026, 2, 13, 22), working) == 0


def test_requests_answered_in_time_and_the_median_answer_time_per_department(client, people, asked):
    entries = {e["department"]["name"]: e for e in login(client, people["admin"]).get(
        "/api/v1/insight/departments?from=2026-02-01&to=2026-02-28").json()}
    loop = {f["key"]: f["value"] for f in client.get("/api/v1/insight/loop?from=2026-02-01&to=2026-02-28").json()}
    sales = entries["销售部"]
    assert sales["requests_received"] == 3 and sales["requests_answered_on_time"] == 1
    assert sales["requests_on_time_rate"] == pytest.approx(1 / 3)
    assert sales["answer_hours_median"] == pytest.approx(10.5)
    assert entries["市场部"]["requests_received"] == 0 and entries["市场部"]["answer_hours_median"] is None
    assert loop["requests_unanswered"] == 1


def test_the_unanswered_figure_links_to_exactly_those_requests(client, people, asked):
    html = login(client, people["admin"]).get("/insight/" + FEB).content.decode()
    sales = people["departments"]["sales"].pk
    links = re.findall(r'href="(/requests/\?[^"]*overdue=1[^"]*)"', html)
    assert links, "the unanswered figure links to the requests list"
    listing = client.get(links[0].replace("&amp;", "&"))
    assert [r.subject for r in listing.context["requests"]] == ["三月培训"]
    received = client.get(f"/requests/?tab=all&department={sales}&sent_from=2026-02-01&sent_to=2026-02-28")
    assert {r.subject for r in received.context["requests"]} == {"二月铺货", "节前促销", "三月培训"}
    assert 'id="narrowed"' in received.content.decode()


@pytest.mark.parametrize("key", ["decisions_without_item", "disagreements_overdue", "minutes_unsigned_late"])
def test_each_loop_figure_links_to_the_meetings_behind_it(client, people, world, key):
    login(client, people["admin"])
    figure = {f["key"]: f["value"] for f in client.get(
        "/api/v1/insight/loop?from=2026-02-01&to=2026-02-28").json()}[key]
    html = client.get("/insight/" + FEB).content.decode()
    link = f"/insight/loop/{key}/?period=custom&amp;start=2026-02-01&amp;end=2026-02-28"
    assert link in html
    listing = client.get(link.replace("&amp;", "&"))
    assert figure >= 1 and listing.status_code == 200
    assert listing.context["total"] == figure
    assert "二月协作会" in listing.content.decode()


def test_the_lists_behind_loop_figures_keep_the_pages_permissions(client, people, world):
    sales = world["sales"].pk
    login(client, people["outsider"])  # 财务部: may not see 销售部
    assert client.get(f"/insight/loop/decisions_without_item/{FEB}&department={sales}").status_code == 404
    login(client, people["admin"])
    assert client.get(f"/insight/loop/no_such_figure/{FEB}").status_code == 404


@pytest.mark.parametrize("who", ["host", "recorder", "member", "head", "outsider"])
def test_only_administrators_reach_the_hourly_costs(client, people, who):
    login(client, people[who])
    assert client.get("/insight/costs/").status_code == 404
    assert client.post("/insight/costs/", {"title": "经理", "hourly_cost": "1"}).status_code == 404
    assert not HourlyCost.objects.exists()


def test_an_administrator_sets_changes_and_removes_a_rate_with_audit(client, people):
    login(client, people["admin"])
    assert client.get("/insight/costs/").status_code == 200
    response = client.post("/insight/costs/", {"title": " 经理 ", "hourly_cost": "300"})
    assert response.status_code == 302
    cost = HourlyCost.objects.get()
    assert cost.title == "经理" and cost.hourly_cost == 300
    client.post("/insight/costs/", {"title": "经理", "hourly_cost": "350.50"})
    cost.refresh_from_db()
    assert cost.hourly_cost == pytest.approx(350.5) and HourlyCost.objects.count() == 1
    actions = list(AuditEntry.objects.filter(action__startswith="insight.hourly_cost").values_list("action",
                                                                                                  flat=True))
    assert actions == ["insight.hourly_cost_set", "insight.hourly_cost_set"]
    assert client.post(f"/insight/costs/{cost.pk}/delete/").status_code == 302
    assert not HourlyCost.objects.exists()
    assert AuditEntry.objects.filter(action="insight.hourly_cost_delete").exists()


@pytest.mark.parametrize("value,message", [("-1", "不小于 0"), ("123456789", "8 位"), ("abc", "数字"),
                                           ("1.005", "2 位")])
def test_a_bad_rate_is_refused_naming_the_field_in_the_readers_language(client, people, value, message):
    login(client, people["admin"])
    response = client.post("/insight/costs/", {"title": "经理", "hourly_cost": value})
    assert response.status_code == 422
    errors = response.context["form"].errors["hourly_cost"]
    assert any(message in e for e in errors), errors
    assert not HourlyCost.objects.exists()


def test_the_rate_changes_the_meeting_cost_on_the_page(client, people, world):
    login(client, people["admin"])
    before = {f["key"]: f["value"] for f in client.get(
        "/api/v1/insight/meetings?from=2026-02-01&to=2026-02-28").json()}["meeting_cost"]
    client.post("/insight/costs/", {"title": "经理", "hourly_cost": "600"})
    after = {f["key"]: f["value"] for f in client.get(
        "/api/v1/insight/meetings?from=2026-02-01&to=2026-02-28").json()}["meeting_cost"]
    assert after > before


def test_meetings_without_decisions_and_every_meeting_figure_link_to_their_lists(client, people, world):
    login(client, people["admin"])
    figures = {f["key"]: f["value"] for f in client.get("/api/v1/insight/meetings?from=2026-02-01&to=2026-02-28")
               .json()}
    html = client.get("/insight/" + FEB).content.decode()
    link = "/insight/loop/meetings_without_decisions/?period=custom&amp;start=2026-02-01&amp;end=2026-02-28"
    assert link in html
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.context["total"] == figures["meetings_without_decisions"] == 1
    assert "二月周例会" in listing.content.decode() and "二月协作会" not in listing.content.decode()
    board = client.get("/insight/" + FEB).context["board"]
    for table in ("meetings", "loop"):
        assert all(cell.link for cell in board.tables[table].rows[0]), table


def test_the_answer_time_and_meeting_cost_charts_come_from_the_figures(client, people, asked):
    charts = {c.key: c for c in login(client, people["admin"]).get("/insight/" + FEB).context["charts"]}
    answers = charts["answer_times"]
    # 10 and 11 working hours (the third request is unanswered): both in the bucket of 9 to 18 hours.
    assert [row[0] for row in answers.rows] == ["0–2", "2–4", "4–9", "9–18", "≥18"]
    assert [row[1] for row in answers.rows] == ["0", "0", "0", "2", "0"]
    assert answers.title == "协作需求首次答复用时分布" and answers.headers[0] == "工作小时"
    cost = dict((row[0], row[1]) for row in charts["meeting_cost"].rows)
    assert cost["市场部"] == "1400" and cost["销售部"] == "0"  # 经理 300 + 专员 100 an hour, 1.5 h + 2 h
    assert "各主办部门会议成本" in str(charts["meeting_cost"].svg)
