from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.outputs"
    label = "outputs"
    verbose_name = _("scenario outputs")

    def ready(self):
        from closeloop.minutes.signals import distribution_attachments, minutes_approved, minutes_distributed
        from closeloop.record.pages import live_panels

        from .notifications import attachments_for, output_send
        from .pages import record_panels
        from .services import output_generate

        minutes_approved.connect(output_generate, dispatch_uid="outputs_generate")
        minutes_distributed.connect(output_send, dispatch_uid="outputs_send")
        distribution_attachments.provide(attachments_for)
        live_panels.provide(record_panels)
