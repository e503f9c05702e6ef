"""Each figure against the hand-made February of tests/conftest.py, worked out by hand here."""

import pytest

from closeloop.insight import dashboard
from closeloop.insight import measures as m
from closeloop.insight.selectors import Filters, context_for, item_facts, meeting_rows
from closeloop.insight.tests.conftest import FEBRUARY, NOW


@pytest.fixture
def ctx(org, world):
    return context_for(org, FEBRUARY, NOW)


def test_item_figures_of_a_department_follow_the_working_calendar(ctx, world):
    facts, _trend = item_facts(ctx, group_by="department_id")
    sales = m.figures(m.DEPARTMENT_MEASURES, facts[world["sales"].pk])
    # Due in February, cancelled left out: on_time, late2, late4, overdue_vague, overdue_no_deliverable.
    assert sales["items_open"] == 2
    assert sales["items_overdue"] == 2
    assert sales["items_done_on_time"] == 1
    assert sales["items_done_late"] == 2
    assert sales["on_time_rate"] == pytest.approx(1 / (1 + 2 + 2))
    # Delays 2 and 4 working days (calendar days would be 11 and 13): median 3, p90 2 + 0.9 × 2.
    assert sales["delay_median"] == pytest.approx(3)
    assert sales["delay_p90"] == pytest.approx(3.8)
    assert sales["delays_recorded"] == 1
    assert sales["change_requests"] == 2
    assert sales["date_changes_asked"] == 1
    assert sales["date_changes_granted"] == 1
    assert sales["risks_early"] == 1
    assert sales["risks_late"] == 1
    # Not SMART: the vague 尽快 and the one without a deliverable.
    assert sales["smart_share"] == pytest.approx(3 / 5)
    market = m.figures(m.DEPARTMENT_MEASURES, facts[world["market"].pk])
    assert (market["items_done_on_time"], market["on_time_rate"], market["delay_median"]) == (1, 1.0, None)


def test_the_overdue_trend_counts_open_items_past_due_at_each_week_end(ctx, world):
    _facts, trend = item_facts(ctx, group_by="department_id")
    weeks = {monday.isoformat(): n for monday, n in trend.items()}
    # Week of 01-26 ends 02-01: nothing due yet. Week of 02-09 ends 02-15: late4 (due 02-12) and late2 (02-13),
    # both done later. Week of 02-23 ends 03-01: overdue_no_deliverable (02-25) and overdue_vague (02-26).
    assert weeks["2026-01-26"] == 0
    assert weeks["2026-02-09"] == 2
    assert weeks["2026-02-16"] == 2
    assert weeks["2026-02-23"] == 2


def test_meeting_figures(ctx, world):
    rows = meeting_rows(ctx)
    figures = m.figures(m.MEETING_MEASURES, rows)
    assert figures["meetings"] == 2
    assert figures["meeting_hours"] == pytest.approx(3.5)
    # 1.5 h × 3 participants + 2 h × 2 participants.
    assert figures["meeting_person_hours"] == pytest.approx(8.5)
    # 经理 300 + 专员 100 per hour; the member's title has no rate: 1.5 × 400 + 2 × 400.
    assert figures["meeting_cost"] == pytest.approx(1400)
    # The weekly sync has no objective and no topic; the first meets every rule.
    assert figures["rule_share"] == pytest.approx(0.5)
    assert figures["decisions_per_meeting"] == pytest.approx(1.5)
    assert figures["items_per_meeting"] == pytest.approx(0.5)
    assert figures["outcome_share"] == pytest.approx(1.0)
    assert figures["planned_minutes"] == 45
    assert figures["actual_minutes"] == pytest.approx(55)
    assert figures["meetings_without_decisions"] == 1
    hosted = m.figures(m.HOSTED_MEASURES, rows)
    assert hosted["minutes_on_time_share"] == pytest.approx(0.5)
    assert hosted["minutes_approved_share"] == pytest.approx(0.5)
    assert hosted["distributed_on_time_share"] == pytest.approx(1.0)
    assert hosted["signoff_hours_median"] == pytest.approx(24)


def test_loop_health(ctx, world):
    loop = m.figures(m.LOOP_MEASURES, meeting_rows(ctx))
    assert loop == {"decisions_without_item": 1, "disagreements_overdue": 1, "minutes_unsigned_late": 1}


def test_meeting_cost_is_empty_without_rates(ctx, world):
    ctx.rates = {}
    assert m.meeting_cost(meeting_rows(ctx)) is None


def test_filters_narrow_items_and_meetings(org, people, world):
    board = dashboard.build(people["admin"], FEBRUARY, Filters(department_id=world["sales"].pk), now=NOW)
    assert [d.name for d in board.departments] == ["销售部"]
    assert board.totals["items_overdue"] == 2
    assert board.meeting_totals["meetings"] == 0  # 销售部 hosted none
    board = dashboard.build(people["admin"], FEBRUARY, Filters(meeting_type="weekly_sync"), now=NOW)
    assert board.meeting_totals["meetings"] == 1
    assert board.totals["items_done_on_time"] == 0  # only items of weekly syncs: none


def test_every_measure_has_a_formula():
    for key, measure in m.MEASURES.items():
        assert str(measure.help) and str(measure.label), key
