from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.record"
    label = "record"
    verbose_name = _("record")

    def ready(self):
        from closeloop.actions.selectors.items import attendance_of
        from closeloop.record.selectors import attendance_rows

        attendance_of.provide(attendance_rows)  # who was there decides whom an item may be given to

        from closeloop.actions.pages import item_page_actions
        from closeloop.record.views.ruling import ruling_action

        item_page_actions.provide(ruling_action)  # the decider of an escalated disagreement rules from the item

        from closeloop.meetings.signals import participants_changed
        from closeloop.record.services.writing import on_participants_changed

        participants_changed.connect(on_participants_changed, dispatch_uid="record_participants_changed")

        from django.urls import reverse

        from closeloop.audit.labels import register_object_links

        def on_record(obj):
            return reverse("record:live", args=[obj.record.meeting_id])

        register_object_links({
            "record.meetingrecord": lambda obj: reverse("record:live", args=[obj.meeting_id]),
            **{f"record.{name}": on_record for name in ("attendance", "topicrecord", "note", "decision")},
            "record.disagreement": on_record})
