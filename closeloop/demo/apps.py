from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.demo"
    label = "demo"
    verbose_name = _("demo organisation")

    def ready(self):
        from closeloop.demo.login_hint import demo_login_hint
        from closeloop.directory.pages import login_hint

        login_hint.provide(demo_login_hint)
