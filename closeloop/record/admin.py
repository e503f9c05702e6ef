"""Meeting records in the admin, to look things up. Changes go through the live page and the API, which check
permissions, bump the revision the open pages poll for, and audit."""

from django.contrib import admin

from closeloop.record.models import Attendance, Decision, Disagreement, MeetingRecord, Note, TopicRecord


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["person", "presence", "reason", "substitute", "updated_at"]
    readonly_fields = fields


class TopicRecordInline(ReadOnlyInline):
    model = TopicRecord
    fields = ["topic", "started_at", "elapsed_seconds", "no_decision_reason"]
    readonly_fields = fields


class NoteInline(ReadOnlyInline):
    model = Note
    fields = ["topic", "department", "text", "author", "created_at"]
    readonly_fields = fields


class DisagreementInline(ReadOnlyInline):
    model = Disagreement
    fields = ["topic", "subject", "parties", "path", "escalate_to", "owner", "data_needed", "due", "action_item"]
    readonly_fields = fields


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ["topic", "text", "decided_by", "no_objection", "no_action_needed"]
    readonly_fields = fields


@admin.register(MeetingRecord)
class MeetingRecordAdmin(admin.ModelAdmin):
    list_display = ["meeting", "state", "opened_at", "closed_at", "closed_by", "revision"]
    list_filter = ["state"]
    search_fields = ["meeting__title"]
    list_select_related = ["meeting", "closed_by"]
    date_hierarchy = "opened_at"
    inlines = [AttendanceInline, TopicRecordInline, NoteInline, DisagreementInline, DecisionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
