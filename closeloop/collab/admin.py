from django.contrib import admin

from .models import CollabPolicy, Memo, MemoSignature, Receipt, Request, RequestEvent


class ReceiptInline(admin.TabularInline):
    model = Receipt
    extra = 0
    fields = ["department", "delegate", "state", "answer_due", "answered_by", "answered_at", "escalated_at"]
    readonly_fields = ["state", "answer_due", "answered_by", "answered_at", "escalated_at"]


class EventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    fields = ["at", "kind", "receipt", "answer", "actor", "note", "late"]
    readonly_fields = fields
    can_delete = False


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    """Read-mostly: states move through the services, never by hand here."""

    list_display = ["subject", "initiator", "initiating_department", "state", "due", "priority", "organisation"]
    list_filter = ["state", "scenario", "priority", "confidential", "organisation"]
    search_fields = ["subject", "what"]
    readonly_fields = ["state", "sent_at", "version"]
    inlines = [ReceiptInline, EventInline]


@admin.register(CollabPolicy)
class CollabPolicyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "materials_lead_workdays", "materials_mode", "escalate_after_workdays"]
    filter_horizontal = ["management"]


class MemoSignatureInline(admin.TabularInline):
    model = MemoSignature
    extra = 0
    fields = ["department", "head", "signed_at", "method", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    """Read-only: memos change through their services; a signed one is frozen by the database as well."""

    list_display = ["request", "number", "state", "signed_at"]
    list_filter = ["state"]
    readonly_fields = ["request", "number", "state", "content", "previous", "amendment_reason", "signed_at",
                       "submitted_at", "created_by", "version"]
    inlines = [MemoSignatureInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
