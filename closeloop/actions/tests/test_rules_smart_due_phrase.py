"""The SMART check reads a due phrase typed in the task with the smart-minutes parser's date logic."""

import datetime as dt

from closeloop.actions.rules import ItemDraft, SmartContext, next_working_day, smart_check
from closeloop.smartminutes.rules import due as parser_due
from closeloop.workcal.rules import WorkingCalendar

CN = WorkingCalendar("CN")
START = dt.datetime(2026, 4, 28, 15)  # Tuesday before the Labour Day holiday


def ctx(**kwargs):
    base = {"meeting_date": START.date(), "vague_words": [], "is_working_day": CN.is_working_day,
            "present_or_informed_ids": None, "calendar": CN, "meeting_start": START}
    base.update(kwargs)
    return SmartContext(**base)


def draft(task, due=None):
    return ItemDraft(task=task, owner_id=1, due=due, deliverable="报告经审批")


def test_a_due_phrase_in_the_task_is_offered_as_the_due_date():
    [finding] = smart_check(draft("3个工作日内提交成本报告"), ctx())
    assert finding.rule == "due_missing"
    assert finding.params == {"suggested_due": "2026-05-06", "due_phrase": "3个工作日内"}
    assert "2026-05-06" in finding.message


def test_without_a_calendar_or_a_phrase_the_finding_is_the_plain_one():
    plain = smart_check(draft("提交成本报告"), ctx())
    assert [(f.rule, f.params) for f in plain] == [("due_missing", {})]
    no_calendar = smart_check(draft("明天提交成本报告"), ctx(calendar=None))
    assert [(f.rule, f.params) for f in no_calendar] == [("due_missing", {})]


def test_a_due_date_given_is_not_second_guessed_by_the_task():
    assert smart_check(draft("明天提交成本报告", due=dt.date(2026, 5, 7)), ctx()) == []


def test_the_next_working_day_is_the_parsers_search():
    assert next_working_day is parser_due.next_working_day
    assert next_working_day(dt.date(2026, 4, 30), CN.is_working_day) == dt.date(2026, 5, 6)
