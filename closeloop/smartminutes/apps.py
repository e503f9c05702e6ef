from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmartMinutesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "closeloop.smartminutes"
    verbose_name = _("Smart minutes")
