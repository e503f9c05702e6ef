from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.collab"
    label = "collab"
    verbose_name = _("collaboration requests")

    def ready(self):
        from django.urls import reverse

        from closeloop.audit.labels import register_object_links

        from . import signals  # noqa: F401  (minutes sign-offs move a request to "agreed")

        def on_request(obj):
            return reverse("collab:detail", args=[obj.request_id])

        register_object_links({"collab.request": lambda obj: reverse("collab:detail", args=[obj.pk]),
                               "collab.receipt": on_request, "collab.memo": on_request,
                               "collab.resourcerequest": on_request})

        try:
            from closeloop.notify.scans import register_scan
        except ImportError:  # the scan registry arrives with the restructured notify app
            return
        from .scans import scan_unanswered

        register_scan("collab_answers", scan_unanswered, every=600)
