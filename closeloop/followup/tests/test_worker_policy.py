"""The worker gives up after the recipient's organisation's policy limit, else the setting's."""

import datetime as dt

import pytest
from django.utils import timezone

from closeloop.notify.models import OutboxState
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.worker import handle_one, max_attempts_for
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db


def queue(person=None, key="policy:1"):
    return outbox_enqueue(key=key, recipient=person, address="wang@example.com", kind="reminder",
                          subject="提醒", body_text="正文")


def fail_until_given_up(message):
    tries = 0
    while True:
        message.refresh_from_db()
        if message.state != OutboxState.PENDING:
            return tries
        handle_one(now=timezone.now() + dt.timedelta(days=30 * (tries + 1)))  # past every backoff
        tries += 1


def test_the_organisations_limit_wins_over_the_setting(org, people, settings, smtp_server):  # noqa: F811
    settings.OUTBOX_MAX_ATTEMPTS = 8
    policy = policy_for(org)
    policy.outbox_max_attempts = 2
    policy.save()
    smtp_server.fail_always = True
    message = queue(people["member"])
    assert max_attempts_for(message) == 2
    assert fail_until_given_up(message) == 2
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED and message.attempts == 2
    assert message.attempt_log.count() == 2


def test_a_message_without_a_recipient_uses_the_setting(settings, smtp_server, db):  # noqa: F811
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.fail_always = True
    message = queue()
    assert max_attempts_for(message) == 3
    assert fail_until_given_up(message) == 3
