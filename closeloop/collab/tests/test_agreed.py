"""Stage 3: a request is "agreed" only once its meeting's minutes are signed by every department head with tasks."""

import datetime as dt

from closeloop.actions.models import ActionItem
from closeloop.collab import services
from closeloop.collab.choices import RequestState
from closeloop.collab.scans import scan_unanswered
from closeloop.minutes import services as minutes
from closeloop.minutes.models import SignOff

from .conftest import SHANGHAI, moment


def plan_and_distribute(sent, parties, task_departments):
    meeting = services.request_plan_meeting(actor=parties["host"], request=sent, data={
        "type": "problem_analysis", "start": dt.datetime(2026, 3, 2, 14, tzinfo=SHANGHAI),
        "end": dt.datetime(2026, 3, 2, 15, tzinfo=SHANGHAI)})
    for department in task_departments:
        ActionItem.objects.create(organisation=sent.organisation, meeting=meeting, task=f"{department} 的任务",
                                  owner=department.head, department=department, due=dt.date(2026, 3, 20))
    draft = minutes.minutes_create_draft(actor=parties["host"], meeting=meeting)
    minutes.minutes_submit(actor=parties["host"], minutes=draft)
    approved = minutes.minutes_approve(actor=parties["host"], minutes=draft)
    return minutes.minutes_distribute(actor=parties["host"], minutes=approved).minutes


def accept_all(sent, parties):
    for department in (parties["sales"], parties["product"]):
        services.request_answer(actor=department.head, request=sent, department=department, answer="accept",
                                now=moment(2026, 2, 13, 15))


def test_signed_minutes_of_every_department_with_tasks_make_the_request_agreed(sent, parties):
    accept_all(sent, parties)
    signed = plan_and_distribute(sent, parties, [parties["sales"], parties["product"]])
    sent.refresh_from_db()
    assert sent.state == RequestState.ACCEPTED
    minutes.minutes_sign_off(signoff=SignOff.objects.get(minutes=signed, department=parties["sales"]),
                             actor=parties["head"])
    sent.refresh_from_db()
    assert sent.state == RequestState.ACCEPTED  # 产品部 has tasks too and has not signed
    minutes.minutes_sign_off(signoff=SignOff.objects.get(minutes=signed, department=parties["product"]),
                             actor=parties["product_head"])
    sent.refresh_from_db()
    assert sent.state == RequestState.AGREED  # 市场部 has no task: its signature is not needed


def test_signed_minutes_do_not_agree_a_request_a_department_has_not_accepted(sent, parties):
    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="accept",
                            now=moment(2026, 2, 13, 15))
    signed = plan_and_distribute(sent, parties, [parties["sales"]])
    minutes.minutes_sign_off(signoff=SignOff.objects.get(minutes=signed, department=parties["sales"]),
                             actor=parties["head"])
    sent.refresh_from_db()
    assert sent.state == RequestState.AWAITING
    services.request_answer(actor=parties["product_head"], request=sent, department=parties["product"],
                            answer="accept", now=moment(2026, 2, 13, 16))
    sent.refresh_from_db()
    assert sent.state == RequestState.AGREED
    assert scan_unanswered(now=moment(2026, 3, 10)) == 0
