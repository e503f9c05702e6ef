from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.minutes"
    label = "minutes"
    verbose_name = _("minutes")

    def ready(self):
        from django.urls import reverse

        from closeloop.audit.labels import register_object_link
        from closeloop.directory.handover import register_open_work
        from closeloop.meetings.signals import participant_removed
        from closeloop.minutes.services import signoffs_revoke_for

        from .open_work import pending_signoffs

        register_object_link("minutes.minutes", lambda pk: reverse("minutes:detail", args=[int(pk)]))
        from closeloop.audit.labels import register_object_links

        register_object_links({"minutes.signoff": lambda obj: reverse("minutes:detail", args=[obj.minutes_id])})
        participant_removed.connect(signoffs_revoke_for, dispatch_uid="minutes_signoffs_revoke")
        register_open_work("minutes", pending_signoffs)

        from closeloop.notify.scans import register_scan

        from .scans import scan_signoffs

        register_scan("minutes_signoffs", scan_signoffs, every=3600)
        from closeloop.meetings.services.access import agenda_locked

        from .selectors import minutes_distributed

        agenda_locked.provide(minutes_distributed)
