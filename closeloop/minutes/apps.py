from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.minutes"
    label = "minutes"
    verbose_name = _("minutes")

    def ready(self):
        from closeloop.meetings.signals import participant_removed
        from closeloop.minutes.services import signoffs_revoke_for

        participant_removed.connect(signoffs_revoke_for, dispatch_uid="minutes_signoffs_revoke")
