from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.meetings"
    label = "meetings"
    verbose_name = _("meetings")
