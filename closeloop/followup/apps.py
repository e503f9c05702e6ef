from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.followup"
    label = "followup"
    verbose_name = _("follow-ups")

    def ready(self):
        from closeloop.followup.scans import SCANS
        from closeloop.notify.scans import register_scan

        for name, (scan, every) in SCANS.items():
            register_scan(name, scan, every=every)
