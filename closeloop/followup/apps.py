from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.followup"
    label = "followup"
    verbose_name = _("follow-ups")
