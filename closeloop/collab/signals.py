"""Minutes live below this app: when a head signs them off, the requests of that meeting may become agreed."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from closeloop.minutes.models import Minutes, SignOff

from .models import Request


def _refresh_for_meeting(meeting_id):
    from .services import request_refresh_state

    for request in Request.objects.filter(meeting_links__meeting_id=meeting_id):
        request_refresh_state(request)


@receiver(post_save, sender=SignOff, dispatch_uid="collab.signoff")
def on_signoff(sender, instance, **kwargs):
    if instance.signed_at is not None:
        _refresh_for_meeting(instance.minutes.meeting_id)


@receiver(post_save, sender=Minutes, dispatch_uid="collab.minutes")
def on_minutes(sender, instance, **kwargs):
    if instance.signed_off_at is not None:
        _refresh_for_meeting(instance.meeting_id)
