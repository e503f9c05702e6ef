"""Minutes live below this app and sign off with bulk updates (no model signal), but every sign-off writes an
audit row: that row is the hook. When a head signs, the requests of that meeting may become "agreed"."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from closeloop.audit.models import AuditEntry

SIGN_OFF_ACTIONS = {"minutes.sign_off", "minutes.signed_off"}


def refresh_for_minutes(minutes_id):
    from closeloop.minutes.models import Minutes

    from .models import Request
    from .services import request_refresh_state

    meeting_id = Minutes.objects.filter(pk=minutes_id).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        return
    for request in Request.objects.filter(meeting_links__meeting_id=meeting_id):
        request_refresh_state(request)


@receiver(post_save, sender=AuditEntry, dispatch_uid="collab.minutes_signed")
def on_audit(sender, instance, created, **kwargs):
    if not created or instance.action not in SIGN_OFF_ACTIONS:
        return
    if instance.action == "minutes.signed_off":
        refresh_for_minutes(instance.object_id)
    else:
        refresh_for_minutes((instance.after or {}).get("minutes"))
