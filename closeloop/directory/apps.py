from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.directory"
    label = "directory"
    verbose_name = _("directory")

    def ready(self):
        from django.conf import settings

        # Only where LDAP sign-in is on: python-ldap weighs several MB in every process (the worker's too).
        if any(backend.endswith("LDAPBackend") for backend in settings.AUTHENTICATION_BACKENDS):
            from . import signals  # noqa: F401  (connects django-auth-ldap's populate_user)
