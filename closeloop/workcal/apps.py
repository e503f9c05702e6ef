from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.workcal"
    label = "workcal"
    verbose_name = _("working calendar")
