"""Robot rate limits on a fake clock: 20 a minute (DingTalk, WeCom), 100 a minute and 5 a second (Feishu).
A burst is folded into one digest post, a throttling answer backs off, and nothing is dropped."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext

from closeloop.notify import ratelimit
from closeloop.notify.models import EndpointThrottle, OutboxMessage, OutboxState
from closeloop.notify.ratelimit import LIMITS, RateLimiter, Window, gate_acquire, wait_for_slot
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.tests.conftest import SECRETS, queue_for
from closeloop.notify.worker import handle_one


class FakeClock:
    def __init__(self, start=0.0):
        self.t = start

    def __call__(self):
        return self.t

    def advance(self, seconds):
        self.t += seconds


def digest_title(robot, n):
    """The title of a digest of n messages, in the robot's language (the test robots post in Chinese)."""
    with translation.override(robot.language):
        return ngettext("%(n)d notifications from Closeloop", "%(n)d notifications from Closeloop", n) % {"n": n}


# --- the pure limiter ---------------------------------------------------------------------------------------

def test_twenty_a_minute_then_wait_for_the_oldest_to_leave_the_window():
    clock = FakeClock()
    limiter = RateLimiter(LIMITS["dingtalk"], clock=clock)
    for _ in range(20):
        assert limiter.acquire() == 0
        clock.advance(1)
    assert limiter.acquire() == pytest.approx(40)  # the first post (t=0) leaves the window at t=60
    clock.advance(39.5)
    assert limiter.acquire() == pytest.approx(0.5)
    clock.advance(0.5)
    assert limiter.acquire() == 0


def test_feishu_takes_five_a_second_and_a_hundred_a_minute():
    clock = FakeClock()
    limiter = RateLimiter(LIMITS["feishu"], clock=clock)
    assert [limiter.acquire() for _ in range(5)] == [0] * 5
    assert limiter.acquire() == pytest.approx(1)  # a sixth within the same second waits
    clock.advance(0.5)
    assert limiter.acquire() == pytest.approx(0.5)
    clock.advance(0.5)
    granted = 5
    while granted < 100:  # from t=1: one every 0.2 s, five a second, always granted
        assert limiter.acquire() == 0
        granted += 1
        clock.advance(0.2)
    # 100 posts between t=0 and t=19.8: the 101st, at t=20, waits for the first five to leave the minute.
    assert clock() == pytest.approx(20)
    assert limiter.acquire() == pytest.approx(40)


def test_wait_for_slot_is_zero_below_every_limit():
    assert wait_for_slot([], 100.0, (Window(1, 60),)) == 0
    assert wait_for_slot([50.0], 100.0, (Window(1, 60),)) == pytest.approx(10)


def test_the_margin_lengthens_every_window():
    assert wait_for_slot([50.0], 100.0, (Window(1, 60),), margin=1.5) == pytest.approx(11.5)
    assert wait_for_slot([99.0] * 5, 99.5, LIMITS["feishu"], margin=1.0) == pytest.approx(1.5)


# --- the shared gate in the database ----------------------------------------------------------------------

T0 = dt.datetime(2026, 6, 15, 6, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def test_the_gate_grants_twenty_posts_a_minute_and_holds_the_endpoint_meanwhile(settings):
    settings.ROBOT_RATE_MARGIN_MS = 1000  # the window is kept as 61 s
    for i in range(20):
        assert gate_acquire(channel="wecom", address="robot:1", now=T0 + dt.timedelta(seconds=i)) == 0
    gate = EndpointThrottle.objects.get()
    assert gate.held_until == T0 + dt.timedelta(seconds=61)  # full: nobody claims until the first post ages out
    assert gate_acquire(channel="wecom", address="robot:1", now=T0 + dt.timedelta(seconds=30)) == pytest.approx(31)
    assert gate_acquire(channel="wecom", address="robot:1", now=T0 + dt.timedelta(seconds=60)) == pytest.approx(1)
    assert gate_acquire(channel="wecom", address="robot:1", now=T0 + dt.timedelta(seconds=61)) == 0
    assert gate_acquire(channel="wecom", address="robot:2", now=T0) == 0  # another robot has its own budget


@pytest.fixture
def clock(monkeypatch):
    """A fake wall clock for the worker and the robot transports, starting a little after the real now."""

    class Clock:
        now = timezone.now() + dt.timedelta(seconds=5)

        def advance(self, seconds):
            self.now += dt.timedelta(seconds=seconds)

    fake = Clock()
    monkeypatch.setattr(ratelimit, "clock", lambda: fake.now)
    return fake


def run_worker(clock, until_idle=True):
    handled = 0
    while handle_one(now=clock.now):
        handled += 1
    return handled


def test_a_burst_queued_at_once_goes_out_as_one_digest_and_every_message_is_sent(
        robot_receiver, make_robot, people, clock):
    receiver = robot_receiver("dingtalk", secret=SECRETS["dingtalk"])
    robot = make_robot(receiver)
    queue_for(robot, people["member"], n=30)
    run_worker(clock)
    assert len(receiver.requests) == 1 and receiver.requests[0]["verified"]
    text = receiver.requests[0]["json"]["markdown"]["text"]
    assert text.startswith(f"#### {digest_title(robot, 30)}\n")
    assert all(f"行动项{i}明天到期" in text for i in range(1, 31))
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == 30
    carrier = OutboxMessage.objects.get(folded_into__isnull=True)
    assert OutboxMessage.objects.filter(folded_into=carrier).count() == 29
    assert all(m.attempt_log.filter(ok=True).exists() for m in OutboxMessage.objects.all())


def test_a_digest_too_big_for_one_post_is_split_and_nothing_is_lost(robot_receiver, make_robot, people, clock):
    receiver = robot_receiver("wecom")
    robot = make_robot(receiver, secret="")
    queue_for(robot, people["member"], n=120)  # WeCom takes 4096 bytes of markdown per post
    run_worker(clock)
    assert 2 <= len(receiver.requests) <= 20
    assert all(len(r["json"]["markdown"]["content"].encode()) <= 4096 for r in receiver.requests)
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == 120
    posted = "".join(r["json"]["markdown"]["content"] for r in receiver.requests)
    assert all(f"行动项{i}明天到期" in posted for i in range(1, 121))


def test_messages_trickling_in_faster_than_twenty_a_minute_are_held_then_folded(
        robot_receiver, make_robot, people, clock):
    receiver = robot_receiver("dingtalk", secret=SECRETS["dingtalk"])
    robot = make_robot(receiver)
    posted_at = []
    for i in range(1, 31):  # one new message a second for 30 seconds
        outbox_enqueue(key=f"t:{i}", recipient=people["member"], address=robot.address, channel="dingtalk",
                       kind="reminder", subject=f"提醒{i}", body_text="正文", not_before=clock.now)
        before = len(receiver.requests)
        run_worker(clock)
        posted_at += [clock.now] * (len(receiver.requests) - before)
        clock.advance(1)
    assert len(receiver.requests) == 20  # the 21st to 30th wait: the window is full
    assert OutboxMessage.objects.filter(state=OutboxState.PENDING).count() == 10
    assert OutboxMessage.objects.filter(state=OutboxState.PENDING, attempts__gt=0).count() == 0  # waiting is free
    clock.advance(31)  # the first post leaves the minute and its 1 s margin
    run_worker(clock)
    posted_at += [clock.now] * (len(receiver.requests) - 20)
    assert len(receiver.requests) == 21
    assert receiver.requests[-1]["json"]["markdown"]["text"].startswith(f"#### {digest_title(robot, 10)}\n")
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == 30
    for start in posted_at:  # never more than 20 posts in any minute
        assert sum(start <= t < start + dt.timedelta(seconds=60) for t in posted_at) <= 20


def test_feishu_takes_five_posts_a_second_and_folds_the_rest(robot_receiver, make_robot, people, clock):
    receiver = robot_receiver("feishu", secret=SECRETS["feishu"])
    robot = make_robot(receiver)
    for i in range(1, 9):  # eight messages arrive within one second, each handled at once
        outbox_enqueue(key=f"f:{i}", recipient=people["member"], address=robot.address, channel="feishu",
                       kind="risk", subject=f"风险{i}", body_text="正文", not_before=clock.now)
        run_worker(clock)
        clock.advance(0.1)
    assert len(receiver.requests) == 5
    clock.advance(1)  # t = 1.8 s: a second has passed, but not the second and its 1 s margin
    run_worker(clock)
    assert len(receiver.requests) == 5
    clock.advance(0.2)
    run_worker(clock)
    assert len(receiver.requests) == 6
    assert receiver.requests[-1]["json"]["card"]["header"]["title"]["content"] == digest_title(robot, 3)
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == 8


@pytest.mark.parametrize("platform, answer, headers, wait", [
    ("dingtalk", {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}, {}, 600),
    ("wecom", {"errcode": 45009, "errmsg": "api freq out of limit"}, {"Retry-After": "30"}, 30),
    ("feishu", {"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]"}, {}, 60),
])
def test_a_throttling_answer_backs_off_without_counting_an_attempt(
        robot_receiver, make_robot, people, clock, platform, answer, headers, wait):
    receiver = robot_receiver(platform, secret=SECRETS[platform])
    robot = make_robot(receiver)
    queue_for(robot, people["member"], n=3)
    receiver.answer_next(body=answer, headers=headers)
    run_worker(clock)
    assert len(receiver.requests) == 1
    pending = OutboxMessage.objects.filter(state=OutboxState.PENDING)
    assert pending.count() == 3 and set(pending.values_list("attempts", flat=True)) == {0}
    assert EndpointThrottle.objects.get().held_until == clock.now + dt.timedelta(seconds=wait)
    clock.advance(wait - 1)
    run_worker(clock)
    assert len(receiver.requests) == 1  # still backing off
    clock.advance(1)
    run_worker(clock)
    assert len(receiver.requests) == 2 and receiver.requests[-1]["answered"] == "success"
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == 3


def test_http_429_with_retry_after_is_honoured(robot_receiver, make_robot, people, clock):
    receiver = robot_receiver("webhook", secret=SECRETS["webhook"])
    [message] = queue_for(make_robot(receiver), people["member"])
    receiver.answer_next(status=429, body={"error": "slow down"}, headers={"Retry-After": "120"})
    run_worker(clock)
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING and message.attempts == 0
    assert message.next_attempt_at == clock.now + dt.timedelta(seconds=120)


def test_a_robot_throttling_more_often_than_the_attempt_limit_still_gets_everything(
        robot_receiver, make_robot, people, clock, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    receiver = robot_receiver("wecom")
    robot = make_robot(receiver, secret="")
    queue_for(robot, people["member"], n=2)
    receiver.answer_next(body={"errcode": 45009, "errmsg": "api freq out of limit"}, times=5)
    for _ in itertools.repeat(None, 6):
        run_worker(clock)
        clock.advance(61)
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == 2
    assert receiver.requests[-1]["answered"] == "success" and len(receiver.requests) == 6
