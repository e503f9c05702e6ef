from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.actions"
    label = "actions"
    verbose_name = _("actions")

    def ready(self):
        from closeloop.meetings.signals import series_meeting_created

        series_meeting_created.connect(_review_open_items, dispatch_uid="actions.series_review")

        from closeloop.directory.handover import register_open_work

        from .open_work import open_action_items

        register_open_work("actions", open_action_items)


def _review_open_items(sender, *, actor, meeting, **kwargs):
    """A new meeting of a series starts with a topic reviewing the series' open action items."""
    from closeloop.actions.services.review import series_review_topic_ensure

    series_review_topic_ensure(actor=actor, meeting=meeting, new_meeting=True)
