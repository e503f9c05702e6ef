"""Admin: read-mostly views of action items. Changes go through the pages and API, which keep the history;
the history itself is append-only here."""

from django.contrib import admin

from closeloop.actions.models import ActionItem, ActionItemEvent, ChangeRequest


class EventInline(admin.TabularInline):
    model = ActionItemEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "kind", "from_status", "to_status", "old_due", "new_due", "progress", "reason", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ChangeRequestInline(admin.TabularInline):
    """Asked by the owner, decided by the initiator on the item's page; shown here as it happened."""

    model = ChangeRequest
    fk_name = "item"
    extra = 0
    can_delete = False
    fields = ["created_at", "requested_by", "kind", "old_due", "new_due", "new_task", "new_deliverable", "reason",
              "state", "decided_by", "decided_at", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["task", "owner", "department", "due", "status", "progress", "owner_confirmed", "meeting"]
    list_filter = ["status", "owner_confirmed", "department"]
    search_fields = ["task", "deliverable", "owner__username", "owner__display_name"]
    date_hierarchy = "due"
    list_select_related = ["owner", "department", "meeting"]
    raw_id_fields = ["meeting", "topic", "decision", "owner", "collaborators", "created_by"]
    # The state machine, dates and version only change through the services (history + audit).
    readonly_fields = ["status", "progress", "due", "original_due", "owner_confirmed", "confirmed_at", "closed_at",
                       "version", "created_by", "created_at", "updated_at"]
    inlines = [ChangeRequestInline, EventInline]

    def has_delete_permission(self, request, obj=None):
        # Cancelling keeps the history; deleting would lose it.
        return False
