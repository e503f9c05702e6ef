from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.archive"
    label = "archive"
    verbose_name = _("archive")
