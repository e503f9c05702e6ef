"""Progress sync: executors post updates, risks count as early or late warnings, and a change of the request
applies only with every receiving department's agreement."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.retro import services
from closeloop.retro.models import RequestChange

from .conftest import moment

pytestmark = pytest.mark.django_db


def test_an_executor_posts_an_update_with_an_early_warning(accepted, parties):
    update = services.progress_post(actor=parties["member"], request=accepted, now=moment(2026, 3, 2), data={
        "percent": 40, "done": "完成10个渠道", "next_steps": "剩余10个渠道", "risks": "促销员可能晚到",
        "affected_due": dt.date(2026, 3, 10)})
    assert update.early_warning is True and update.department == parties["sales"] and update.day == dt.date(2026, 3, 2)


def test_a_risk_on_the_due_date_is_a_late_warning(accepted, parties):
    update = services.progress_post(actor=parties["product_head"], request=accepted, now=moment(2026, 3, 10),
                                    data={"percent": 80, "done": "初稿", "risks": "设计稿未到",
                                          "affected_due": dt.date(2026, 3, 10)})
    assert update.early_warning is False and update.department == parties["product"]


def test_outsiders_cannot_post_and_bad_input_names_the_field(accepted, parties):
    with pytest.raises(PermissionDenied):
        services.progress_post(actor=parties["outsider"], request=accepted, data={"percent": 10, "done": "x"})
    with pytest.raises(ValidationError) as error:
        services.progress_post(actor=parties["member"], request=accepted, data={"percent": 140, "done": "x"})
    assert "percent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.progress_post(actor=parties["member"], request=accepted, data={"percent": 10, "done": " "})
    assert "done" in error.value.message_dict


def test_a_change_applies_once_every_receiving_department_agrees(accepted, parties):
    change = services.request_change_ask(actor=parties["host"], request=accepted, now=moment(2026, 3, 2), data={
        "reason": "上市推迟两周", "new_due": dt.date(2026, 7, 14)})
    assert change.kind == "date"
    with pytest.raises(ValidationError):  # one pending change at a time
        services.request_change_ask(actor=parties["host"], request=accepted, now=moment(2026, 3, 2), data={
            "reason": "again", "new_what": "别的"})
    services.request_change_answer(actor=parties["head"], change=change, department=parties["sales"], answer="agree")
    accepted.refresh_from_db()
    assert accepted.due == dt.date(2026, 6, 30)  # not yet: 产品部 has not agreed
    with pytest.raises(PermissionDenied):
        services.request_change_answer(actor=parties["head"], change=change, department=parties["product"],
                                       answer="agree")
    services.request_change_answer(actor=parties["product_head"], change=change, department=parties["product"],
                                   answer="agree")
    accepted.refresh_from_db()
    change.refresh_from_db()
    assert change.state == "accepted" and accepted.due == dt.date(2026, 7, 14)


def test_one_refusal_refuses_the_change_and_needs_a_reason(accepted, parties):
    change = services.request_change_ask(actor=parties["host"], request=accepted, now=moment(2026, 3, 2), data={
        "reason": "扩大范围", "new_what": "销售部铺货前30大渠道"})
    with pytest.raises(ValidationError) as error:
        services.request_change_answer(actor=parties["head"], change=change, department=parties["sales"],
                                       answer="refuse")
    assert "comment" in error.value.message_dict
    services.request_change_answer(actor=parties["head"], change=change, department=parties["sales"],
                                   answer="refuse", comment="人手不足")
    change.refresh_from_db()
    accepted.refresh_from_db()
    assert change.state == "refused" and accepted.what == "销售部铺货;产品部提供产品卖点手册"


def test_only_the_initiator_side_asks_for_a_change(accepted, parties):
    with pytest.raises(PermissionDenied):
        services.request_change_ask(actor=parties["head"], request=accepted, data={"reason": "x",
                                                                                   "new_due": dt.date(2026, 8, 1)})
    assert not RequestChange.objects.exists()


def test_editing_what_was_accepted_goes_through_a_change(accepted, parties):
    from closeloop.collab.services import request_update

    with pytest.raises(ValidationError) as error:
        request_update(actor=parties["host"], request=accepted, version=accepted.version,
                       data={"due": dt.date(2026, 8, 31)})
    assert "due" in error.value.message_dict
    updated = request_update(actor=parties["host"], request=accepted, version=accepted.version,
                             data={"why": "渠道要求", "due": accepted.due})
    assert updated.why == "渠道要求"


def test_risks_from_items_and_progress_are_facts_counted_early_or_late(done, accepted, parties):
    from closeloop.actions.models import ActionItemEvent
    from closeloop.retro.facts import retrospective_facts

    ActionItemEvent.objects.create(item=done["sales"], kind="progress", note="[risk] 促销员可能晚到",
                                   actor=parties["member"])  # raised now, after the item's due date: late
    services.progress_post(actor=parties["member"], request=accepted, now=moment(2026, 3, 2), data={
        "percent": 40, "done": "完成10个渠道", "risks": "物料短缺", "affected_due": dt.date(2026, 3, 10)})
    risks = retrospective_facts(accepted)["risks"]
    assert sorted((r["what"], r["early"]) for r in risks) == [("促销员可能晚到", False), ("物料短缺", True)]
