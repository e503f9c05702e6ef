from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.directory"
    label = "directory"
    verbose_name = _("directory")

    def ready(self):
        from . import signals  # noqa: F401  (connects django-auth-ldap's populate_user)
