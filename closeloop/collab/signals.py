"""When a head signs the minutes of a meeting, the requests linked to it may become "agreed"
(the minutes app announces each sign-off with its `minutes_signed` signal)."""

from django.dispatch import receiver

from closeloop.minutes.signals import minutes_signed


def refresh_for_minutes(minutes_id):
    from closeloop.minutes.models import Minutes

    from .models import Request
    from .services import request_refresh_state

    meeting_id = Minutes.objects.filter(pk=minutes_id).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        return
    for request in Request.objects.filter(meeting_links__meeting_id=meeting_id):
        request_refresh_state(request)


@receiver(minutes_signed, dispatch_uid="collab.minutes_signed")
def on_signed(sender, minutes, **kwargs):
    refresh_for_minutes(minutes.pk)
