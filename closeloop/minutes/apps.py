from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.minutes"
    label = "minutes"
    verbose_name = _("minutes")

    def ready(self):
        from closeloop.directory.handover import register_open_work

        from .open_work import pending_signoffs

        register_open_work("minutes", pending_signoffs)
