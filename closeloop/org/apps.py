from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.org"
    label = "org"
    verbose_name = _("org")

    def ready(self):
        from django.urls import reverse

        from closeloop.audit.labels import register_object_links

        # The audit page is the administrators': a person's entry leads to their administration page.
        register_object_links({"org.person": lambda obj: reverse("org:person_edit", args=[obj.pk])})
