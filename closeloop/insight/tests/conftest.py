"""A small organisation whose figures for February 2026 are worked out by hand in the tests.

February 2026 holds the Spring Festival: 02-14 (Saturday) is a working day, 02-15 … 02-23 are holidays.
"Now" is Monday 2026-03-02 10:00 in Shanghai.
"""

import datetime as dt

import pytest

from closeloop.actions.models import ActionItem, ActionItemEvent, ChangeRequest
from closeloop.conftest import at
from closeloop.insight.models import HourlyCost
from closeloop.insight.rules import period_for
from closeloop.meetings.models import Meeting
from closeloop.meetings.services.planning import meeting_create, participant_set, topic_add
from closeloop.minutes.models import Minutes, SignOff
from closeloop.record.models import Decision, Disagreement, MeetingRecord, TopicRecord

NOW = at(2026, 3, 2, 10)
FEBRUARY = period_for("month", dt.date(2026, 2, 1))


def _item(org, owner, department, task, due, status, closed=None, deliverable="周报表经负责人确认", **extra):
    item = ActionItem.objects.create(organisation=org, owner=owner, department=department, task=task, due=due,
                                     original_due=due, status=status, deliverable=deliverable, **extra)
    if closed is not None:
        ActionItem.objects.filter(pk=item.pk).update(closed_at=closed)
    return item


def _event(item, kind, when, note=""):
    event = ActionItemEvent.objects.create(item=item, kind=kind, note=note)
    ActionItemEvent.objects.filter(pk=event.pk).update(at=when)


@pytest.fixture
def world(org, people):
    """Items of 销售部 and 市场部, two meetings hosted by 市场部 with a record and minutes."""
    d = people["departments"]
    sales, market, finance = d["sales"], d["market"], d["finance"]
    member, host, recorder = people["member"], people["host"], people["recorder"]
    for person, title in ((host, "经理"), (recorder, "专员")):
        person.title = title
        person.save()
    HourlyCost.objects.create(organisation=org, title="经理", hourly_cost=300)
    HourlyCost.objects.create(organisation=org, title="专员", hourly_cost=100)

    m1 = meeting_create(actor=host, recorder=recorder, data={
        "type": "decision", "title": "二月协作会", "objective": "确定分工", "start": at(2026, 2, 10, 14),
        "end": at(2026, 2, 10, 15, 30)})
    participant_set(actor=host, meeting=m1, person=member, roles=["executor"])
    topics = [topic_add(actor=host, meeting=m1, data={"order": i, "title": f"议题{i}", "minutes": minutes,
                                                      "kind": kind, "required_outcome": outcome})
              for i, (minutes, kind, outcome) in enumerate(
                  [(20, "inform", ""), (25, "discuss", ""), (30, "decide", "确认分工")], start=1)]
    Meeting.objects.filter(pk=m1.pk).update(notice_sent_at=at(2026, 2, 4, 10), state="noticed")
    m2 = meeting_create(actor=host, recorder=recorder, data={
        "type": "weekly_sync", "title": "二月周例会", "objective": "", "start": at(2026, 2, 24, 10),
        "end": at(2026, 2, 24, 12)})
    record = MeetingRecord.objects.create(meeting=m1, state="closed")
    TopicRecord.objects.create(record=record, topic=topics[0], elapsed_seconds=1500)
    TopicRecord.objects.create(record=record, topic=topics[1], elapsed_seconds=1800)
    d1 = Decision.objects.create(record=record, topic=topics[2], text="市场部牵头")
    Decision.objects.create(record=record, topic=topics[2], text="销售部配合")  # no item: a leak
    Decision.objects.create(record=record, topic=topics[1], text="知悉", no_action_needed=True)
    Disagreement.objects.create(record=record, topic=topics[1], subject="预算", path="data", due=dt.date(2026, 2, 20))
    minutes = Minutes.objects.create(meeting=m1, number=1, state="distributed", submitted_at=at(2026, 2, 11, 10),
                                     approved_at=at(2026, 2, 11, 12), distributed_at=at(2026, 2, 11, 12, 30))
    SignOff.objects.create(minutes=minutes, department=sales, signed_at=at(2026, 2, 12, 12, 30), token="s1")
    SignOff.objects.create(minutes=minutes, department=finance, token="s2")

    items = {
        "on_time": _item(org, member, sales, "提交二月报表", dt.date(2026, 2, 10), "done", at(2026, 2, 9, 10),
                         meeting=m1, decision=d1),
        # Friday before the Spring Festival, done the Tuesday after: 02-14 (Sat, worked) and 02-24 → 2 days late.
        "late2": _item(org, member, sales, "客户回访", dt.date(2026, 2, 13), "done", at(2026, 2, 24, 18)),
        # 02-13, 02-14, 02-24, 02-25 → 4 working days late.
        "late4": _item(org, member, sales, "合同复核", dt.date(2026, 2, 12), "done", at(2026, 2, 25, 9)),
        "overdue_vague": _item(org, member, sales, "尽快整理渠道数据", dt.date(2026, 2, 26), "in_progress"),
        "overdue_no_deliverable": _item(org, member, sales, "更新报价", dt.date(2026, 2, 25), "not_started",
                                        deliverable=""),
        "cancelled": _item(org, member, sales, "取消的任务", dt.date(2026, 2, 20), "cancelled", at(2026, 2, 19, 9)),
        "march": _item(org, member, sales, "三月任务", dt.date(2026, 3, 5), "not_started"),
        "market": _item(org, host, market, "市场活动总结", dt.date(2026, 2, 5), "done", at(2026, 2, 5, 17)),
    }
    ChangeRequest.objects.create(item=items["late2"], kind="date", reason="客户出差", old_due=dt.date(2026, 2, 13),
                                 new_due=dt.date(2026, 2, 24), state="accepted")
    ChangeRequest.objects.create(item=items["overdue_vague"], kind="scope", reason="范围调整", state="pending")
    _event(items["overdue_vague"], "delay", at(2026, 2, 20, 9))
    _event(items["overdue_vague"], "risk", at(2026, 2, 24, 10), "数据源未就绪")  # 2 working days ahead
    _event(items["overdue_no_deliverable"], "risk", at(2026, 2, 25, 9), "报价未定")  # on the day
    return {"items": items, "m1": m1, "m2": m2, "sales": sales, "market": market, "finance": finance}


from closeloop.minutes.testing import minutes_flushable  # noqa: E402, F401  (approved minutes refuse the row flush)
from closeloop.tests_browser.conftest import audit_flushable, browser, page  # noqa: E402, F401  (browser fixtures)
