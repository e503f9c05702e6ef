"""The demo's problem analysis has its 问题整改清单, issued with the minutes, its rows in mixed states."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from closeloop.demo.held import HELD_TITLE
from closeloop.demo.organisation import demo_load
from closeloop.meetings.models import Meeting
from closeloop.org.models import Person
from closeloop.outputs.models import Output
from closeloop.outputs.selectors import output_of


@pytest.fixture
def demo(db):
    return demo_load(today=dt.date(2026, 9, 30))


def test_the_held_problem_analysis_has_a_rectification_list_in_mixed_states(demo):
    held = Meeting.objects.get(organisation=demo, title=HELD_TITLE)
    minutes = held.minutes_versions.get()
    assert Output.objects.get(minutes=minutes).sent_at is not None
    with translation.override("zh-hans"):
        view = output_of(held, "rectification", minutes)
    rows = [dict(r["values"]) for r in view.sections[0].rows]
    assert len(rows) == 5 and all(r["root_cause"] and r["verification"] for r in rows)
    assert sorted(r["status"] for r in rows) == ["已完成", "已延期", "未开始", "未开始", "进行中"]
    assert view.summary == {"total": 5, "closed": 1, "open": 4, "all_closed": False}


def test_the_output_page_opens_for_the_host(demo):
    held = Meeting.objects.get(organisation=demo, title=HELD_TITLE)
    client = Client()
    client.force_login(Person.objects.get(username="zhang.market"))
    page = client.get(f"/outputs/meetings/{held.pk}/")
    assert page.status_code == 200 and "修复落地页表单提交报错" in page.text
