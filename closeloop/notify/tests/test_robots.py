"""Each robot through a local HTTP receiver that checks the platform's documented signature scheme itself."""

import pytest

from closeloop.notify.models import OutboxMessage, OutboxState
from closeloop.notify.tests.conftest import SECRETS, queue_for
from closeloop.notify.transports import TransportError, transport_for
from closeloop.notify.worker import drain_outbox, handle_one

pytestmark = pytest.mark.django_db


def only_message():
    message = OutboxMessage.objects.get()
    return message


def test_dingtalk_gets_a_signed_markdown_message_it_verifies(robot_receiver, make_robot, people, settings):
    settings.SITE_URL = "https://closeloop.example.cn"
    receiver = robot_receiver("dingtalk", secret=SECRETS["dingtalk"])
    robot = make_robot(receiver)
    queue_for(robot, people["member"])
    assert drain_outbox() == 1
    [request] = receiver.requests
    assert request["verified"] and request["answered"] == "success"
    assert request["query"]["timestamp"][0].isdigit() and len(request["query"]["timestamp"][0]) == 13  # ms
    body = request["json"]
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "行动项1明天到期"
    assert "第1项：提交预算明细表。" in body["markdown"]["text"]
    assert "(https://closeloop.example.cn/actions/1/)" in body["markdown"]["text"]
    assert "王销售" in body["markdown"]["text"]
    assert only_message().state == OutboxState.SENT


def test_dingtalk_refusing_the_signature_is_final(robot_receiver, make_robot, people):
    receiver = robot_receiver("dingtalk", secret=SECRETS["dingtalk"])
    robot = make_robot(receiver, secret="SECwrong0000000000000000000000000000000000")
    queue_for(robot, people["member"])
    drain_outbox()
    message = only_message()
    assert not receiver.requests[0]["verified"]
    assert message.state == OutboxState.FAILED and message.attempts == 1
    assert "310000" in message.last_error


def test_wecom_gets_markdown_at_its_key_url(robot_receiver, make_robot, people):
    receiver = robot_receiver("wecom")
    robot = make_robot(receiver, secret="")
    queue_for(robot, people["member"])
    drain_outbox()
    [request] = receiver.requests
    assert request["verified"] and request["json"]["msgtype"] == "markdown"
    assert "行动项1明天到期" in request["json"]["markdown"]["content"]
    assert only_message().state == OutboxState.SENT


def test_wecom_with_a_wrong_key_fails_for_good(robot_receiver, make_robot, people):
    receiver = robot_receiver("wecom")
    robot = make_robot(receiver, secret="")
    robot.url = receiver.url.replace("key=", "key=0")
    robot.save()
    queue_for(robot, people["member"])
    drain_outbox()
    message = only_message()
    assert message.state == OutboxState.FAILED and "93000" in message.last_error


def test_feishu_gets_a_card_signed_in_its_body_it_verifies(robot_receiver, make_robot, people):
    receiver = robot_receiver("feishu", secret=SECRETS["feishu"])
    robot = make_robot(receiver)
    queue_for(robot, people["member"])
    drain_outbox()
    [request] = receiver.requests
    body = request["json"]
    assert request["verified"] and len(body["timestamp"]) == 10  # seconds
    assert body["msg_type"] == "interactive"
    assert "第1项" in body["card"]["elements"][0]["content"]
    assert only_message().state == OutboxState.SENT


def test_feishu_refusing_the_signature_is_final(robot_receiver, make_robot, people):
    receiver = robot_receiver("feishu", secret=SECRETS["feishu"])
    robot = make_robot(receiver, secret="another-secret")
    queue_for(robot, people["member"])
    drain_outbox()
    message = only_message()
    assert message.state == OutboxState.FAILED and "19021" in message.last_error


def test_the_webhook_is_signed_and_carries_the_idempotency_key(robot_receiver, make_robot, people):
    receiver = robot_receiver("webhook", secret=SECRETS["webhook"])
    robot = make_robot(receiver)
    [message] = queue_for(robot, people["member"])
    drain_outbox()
    [request] = receiver.requests
    assert request["verified"]
    assert request["headers"]["Idempotency-Key"] == message.idempotency_key == "reminder:1:webhook"
    body = request["json"]
    assert body["id"] == "reminder:1:webhook" and body["kind"] == "reminder" and body["language"] == "en"
    assert body["recipient"]["id"] == people["member"].pk and body["link"].endswith("/actions/1/")
    assert only_message().state == OutboxState.SENT


def test_a_webhook_retry_carries_the_same_idempotency_key(robot_receiver, make_robot, people):
    receiver = robot_receiver("webhook", secret=SECRETS["webhook"])
    robot = make_robot(receiver)
    [message] = queue_for(robot, people["member"])
    receiver.answer_next(status=503)
    transport = transport_for("webhook")
    with pytest.raises(TransportError) as caught:
        transport.send(message)
    assert not caught.value.permanent
    transport.send(message)
    keys = [r["headers"]["Idempotency-Key"] for r in receiver.requests]
    assert keys == ["reminder:1:webhook", "reminder:1:webhook"]


@pytest.mark.parametrize("status, permanent", [(500, False), (502, False), (408, False), (400, True), (404, True),
                                               (410, True), (302, True)])
def test_a_webhook_answer_says_whether_to_retry(robot_receiver, make_robot, people, status, permanent):
    receiver = robot_receiver("webhook", secret=SECRETS["webhook"])
    [message] = queue_for(make_robot(receiver), people["member"])
    receiver.answer_next(status=status, body={"error": "x"})
    with pytest.raises(TransportError) as caught:
        transport_for("webhook").send(message)
    assert caught.value.permanent is permanent and not caught.value.throttled


def test_a_server_error_is_retried_later_and_then_delivered(robot_receiver, make_robot, people):
    receiver = robot_receiver("dingtalk", secret=SECRETS["dingtalk"])
    queue_for(make_robot(receiver), people["member"])
    receiver.answer_next(status=502, body=b"Bad Gateway")
    assert handle_one() is True
    message = only_message()
    assert message.state == OutboxState.PENDING and message.attempts == 1 and "502" in message.last_error
    OutboxMessage.objects.update(next_attempt_at=message.created_at)
    drain_outbox()
    assert only_message().state == OutboxState.SENT and len(receiver.accepted) == 1


def test_a_receiver_too_slow_to_answer_is_a_timeout_worth_retrying(robot_receiver, make_robot, people, settings):
    receiver = robot_receiver("wecom")
    [message] = queue_for(make_robot(receiver, secret=""), people["member"])
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.answer_next(delay=2)
    with pytest.raises(TransportError) as caught:
        transport_for("wecom").send(message)
    assert "timed out" in str(caught.value) and not caught.value.permanent


def test_a_robot_switched_off_or_removed_fails_for_good(robot_receiver, make_robot, people):
    receiver = robot_receiver("wecom")
    robot = make_robot(receiver, secret="")
    first, second = queue_for(robot, people["member"], n=2)
    robot.enabled = False
    robot.save()
    with pytest.raises(TransportError) as caught:
        transport_for("wecom").send(first)
    assert caught.value.permanent and "switched off" in str(caught.value)
    robot.delete()
    with pytest.raises(TransportError) as caught:
        transport_for("wecom").send(second)
    assert caught.value.permanent
    assert receiver.requests == []
