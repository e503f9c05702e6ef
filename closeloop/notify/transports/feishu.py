"""Feishu (飞书) custom bot with signature verification (签名校验).

As Feishu documents it: timestamp = now in SECONDS; string_to_sign = f"{timestamp}\\n{secret}";
HMAC-SHA256 whose KEY is string_to_sign and whose message is EMPTY; Base64. Timestamp and sign travel
in the JSON body. It differs from DingTalk in all three: key, message and time unit.
code 0 means delivered; 11232, 9499 (or HTTP 429) mean too frequent (100 a minute, 5 a second): slow down;
19021 means the sign did not match. Every code's meaning and outcome: `answers.ANSWERS`.
"""

import base64
import hashlib
import hmac
import time

from closeloop.notify.transports.base import TransportError
from closeloop.notify.transports.robots import RobotTransport, code_error, post, status_error


def feishu_sign(secret, timestamp_s):
    """The Base64 sign for `timestamp_s`."""
    string_to_sign = f"{timestamp_s}\n{secret}"
    digest = hmac.new(string_to_sign.encode("utf-8"), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def interpret(response):
    """Raise TransportError unless Feishu took the message.

    Feishu answers its codes with HTTP 200 or 400 (under load: 400 with code 9499, "too many request"), so a
    code in the body decides, by the table in `answers`; only an answer without one is judged by its status.
    """
    data = response.json()
    code = data.get("code", data.get("StatusCode")) if isinstance(data, dict) else None
    if code is None or response.status == 429:
        error = status_error(response, "feishu")
        raise error or TransportError("Feishu answered something that is not its JSON; will try again.")
    if code == 0:
        return
    text = str(data.get("msg", data.get("StatusMessage", "")))[:200]
    raise code_error("feishu", code, text, response, "Feishu")


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
