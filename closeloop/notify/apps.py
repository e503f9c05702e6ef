from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.notify"
    label = "notify"
    verbose_name = _("notify")
