"""Collaboration fixtures: 市场部 (with its head) asks 销售部 and 产品部; fixed moments around 2026's holidays."""

import datetime as dt

import pytest

from closeloop.actions.models import ActionItem
from closeloop.conftest import SHANGHAI, make_person
from closeloop.org.choices import Role
from closeloop.org.models import Department


def moment(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def parties(people):
    """people + market head, a product department with an English-speaking head."""
    org = people["admin"].organisation
    market, sales = people["departments"]["market"], people["departments"]["sales"]
    market_head = make_person(org, "market_head", market, role=Role.HEAD, name="张经理")
    market.head = market_head
    market.save()
    product = Department.objects.create(organisation=org, name="产品部")
    product_head = make_person(org, "product_head", product, role=Role.HEAD, name="Lina", language="en")
    product.head = product_head
    product.save()
    return {**people, "market_head": market_head, "product_head": product_head,
            "market": market, "sales": sales, "product": product}


def request_data(**overrides):
    data = {
        "subject": "2026年Q3新品上市营销活动协作", "scenario": "project",
        "background": "为保障新品顺利上市,需销售部提前铺货、产品部提供培训资料",
        "goal": "明确各部门职责分工、铺货时间节点、培训资料交付标准",
        "what": "销售部铺货;产品部提供产品卖点手册", "why": "新品7月上市",
        "due": dt.date(2026, 6, 30), "acceptance_standard": "手册经销售部确认", "priority": "urgent_important",
        "needs_leadership": False,
    }
    data.update(overrides)
    return data


@pytest.fixture
def sent(parties):
    """A request from the host (市场部) to 销售部 and 产品部, sent Friday 2026-02-13 (answer due Sat 02-14)."""
    from closeloop.collab.services import request_create

    request, _warnings = request_create(
        actor=parties["host"], data=request_data(), receiving_departments=[parties["sales"], parties["product"]],
        now=moment(2026, 2, 13))
    return request

@pytest.fixture
def with_meeting(sent, parties):
    """A meeting planned from the request, with an item for 产品部."""
    from closeloop.collab import services

    meeting = services.request_plan_meeting(actor=parties["host"], request=sent, data={
        "type": "problem_analysis", "start": dt.datetime(2026, 3, 2, 14, tzinfo=SHANGHAI),
        "end": dt.datetime(2026, 3, 2, 15, tzinfo=SHANGHAI)})
    ActionItem.objects.create(organisation=sent.organisation, meeting=meeting, task="提供产品卖点手册",
                              deliverable="手册经销售部确认", owner=parties["product_head"],
                              department=parties["product"], due=dt.date(2026, 3, 20))
    return meeting


@pytest.fixture
def memo(with_meeting, sent, parties):
    from closeloop.collab import services

    return services.memo_create(actor=parties["host"], request=sent)


def sign_all_remaining(memo, parties):
    from closeloop.collab import services

    for signature in memo.signatures.filter(signed_at__isnull=True).select_related("department"):
        services.memo_sign(signature=signature, actor=signature.department.head)
    memo.refresh_from_db()
    return memo
