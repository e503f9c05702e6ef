"""Minutes in the admin, to look things up. Approved minutes are read-only here as everywhere (the database
refuses changes too); drafts change through the minutes pages and API, which check, lock and audit."""

from django.contrib import admin

from closeloop.minutes.models import Minutes, SignOff


class SignOffInline(admin.TabularInline):
    model = SignOff
    extra = 0
    can_delete = False
    fields = ["department", "head", "signed_at", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "state", "due_at", "approved_by", "approved_at", "distributed_at"]
    list_filter = ["state"]
    search_fields = ["meeting__title"]
    list_select_related = ["meeting", "approved_by"]
    date_hierarchy = "created_at"
    inlines = [SignOffInline]
    readonly_fields = [f.name for f in Minutes._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Frozen rows never; drafts neither, so every change keeps its lock and audit row.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
