from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.actions"
    label = "actions"
    verbose_name = _("actions")

    def ready(self):
        from closeloop.directory.handover import register_open_work

        from .open_work import open_action_items

        register_open_work("actions", open_action_items)
