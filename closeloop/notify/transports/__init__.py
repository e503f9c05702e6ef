"""One transport per channel, each with one `send()`; `transport_for` picks it."""

from django.utils.module_loading import import_string

from closeloop.notify.transports.base import Transport, TransportError

TRANSPORTS = {
    "email": "closeloop.notify.transports.email.EmailTransport",
    "inbox": "closeloop.notify.transports.inbox.InboxTransport",
    "dingtalk": "closeloop.notify.transports.dingtalk.DingTalkTransport",
    "wecom": "closeloop.notify.transports.wecom.WeComTransport",
    "feishu": "closeloop.notify.transports.feishu.FeishuTransport",
    "webhook": "closeloop.notify.transports.webhook.WebhookTransport",
}


def transport_for(channel):
    path = TRANSPORTS.get(channel)
    if path is None:
        raise TransportError(f"No transport for channel {channel!r}", permanent=True)
    return import_string(path)()


__all__ = ["Transport", "TransportError", "transport_for", "TRANSPORTS"]
