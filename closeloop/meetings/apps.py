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
        from closeloop.audit.labels import register_object_links, register_value_labels
        from closeloop.meetings.choices import ParticipantRole

        def on_meeting(obj):
            return reverse("meetings:detail", args=[obj.meeting_id])

        register_object_links({"meetings.topic": on_meeting, "meetings.participant": on_meeting,
                               "meetings.material": on_meeting})
        register_value_labels("meetings.participant", "roles", dict(ParticipantRole.choices))
