"""WeCom (企业微信) group robot: a markdown post to the webhook's key URL, no signing.

errcode 0 means delivered; 45009 means too many messages (20 a minute per robot): slow down;
93000 means the webhook URL (its key) is invalid. Markdown content is at most 4096 bytes.
"""

from closeloop.notify.transports.base import TransportError
from closeloop.notify.transports.robots import RobotTransport, code_error, post, status_error


def interpret(response):
    """Raise TransportError unless WeCom took the message."""
    error = status_error(response, "wecom")
    if error is not None:
        raise error
    data = response.json()
    if not isinstance(data, dict) or "errcode" not in data:
        raise TransportError("WeCom answered something that is not its JSON; will try again.")
    code, text = data.get("errcode"), str(data.get("errmsg", ""))[:200]
    if code == 0:
        return
    raise code_error("wecom", code, text, response, "WeCom")


class WeComTransport(RobotTransport):
    platform = "wecom"
    max_bytes = 4000

    def deliver(self, robot, title, text):
        payload = {"msgtype": "markdown", "markdown": {"content": text}}
        interpret(post(robot.url, payload, organisation=robot.organisation))
