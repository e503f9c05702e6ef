"""The robots' answer codes: throttling and server-busy answers are retried, only documented permanent codes give
up. Through the worker against local fakes of DingTalk, WeCom and Feishu."""

import datetime as dt

import pytest

from closeloop.notify import ratelimit
from closeloop.notify.models import EndpointThrottle, OutboxMessage, OutboxState
from closeloop.notify.tests.conftest import SECRETS, queue_for
from closeloop.notify.transports.answers import ANSWERS, Outcome, classify, meaning
from closeloop.notify.worker import handle_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone

    class Clock:
        now = timezone.now() + dt.timedelta(seconds=5)

        def advance(self, seconds):
            self.now += dt.timedelta(seconds=seconds)

    fake = Clock()
    monkeypatch.setattr(ratelimit, "clock", lambda: fake.now)
    return fake


def drain(clock):
    while handle_one(now=clock.now):
        pass


@pytest.mark.parametrize("platform, code", [
    ("feishu", 9499), ("feishu", 11232), ("feishu", 99991400), ("dingtalk", 130101), ("dingtalk", 410100),
    ("wecom", 45009), ("wecom", 45033),
])
def test_every_platforms_throttling_codes_mean_slow_down(platform, code):
    assert classify(platform, code) is Outcome.THROTTLED
    assert meaning(platform, code)


@pytest.mark.parametrize("platform, code", [
    ("dingtalk", 310000), ("dingtalk", 300001), ("dingtalk", 400102), ("wecom", 93000), ("wecom", 93004),
    ("feishu", 19021), ("feishu", 19001),
])
def test_bad_signatures_bad_urls_and_removed_robots_are_permanent(platform, code):
    assert classify(platform, code) is Outcome.PERMANENT


def test_a_code_nobody_documented_is_retried_not_dropped():
    assert classify("feishu", 424242, "something new") is Outcome.BUSY
    assert classify("dingtalk", 424242, "send too fast") is Outcome.THROTTLED


def test_every_entry_of_the_table_says_what_it_means():
    assert all(answer.meaning.strip() for codes in ANSWERS.values() for answer in codes.values())


def test_feishu_http_400_too_many_request_holds_the_robot_and_delivers_later(
        robot_receiver, make_robot, people, clock):
    receiver = robot_receiver("feishu", secret=SECRETS["feishu"])
    robot = make_robot(receiver)
    [message] = queue_for(robot, people["member"])
    receiver.answer_next(status=400, body={"code": 9499, "msg": "too many request", "data": {}})
    drain(clock)
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING and message.attempts == 0, message.last_error
    assert "9499" in message.last_error
    assert EndpointThrottle.objects.get().held_until > clock.now
    clock.advance(61)
    drain(clock)
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert [r["answered"] for r in receiver.requests] == ["scripted", "success"]


@pytest.mark.parametrize("platform, status, answer", [
    ("dingtalk", 200, {"errcode": -1, "errmsg": "系统繁忙"}),
    ("wecom", 200, {"errcode": -1, "errmsg": "system busy"}),
    ("feishu", 400, {"code": 424242, "msg": "a code the documentation does not list"}),
])
def test_a_busy_or_unknown_answer_is_retried_with_back_off(
        robot_receiver, make_robot, people, clock, settings, platform, status, answer):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    receiver = robot_receiver(platform, secret=SECRETS[platform])
    [message] = queue_for(make_robot(receiver), people["member"])
    receiver.answer_next(status=status, body=answer)
    drain(clock)
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING and message.attempts == 1
    assert message.next_attempt_at == clock.now + dt.timedelta(seconds=60)
    clock.advance(60)
    drain(clock)
    message.refresh_from_db()
    assert message.state == OutboxState.SENT and len(receiver.requests) == 2


def test_a_documented_permanent_answer_still_gives_up_at_once(robot_receiver, make_robot, people, clock):
    receiver = robot_receiver("feishu", secret=SECRETS["feishu"])
    [message] = queue_for(make_robot(receiver), people["member"])
    receiver.answer_next(status=400, body={"code": 19001, "msg": "param invalid: incoming webhook access token "
                                                                 "invalid"})
    drain(clock)
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED and message.attempts == 1
    assert OutboxMessage.objects.filter(state=OutboxState.PENDING).count() == 0
