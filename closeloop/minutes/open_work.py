"""Sign-offs a leaver still owes, for the directory's hand-over list (plugged in from AppConfig.ready)."""

from django.urls import reverse

from closeloop.directory.handover import OpenWork

from .models import SignOff


def pending_signoffs(person):
    signoffs = (SignOff.objects.filter(head=person, signed_at__isnull=True)
                .select_related("minutes__meeting", "department").order_by("pk"))
    return [OpenWork("signoff", f"{s.minutes.meeting.title} · {s.department}",
                     reverse("minutes:detail", args=[s.minutes_id])) for s in signoffs]
