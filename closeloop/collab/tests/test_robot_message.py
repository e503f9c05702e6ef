"""A request reaches the receiving head through their department's group robot: the worker posts it to a
local receiver that checks the platform's documented signature, in the head's language, with the link the
head answers from."""

import pytest

from closeloop.collab import services
from closeloop.collab.tests.conftest import moment, request_data
from closeloop.notify.models import NotifyPreference, OutboxMessage, OutboxState, Robot
from closeloop.notify.testing.robots import robot_receiver  # noqa: F401  (fixture)
from closeloop.notify.worker import drain_outbox

SECRETS = {"dingtalk": "SEC0b1f2e3d4c5b6a79880f1e2d3c4b5a69788f9e0d1c2b3a4f5e6d7c8b9a0f1e2d",
           "feishu": "nIMtb7r3N9pkXyXdtAbx6e"}


def _robot_for(department, receiver):
    return Robot.objects.create(organisation=department.organisation, department=department,
                                platform=receiver.platform, name=f"{department.name}群", url=receiver.url,
                                secret=SECRETS[receiver.platform], kinds=["notice", "escalation"])


@pytest.mark.parametrize("platform", ["dingtalk", "feishu"])
def test_the_receiving_head_gets_the_request_signed_through_the_robot(robot_receiver, parties, settings,  # noqa: F811
                                                                      platform):
    settings.SITE_URL = "https://closeloop.example.cn"
    receiver = robot_receiver(platform, secret=SECRETS[platform])
    robot = _robot_for(parties["sales"], receiver)
    NotifyPreference.objects.create(person=parties["head"], channels={"notice": [platform]})
    request, _warnings = services.request_create(
        actor=parties["host"], data=request_data(), receiving_departments=[parties["sales"]], now=moment(2026, 2, 13))
    [message] = OutboxMessage.objects.filter(recipient=parties["head"], kind="notice.request_sent", channel=platform)
    assert message.channel == platform and message.address == robot.address
    assert drain_outbox() >= 1
    [posted] = receiver.requests
    assert posted["verified"] and posted["answered"] == "success"
    text = str(posted["json"])
    assert "2026年Q3新品上市营销活动协作" in text  # the subject, in the head's language (zh-Hans)
    assert "请" in text and "答复" in text
    receipt = request.receipts.get()
    assert f"https://closeloop.example.cn/requests/answer/{receipt.token}/" in text  # answer from the message
    message.refresh_from_db()
    assert message.state == OutboxState.SENT


def test_a_robot_refusing_the_signature_leaves_the_request_message_failed_not_lost(robot_receiver,  # noqa: F811
                                                                                   parties):
    receiver = robot_receiver("dingtalk", secret=SECRETS["dingtalk"])
    robot = _robot_for(parties["sales"], receiver)
    Robot.objects.filter(pk=robot.pk).update(secret="SECwrong")
    NotifyPreference.objects.create(person=parties["head"], channels={"notice": ["dingtalk"]})
    services.request_create(actor=parties["host"], data=request_data(), receiving_departments=[parties["sales"]],
                            now=moment(2026, 2, 13))
    drain_outbox()
    [posted] = receiver.requests
    assert not posted["verified"] and posted["answered"] == "refused"
    message = OutboxMessage.objects.get(recipient=parties["head"], kind="notice.request_sent", channel="dingtalk")
    assert message.state == OutboxState.FAILED and message.last_error
