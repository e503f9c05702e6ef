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

        from closeloop.actions.pages import item_page_actions
        from closeloop.followup.views.risk import risk_action

        item_page_actions.provide(risk_action)
