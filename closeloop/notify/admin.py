"""The outbox in the admin: what is waiting, what failed and why, and a way to try again."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from closeloop.notify.allowlist import host_problem
from closeloop.notify.models import (
    AllowedWebhookHost,
    DeliveryAttempt,
    InboxItem,
    OutboxMessage,
    OutboxState,
    Robot,
    ScanRun,
)
from closeloop.notify.services import _apply


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

@admin.register(InboxItem)
class InboxItemAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    readonly_fields = ["recipient", "key", "kind", "title", "body", "link", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RobotAdminForm(forms.ModelForm):
    new_url = forms.CharField(label=_("Webhook URL"), required=False, widget=forms.PasswordInput(render_value=False),
                              help_text=_("Never shown again; leave empty to keep the stored one."))
    new_secret = forms.CharField(label=_("Signing secret"), required=False,
                                 widget=forms.PasswordInput(render_value=False),
                                 help_text=_("Never shown again; leave empty to keep the stored one."))

    class Meta:
        model = Robot
        fields = ["department", "platform", "name", "kinds", "language", "enabled"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        robot = self.instance
        values = {k: data.get(k) for k in ("department", "platform", "name", "kinds", "language", "enabled")}
        values.update(url=data.get("new_url") or "", secret=data.get("new_secret") or "")
        try:
            _apply(robot, values, self.actor, creating=robot.pk is None)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name = {"url": "new_url", "secret": "new_secret"}.get(field, field)
                self.add_error(name if name in self.fields else None, errors)
        return data


@admin.register(Robot)
class RobotAdmin(admin.ModelAdmin):
    form = RobotAdminForm
    list_display = ["name", "department", "platform", "url_display", "enabled"]
    list_filter = ["platform", "enabled"]
    readonly_fields = ["url_display"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class WithActor(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, actor=request.user, **inner)

        return WithActor


class AllowedHostAdminForm(forms.ModelForm):
    class Meta:
        model = AllowedWebhookHost
        fields = ["organisation", "host", "note"]

    def clean_host(self):
        host = (self.cleaned_data.get("host") or "").strip().lower().strip("[]")
        problem = host_problem(host)
        if problem:
            raise ValidationError(problem)
        return host


@admin.register(AllowedWebhookHost)
class AllowedWebhookHostAdmin(admin.ModelAdmin):
    form = AllowedHostAdminForm
    list_display = ["host", "organisation", "note", "created_at"]


@admin.register(ScanRun)
class ScanRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "last_count", "runs", "next_run_at", "last_error"]
    readonly_fields = ["name", "next_run_at", "last_started_at", "last_finished_at", "last_count", "last_error",
                       "runs"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
