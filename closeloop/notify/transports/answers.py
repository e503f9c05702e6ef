"""What each robot platform's answer codes mean, in one table, and what the worker does about each.

The meanings are the platforms' own, from their public documentation of the group robot / custom bot
(DingTalk 自定义机器人, WeCom 群机器人, Feishu 自定义机器人) and of their open platforms' global error codes.

- THROTTLED: the platform asks us to slow down. The robot is held back (every worker sees it), the message
  is due again after the pause and the attempt does not count towards giving up.
- BUSY: the platform could not take the message now (system busy, internal error). Retried with the usual
  back-off; the attempt counts.
- PERMANENT: retrying cannot help until someone fixes the robot (bad signature, bad URL, robot removed or
  switched off, a security setting refusing the content, a message the platform cannot take).

A code missing from the table is retried as BUSY: a platform adding a code must never drop messages. Only
the codes documented here as permanent give up at once.
"""

from dataclasses import dataclass
from enum import Enum


class Outcome(Enum):
    THROTTLED = "throttled"
    BUSY = "busy"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    meaning: str  # the platform's documented meaning (its own words first)


T, B, P = Outcome.THROTTLED, Outcome.BUSY, Outcome.PERMANENT

ANSWERS = {
    "dingtalk": {
        -1: Answer(B, "系统繁忙 — system busy"),
        88: Answer(B, "服务内部错误 — internal service error"),
        130101: Answer(T, "send too fast, exceed 20 times per minute — 发送速度太快而限流"),
        410100: Answer(T, "发送速度太快而限流 — sending too fast, rate limited"),
        90018: Answer(T, "接口调用频率超过限制 — API calls over the frequency limit"),
        300001: Answer(P, "token is not exist — 无效的 access_token (robot removed or wrong URL)"),
        300005: Answer(P, "token is not exist — the robot's access token does not exist"),
        310000: Answer(P, "keywords not in content / sign not match / ip not in whitelist — 安全设置校验失败"),
        400101: Answer(P, "access_token 不存在 — access token missing"),
        400102: Answer(P, "机器人已停用 — robot switched off"),
        400105: Answer(P, "不支持发送的消息类型 — message type not supported"),
        400106: Answer(P, "机器人不存在 — robot does not exist"),
        430101: Answer(P, "含有不安全的外链 — contains an unsafe link"),
        430102: Answer(P, "含有不合适的文本 — contains unsuitable text"),
        430103: Answer(P, "含有不合适的图片 — contains an unsuitable image"),
        430104: Answer(P, "含有不合适的内容 — contains unsuitable content"),
    },
    "wecom": {
        -1: Answer(B, "系统繁忙 — system busy, try again later"),
        45009: Answer(T, "接口调用超过限制 — api freq out of limit (20 messages a minute per robot)"),
        45033: Answer(T, "接口并发调用超过限制 — api concurrent out of limit"),
        93000: Answer(P, "invalid webhook url — webhook 地址无效（key 错误或机器人已删除）"),
        93004: Answer(P, "机器人被停用 — robot switched off"),
        93008: Answer(P, "不在群里 — the robot is no longer in the group"),
        40008: Answer(P, "不合法的消息类型 — invalid message type"),
        40058: Answer(P, "不合法的参数 — invalid parameter"),
        44004: Answer(P, "文本消息内容为空 — empty message content"),
        40001: Answer(P, "不合法的 secret 参数 — invalid credential"),
        40014: Answer(P, "不合法的 access_token — invalid access token"),
    },
    "feishu": {
        9499: Answer(T, "too many request — 请求过于频繁（网关限流，HTTP 400）"),
        11232: Answer(T, "frequency limited — 发送频率超过限制（100 次/分钟，5 次/秒）"),
        230020: Answer(T, "This operation triggers the frequency limit — 触发频率限制"),
        99991400: Answer(T, "request trigger frequency limit — 请求频率超过限制"),
        11233: Answer(B, "internal error — 服务内部错误"),
        19001: Answer(P, "param invalid: incoming webhook access token invalid — webhook 地址无效"),
        19002: Answer(P, "params error, msg_type need — 请求格式错误"),
        19021: Answer(P, "sign match fail or timestamp is not within one hour from current time — 签名校验失败"),
        19022: Answer(P, "Ip Not Allowed — 请求 IP 不在白名单"),
        19024: Answer(P, "Key Words Not Found — 消息不含自定义关键词"),
    },
}

# Words in an answer's text that mean "slow down" whatever its code (DingTalk and Feishu both use them).
THROTTLE_WORDS = ("too fast", "too many request", "frequency limit", "freq out of limit")


def classify(platform, code, text=""):
    """The outcome of answer `code` (not 0) from `platform`, by the table; unknown codes retry (BUSY)."""
    answer = ANSWERS.get(platform, {}).get(code)
    if answer is not None:
        return answer.outcome
    if any(word in (text or "").lower() for word in THROTTLE_WORDS):
        return Outcome.THROTTLED
    return Outcome.BUSY


def meaning(platform, code):
    """The documented meaning of `code`, or ""."""
    answer = ANSWERS.get(platform, {}).get(code)
    return answer.meaning if answer else ""
