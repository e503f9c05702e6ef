from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.retro"
    label = "retro"
    verbose_name = _("retrospectives and progress sync")

    def ready(self):
        from closeloop.collab.hooks import request_panel
        from closeloop.meetings.pages import meeting_panel
        from closeloop.notify.scans import register_scan

        from .pages import meeting_side_panel, request_side_panel
        from .scans import scan_progress_late, scan_retrospectives_due

        request_panel.provide(request_side_panel)
        meeting_panel.provide(meeting_side_panel)
        register_scan("retro_due", scan_retrospectives_due, every=600)
        register_scan("retro_progress_late", scan_progress_late, every=1800)

        from django.urls import reverse

        from closeloop.audit.labels import register_object_links

        register_object_links({
            "retro.retrospective": lambda obj: reverse("retro:detail", args=[obj.pk]),
            "retro.improvement": lambda obj: reverse("retro:detail", args=[obj.retrospective_id])})
