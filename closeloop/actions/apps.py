from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.actions"
    label = "actions"
    verbose_name = _("actions")
