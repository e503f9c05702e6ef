from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.demo"
    label = "demo"
    verbose_name = _("demo organisation")
