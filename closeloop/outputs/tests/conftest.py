"""A held meeting (the minutes' fixtures: record, two action items, a decision) turned into each scenario.

`scenario(type)` sets the meeting's type before the minutes are drafted; `columns(item, **values)` fills an
item's scenario columns the way the recorder does, through the service.
"""

import pytest

from closeloop.actions.models import ActionItem
from closeloop.meetings.models import Meeting
from closeloop.minutes import services as minutes_services
from closeloop.minutes.tests.conftest import cast, client_for, held  # noqa: F401
from closeloop.outputs.selectors import columns_of
from closeloop.outputs.services import item_columns_save


@pytest.fixture
def scenario(held, meeting):  # noqa: F811
    def make(meeting_type):
        Meeting.objects.filter(pk=meeting.pk).update(type=meeting_type)
        meeting.refresh_from_db()
        return meeting
    return make


@pytest.fixture
def items(held, meeting):  # noqa: F811
    """{"cost": 提交成本报告 (王销售, 销售部), "page": 优化落地页引导 (李记录, 市场部)}."""
    rows = ActionItem.objects.filter(meeting=meeting)
    return {"cost": rows.get(task="提交成本报告"), "page": rows.get(task="优化落地页引导")}


@pytest.fixture
def columns(cast):  # noqa: F811
    def fill(item, **values):
        return item_columns_save(actor=cast["recorder"], item=item, data=values, version=columns_of(item).version)
    return fill


@pytest.fixture
def approve(cast, meeting):  # noqa: F811
    """Draft, submit and approve the meeting's minutes; returns them."""
    def run():
        draft = minutes_services.minutes_create_draft(actor=cast["recorder"], meeting=meeting)
        submitted = minutes_services.minutes_submit(actor=cast["recorder"], minutes=draft)
        return minutes_services.minutes_approve(actor=cast["host"], minutes=submitted)
    return run


@pytest.fixture
def rectification(scenario, items, columns):
    """A problem analysis whose two corrective actions have their problem, root cause and verification."""
    scenario("problem_analysis")
    columns(items["cost"], problem="客户投诉激增", root_cause="产品功能与宣传不符", verification="投诉量下降50%")
    columns(items["page"], problem="转化率低于目标", root_cause="落地页引导不清晰", verification="转化率≥5%")
    return items
