"""Channels in the admin. A robot's URL and secret are write-only here too: the list and the form show the
redacted URL only, and an empty field on save keeps what is stored. Saving goes through the services'
checks (allow-list, platform rules), so the admin cannot store what the pages would refuse."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .allowlist import host_problem
from .models import AllowedWebhookHost, InboxItem, Robot
from .services_channels import _apply


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
