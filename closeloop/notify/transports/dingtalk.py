"""DingTalk group robot (自定义机器人) with the signing secret (加签).

As DingTalk documents it: timestamp = now in MILLISECONDS; string_to_sign = f"{timestamp}\\n{secret}";
HMAC-SHA256 keyed by the SECRET over string_to_sign; Base64; then URL-encoded; both go into the query
string as &timestamp=…&sign=…. The body is a markdown message. errcode 0 means delivered.
A robot takes 20 messages a minute and is blocked for 10 minutes after a burst ("send too fast").
"""

import base64
import hashlib
import hmac
import time
from urllib.parse import urlencode

from closeloop.notify.transports.base import TransportError
from closeloop.notify.transports.robots import RobotTransport, code_error, post, status_error


def dingtalk_sign(secret, timestamp_ms):
    """The Base64 sign (before URL-encoding) for `timestamp_ms`."""
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_url(url, secret, timestamp_ms):
    """The webhook URL with &timestamp=…&sign=… (URL-encoded, as the documentation asks)."""
    query = urlencode({"timestamp": str(timestamp_ms), "sign": dingtalk_sign(secret, timestamp_ms)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def interpret(response):
    """Raise TransportError unless DingTalk took the message."""
    if response.status in (301, 302, 303, 307):  # what DingTalk answers while a robot is blocked
        raise TransportError(f"HTTP {response.status}: DingTalk blocks this robot for now (send too fast).",
                             throttled=True, retry_after=response.retry_after() or 600)
    error = status_error(response, "dingtalk")
    if error is not None:
        raise error
    data = response.json()
    if not isinstance(data, dict) or "errcode" not in data:
        raise TransportError("DingTalk answered something that is not its JSON; will try again.")
    code, text = data.get("errcode"), str(data.get("errmsg", ""))[:200]
    if code == 0:
        return
    raise code_error("dingtalk", code, text, response, "DingTalk")


class DingTalkTransport(RobotTransport):
    platform = "dingtalk"
    max_bytes = 18000

    def deliver(self, robot, title, text):
        url = signed_url(robot.url, robot.secret, int(time.time() * 1000)) if robot.secret else robot.url
        payload = {"msgtype": "markdown", "markdown": {"title": title[:100], "text": text}}
        interpret(post(url, payload, organisation=robot.organisation))
