from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.collab"
    label = "collab"
    verbose_name = _("collaboration requests")

    def ready(self):
        from . import signals  # noqa: F401  (minutes sign-offs move a request to "agreed")

        try:
            from closeloop.notify.scans import register_scan
        except ImportError:  # the scan registry arrives with the restructured notify app
            return
        from .scans import scan_unanswered

        register_scan("collab_answers", scan_unanswered, every=600)
