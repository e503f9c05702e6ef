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

        from django.conf import settings
        from django.db.models.signals import post_save

        post_save.connect(_owner_renamed, sender=settings.AUTH_USER_MODEL, dispatch_uid="actions.owner_sort")

        from django.urls import reverse

        from closeloop.audit.labels import register_object_link

        register_object_link("actions.actionitem", lambda pk: reverse("actions:detail", args=[int(pk)]))


def _owner_renamed(sender, *, instance, update_fields=None, raw=False, **kwargs):
    """The owner sort reads a copy of the owner's name on each item: a new name is copied to their items."""
    if raw or (update_fields is not None and "display_name" not in update_fields):
        return
    from closeloop.actions.models import ActionItem, owner_sort_key

    key = owner_sort_key(instance)
    ActionItem.objects.filter(owner=instance).exclude(owner_sort=key).update(owner_sort=key)


def _review_open_items(sender, *, actor, meeting, **kwargs):
    """A new meeting of a series starts with a topic reviewing the series' open action items."""
    from closeloop.actions.services.review import series_review_topic_ensure

    series_review_topic_ensure(actor=actor, meeting=meeting, new_meeting=True)
