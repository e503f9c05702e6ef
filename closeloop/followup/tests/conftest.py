"""Fixtures for follow-ups: items owned by the sales member (head: 赵经理), scans run at a given local time."""

import pytest

from closeloop.actions.choices import ItemStatus
from closeloop.actions.models import ActionItem
from closeloop.conftest import at
from closeloop.notify.models import OutboxMessage


def make_item(org, owner, due, status=ItemStatus.NOT_STARTED, meeting=None, task="提交Q3推广预算明细表",
              collaborators=(), created_by=None):
    item = ActionItem.objects.create(
        organisation=org, owner=owner, department=owner.department if owner else None, due=due,
        original_due=due, status=status, task=task, deliverable="预算明细表经财务部签字确认", meeting=meeting,
        created_by=created_by,
    )
    if collaborators:
        item.collaborators.set(collaborators)
    return item


@pytest.fixture
def new_item(org, people):
    def factory(due, **kwargs):
        kwargs.setdefault("owner", people["member"])
        return make_item(org, kwargs.pop("owner"), due, **kwargs)
    return factory


def mails(kind=None, **filters):
    """Email rows queued, as (recipient username, key) sorted; `kind` narrows to one kind."""
    qs = OutboxMessage.objects.filter(channel="email", **filters)
    if kind:
        qs = qs.filter(kind=kind)
    return sorted((m.recipient.username, m.idempotency_key) for m in qs.select_related("recipient"))


def recipients(kind=None, **filters):
    return sorted({name for name, _key in mails(kind, **filters)})


__all__ = ["at", "make_item", "mails", "recipients"]
