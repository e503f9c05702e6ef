"""The in-app inbox: the message becomes an item in its recipient's inbox (once, whatever the retries)."""

from django.contrib.auth import get_user_model

from closeloop.notify.transports.base import Transport, TransportError
from closeloop.notify.transports.robots import link_of


class InboxTransport(Transport):
    def send(self, message):
        from closeloop.notify.models import InboxItem

        recipient_id = message.recipient_id or (int(message.address) if message.address.isdigit() else None)
        if recipient_id is None or not get_user_model().objects.filter(pk=recipient_id, is_active=True).exists():
            raise TransportError("This inbox message has no active recipient.", permanent=True)
        InboxItem.objects.get_or_create(key=message.idempotency_key, defaults={
            "recipient_id": recipient_id, "kind": message.kind, "title": message.subject,
            "body": message.body_text, "link": link_of(message),
        })
