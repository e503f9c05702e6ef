from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.minutes"
    label = "minutes"
    verbose_name = _("minutes")
