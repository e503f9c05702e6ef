"""Robot secrets (the signing secret, the token in the URL, the sign) never appear in logs, errors or the admin."""

import logging

import pytest
from django.urls import reverse

from closeloop.notify.models import DeliveryAttempt, OutboxMessage, OutboxState
from closeloop.notify.redact import redact_url, scrub, secrets_of
from closeloop.notify.testing.robots import DINGTALK_TOKEN, WECOM_KEY
from closeloop.notify.tests.conftest import SECRETS, queue_for
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db


def test_redacting_a_url_masks_query_values_and_long_path_tokens():
    assert redact_url(f"https://oapi.dingtalk.com/robot/send?access_token={DINGTALK_TOKEN}") == \
        "https://oapi.dingtalk.com/robot/send?access_token=***"
    assert redact_url("https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd") == \
        "https://open.feishu.cn/open-apis/bot/v2/hook/***"
    url = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}"
    assert scrub(f"failed: {url} and {WECOM_KEY}", secrets_of(url)) == "failed: *** and ***"


def assert_nowhere(text, *secrets):
    for secret in secrets:
        assert secret not in text, f"a secret leaked: …{secret[-6:]}"


@pytest.mark.parametrize("platform, answer, status", [
    ("dingtalk", {"errcode": 310000, "errmsg": "sign not match"}, 200),
    ("dingtalk", b"upstream broke", 502),
    ("wecom", {"errcode": 93000, "errmsg": "invalid webhook url"}, 200),
    ("feishu", {"code": 19021, "msg": "sign match fail"}, 200),
    ("webhook", {"error": "nope"}, 500),
])
def test_a_failed_delivery_logs_and_records_no_secret(robot_receiver, make_robot, people, caplog, platform, answer,
                                                       status):
    caplog.set_level(logging.DEBUG)
    receiver = robot_receiver(platform, secret=SECRETS[platform])
    robot = make_robot(receiver)
    queue_for(robot, people["member"])
    receiver.answer_next(status=status, body=answer)
    drain_outbox()
    message = OutboxMessage.objects.get()
    assert message.state in (OutboxState.PENDING, OutboxState.FAILED) and message.last_error
    request = receiver.requests[0]
    signs = [v for k, vs in request["query"].items() if k == "sign" for v in vs]
    if request["json"] and "sign" in request["json"]:
        signs.append(request["json"]["sign"])
    # The test webhook's URL holds no token (nothing to mask), the robots' URLs do.
    whole_url = robot.url if redact_url(robot.url) != robot.url else ""
    leaks = [s for s in [SECRETS[platform], whole_url, DINGTALK_TOKEN, WECOM_KEY, "5e3d587e-d78e-4a07", *signs] if s]
    errors = " ".join(DeliveryAttempt.objects.values_list("error", flat=True))
    assert_nowhere(caplog.text + message.last_error + errors, *leaks)
    assert "did not take" in caplog.text  # the failure is logged, only without its secrets


def test_an_unreachable_robot_logs_no_secret(make_robot, people, caplog, settings, robot_receiver):
    receiver = robot_receiver("dingtalk", secret=SECRETS["dingtalk"])
    robot = make_robot(receiver)
    receiver.server.shutdown()
    receiver.server.server_close()
    queue_for(robot, people["member"])
    drain_outbox()
    message = OutboxMessage.objects.get()
    assert "no answer" in message.last_error
    assert_nowhere(caplog.text + message.last_error, SECRETS["dingtalk"], DINGTALK_TOKEN)


def test_the_admin_shows_neither_the_token_nor_the_secret(client, people, make_robot, robot_receiver):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    robot = make_robot(robot_receiver("dingtalk"))
    queue_for(robot, people["member"])
    client.force_login(admin)
    pages = [reverse("admin:notify_robot_changelist"), reverse("admin:notify_robot_change", args=[robot.pk]),
             reverse("admin:notify_outboxmessage_change", args=[OutboxMessage.objects.get().pk])]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        assert_nowhere(response.content.decode(), DINGTALK_TOKEN, SECRETS["dingtalk"])
    assert "access_token=***" in client.get(pages[0]).content.decode()


def test_saving_in_the_admin_with_empty_fields_keeps_the_url_and_secret(client, people, make_robot, robot_receiver):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    robot = make_robot(robot_receiver("dingtalk"))
    client.force_login(admin)
    response = client.post(reverse("admin:notify_robot_change", args=[robot.pk]), {
        "department": robot.department_id, "platform": "dingtalk", "name": "改名的群", "kinds": '["reminder"]',
        "language": "zh-hans", "enabled": "on", "new_url": "", "new_secret": ""})
    assert response.status_code == 302
    robot.refresh_from_db()
    assert robot.name == "改名的群" and DINGTALK_TOKEN in robot.url and robot.secret == SECRETS["dingtalk"]
