"""Retrospective fixtures on top of the collaboration ones: a request both departments accepted, its meeting with
one item per side, and those items done (one late, after a delay) so the request can be completed."""

import datetime as dt

import pytest

from closeloop.actions.models import ActionItem, ActionItemEvent
from closeloop.collab.tests.conftest import moment, parties, request_data, sent, with_meeting  # noqa: F401
from closeloop.conftest import SHANGHAI

__all__ = ["moment", "request_data"]


@pytest.fixture
def accepted(sent, parties):  # noqa: F811
    from closeloop.collab import services

    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="accept",
                            now=moment(2026, 2, 13, 15))
    services.request_answer(actor=parties["product_head"], request=sent, department=parties["product"],
                            answer="accept", now=moment(2026, 2, 24, 11))  # after the deadline (02-14): late
    sent.refresh_from_db()
    return sent


@pytest.fixture
def items(accepted, with_meeting, parties):  # noqa: F811
    """The product item (due 03-20) and a sales item due 03-10, delayed to 03-12 with a reason."""
    product_item = ActionItem.objects.get(meeting=with_meeting)
    sales_item = ActionItem.objects.create(
        organisation=accepted.organisation, meeting=with_meeting, task="重点渠道铺货", deliverable="前20大渠道铺货",
        owner=parties["member"], department=parties["sales"], due=dt.date(2026, 3, 12),
        original_due=dt.date(2026, 3, 10))
    ActionItemEvent.objects.create(item=sales_item, kind="delay", reason="促销员到岗晚两天",
                                   old_due=dt.date(2026, 3, 10), new_due=dt.date(2026, 3, 12))
    return {"product": product_item, "sales": sales_item}


def finish(item, day):
    item.status = "done"
    item.progress = 100
    item.closed_at = dt.datetime(day.year, day.month, day.day, 17, tzinfo=SHANGHAI)
    item.save()
    return item


@pytest.fixture
def done(items):
    finish(items["product"], dt.date(2026, 3, 20))
    finish(items["sales"], dt.date(2026, 3, 12))
    return items


@pytest.fixture
def completed(done, accepted, parties):  # noqa: F811
    """The initiator (host, 市场部) completed the request on Monday 2026-03-23: due Monday 03-30."""
    from closeloop.retro import services

    return services.request_complete(actor=parties["host"], request=accepted, now=moment(2026, 3, 23, 10))
