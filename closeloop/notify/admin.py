"""The outbox in the admin: what is waiting, what failed and why, and a way to try again."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_channels import AllowedWebhookHostAdmin, InboxItemAdmin, RobotAdmin  # noqa: F401
from .models import DeliveryAttempt, OutboxMessage, OutboxState


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["at", "ok", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "address", "state", "attempts", "next_attempt_at", "sent_at", "short_error"]
    list_filter = ["state", "channel", "kind"]
    search_fields = ["address", "subject", "idempotency_key", "last_error"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "idempotency_key", "channel", "recipient", "address", "kind", "subject", "body_text", "body_html",
        "attachments", "headers", "state", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at",
        "link", "folded_into",
    ]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_now"]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)

    @admin.action(description=_("Try the selected messages again now"))
    def retry_now(self, request, queryset):
        count = queryset.exclude(state=OutboxState.SENT).update(
            state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now(),
        )
        self.message_user(
            request, ngettext("%(n)d message queued again.", "%(n)d messages queued again.", count) % {"n": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
