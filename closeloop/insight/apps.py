from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.insight"
    label = "insight"
    verbose_name = _("insight")

    def ready(self):
        try:
            from closeloop.notify.scans import register_scan
        except ImportError:  # the worker's scan registry arrives with the house plan; until then, no schedule
            return

        from .notifications import monthly_report_scan

        # Hourly: the scan itself sends only on the first working day of a month, once per month.
        register_scan("insight_monthly_report", monthly_report_scan, every=3600)
