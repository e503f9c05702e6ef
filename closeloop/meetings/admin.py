"""Meetings in the admin, to look things up. Changes go through the pages and API, which check and audit."""

from django.contrib import admin

from closeloop.meetings.models import Material, Meeting, Participant, Series, Topic


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TopicInline(ReadOnlyInline):
    model = Topic
    fields = ["order", "title", "presenter", "minutes", "presentation_minutes", "kind", "required_outcome", "urgent"]


class ParticipantInline(ReadOnlyInline):
    model = Participant
    fields = ["person", "roles", "required", "response", "response_reason", "substitute", "responded_at"]


class MaterialInline(ReadOnlyInline):
    model = Material
    fields = ["name", "topic", "size", "content_type", "pages", "uploaded_by", "uploaded_at"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "start", "state", "project", "urgent", "confidential", "organisation"]
    list_filter = ["state", "type", "urgent", "confidential", "organisation"]
    search_fields = ["title", "objective", "place"]
    date_hierarchy = "start"
    list_select_related = ["project", "organisation"]
    inlines = [TopicInline, ParticipantInline, MaterialInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]
