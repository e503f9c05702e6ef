"""Feishu (飞书) custom bot with signature verification (签名校验).

As Feishu documents it: timestamp = now in SECONDS; string_to_sign = f"{timestamp}\\n{secret}";
HMAC-SHA256 whose KEY is string_to_sign and whose message is EMPTY; Base64. Timestamp and sign travel
in the JSON body. It differs from DingTalk in all three: key, message and time unit.
code 0 means delivered; 11232 (or HTTP 429) means too frequent (100 a minute, 5 a second): slow down;
19021 means the sign did not match.
"""

import base64
import hashlib
import hmac
import time

from closeloop.notify.transports.base import TransportError
from closeloop.notify.transports.robots import RobotTransport, post, status_error

PERMANENT = {19001, 19002, 19021, 19022, 19024, 9499}
THROTTLED = {11232, 230020}


def feishu_sign(secret, timestamp_s):
    """The Base64 sign for `timestamp_s`."""
    string_to_sign = f"{timestamp_s}\n{secret}"
    digest = hmac.new(string_to_sign.encode("utf-8"), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def interpret(response):
    """Raise TransportError unless Feishu took the message (it answers its codes with HTTP 200 or 400)."""
    data = response.json()
    code = data.get("code", data.get("StatusCode")) if isinstance(data, dict) else None
    if code is None or response.status == 429 or response.status >= 500:
        error = status_error(response, "feishu")
        if error is not None:
            raise error
        if code is None:
            raise TransportError("Feishu answered something that is not its JSON; will try again.")
    text = str(data.get("msg", data.get("StatusMessage", "")))[:200]
    if code == 0:
        return
    if code in THROTTLED:
        raise TransportError(f"Feishu {code}: {text}", throttled=True, retry_after=response.retry_after() or 60)
    raise TransportError(f"Feishu {code}: {text}", permanent=code in PERMANENT or 400 <= response.status < 500)


class FeishuTransport(RobotTransport):
    platform = "feishu"
    max_bytes = 18000

    def deliver(self, robot, title, text):
        payload = {
            "msg_type": "interactive",
            "card": {
                "header": {"title": {"tag": "plain_text", "content": title[:100]}},
                "elements": [{"tag": "markdown", "content": text}],
            },
        }
        if robot.secret:
            timestamp = int(time.time())
            payload = {"timestamp": str(timestamp), "sign": feishu_sign(robot.secret, timestamp), **payload}
        interpret(post(robot.url, payload, organisation=robot.organisation))
