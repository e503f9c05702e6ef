"""Fixtures for channel tests: a local robot receiver, robots pointing at it, messages queued for them."""

import pytest

from closeloop.notify.models import Robot
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.testing.robots import robot_receiver  # noqa: F401

SECRETS = {
    "dingtalk": "SEC0b1f2e3d4c5b6a79880f1e2d3c4b5a69788f9e0d1c2b3a4f5e6d7c8b9a0f1e2d",
    "feishu": "nIMtb7r3N9pkXyXdtAbx6e",
    "webhook": "whsec_5f4dcc3b5aa765d61d8327deb882cf99",
    "wecom": "",
}


@pytest.fixture
def make_robot(people):
    def make(receiver, *, secret=None, kinds=("reminder", "risk", "escalation", "digest"), language="zh-hans"):
        return Robot.objects.create(
            organisation=people["departments"]["sales"].organisation, department=people["departments"]["sales"],
            platform=receiver.platform, name=f"销售部{receiver.platform}群", url=receiver.url,
            secret=SECRETS[receiver.platform] if secret is None else secret, kinds=list(kinds), language=language,
        )

    return make


def queue_for(robot, person, n=1, start=1, kind="reminder"):
    """n messages for `person` through `robot`, keys reminder:<i>:<platform>."""
    return [
        outbox_enqueue(key=f"{kind}:{i}:{robot.platform}", recipient=person, address=robot.address,
                       channel=robot.platform, kind=kind, subject=f"行动项{i}明天到期",
                       body_text=f"第{i}项：提交预算明细表。", link=f"/actions/{i}/",
                       headers={"Content-Language": person.language})
        for i in range(start, start + n)
    ]
