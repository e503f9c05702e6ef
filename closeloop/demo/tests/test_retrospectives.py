"""The demo's completed request: its retrospective report was sent, and of its two improvement measures one is
done and one is open (it shows on the organisation's list)."""

import datetime as dt

import pytest

from closeloop.demo.organisation import demo_load
from closeloop.demo.retrospectives import MEASURES, SUBJECT
from closeloop.org.models import Person
from closeloop.retro.models import Retrospective
from closeloop.retro.selectors import open_improvements

TODAY = dt.date(2026, 9, 30)


@pytest.fixture
def demo(db):
    return demo_load(today=TODAY)


def test_the_demo_holds_a_sent_report_with_one_open_measure(demo):
    retro = Retrospective.objects.get(request__organisation=demo, request__subject=SUBJECT)
    assert retro.state == "sent" and retro.meeting.type == "retrospective"
    assert retro.facts["summary"]["late"] == 1 and retro.facts["summary"]["early_warnings"] == 1
    statuses = {m.measure: m.item.status for m in retro.improvements.select_related("item")}
    assert statuses == {MEASURES[0]: "done", MEASURES[1]: "not_started"}
    assert retro.readers.filter(acknowledged_at__isnull=False).count() == 1
    pmo = Person.objects.get(username="pmo")
    assert [m.measure for m in open_improvements(pmo)] == [MEASURES[1]]


def test_the_demo_can_be_reloaded(demo):
    demo_load(reset=True, today=TODAY)
    assert Retrospective.objects.filter(request__subject=SUBJECT).count() == 1
    pmo = Person.objects.get(username="pmo")
    assert [m.measure for m in open_improvements(pmo)] == [MEASURES[1]]


def test_insight_counts_the_demos_open_measure(demo):
    from closeloop.conftest import at
    from closeloop.insight import dashboard, rules

    pmo = Person.objects.get(username="pmo")
    board = dashboard.build(pmo, rules.period_for("quarter", TODAY), now=at(2026, 9, 30, 18))
    assert [r.measure for r in board.improvement_rows] == [MEASURES[1]]
    assert board.loop["improvements_open"] == 1
