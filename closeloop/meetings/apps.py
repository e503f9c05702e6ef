from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.meetings"
    label = "meetings"
    verbose_name = _("meetings")

    def ready(self):
        from django.urls import reverse

        from closeloop.audit.labels import register_object_link

        register_object_link("meetings.meeting", lambda pk: reverse("meetings:detail", args=[int(pk)]))
