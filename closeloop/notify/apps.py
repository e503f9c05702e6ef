from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.notify"
    label = "notify"
    verbose_name = _("notify")

    def ready(self):
        from django.conf import settings

        from closeloop.directory.handover import person_left

        from .leavers import tell_head_about_leaver
        from .scans import register_scan

        person_left.connect(tell_head_about_leaver, dispatch_uid="notify.leaver_handover")
        # The directory is read on a schedule inside the worker when LDAP is configured.
        if settings.LDAP_SERVER_URI and settings.LDAP_SYNC_EVERY_SECONDS:
            from closeloop.directory.scans import directory_sync_scan  # python-ldap only where LDAP is on

            register_scan("directory_sync", directory_sync_scan, every=settings.LDAP_SYNC_EVERY_SECONDS)
