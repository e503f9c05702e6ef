"""Forms for the inbox and channel settings pages; services do the checking that names the field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from closeloop.notify.models import ROBOT_PLATFORMS, Channel, Kind
from closeloop.org.choices import Language


def channel_field_name(kind):
    return f"channels_{kind}"


class PreferencesForm(forms.Form):
    """One row of channel boxes per kind of message, and quiet hours."""

    quiet_start = forms.TimeField(label=_("Quiet hours from"), required=False,
                                  widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    quiet_end = forms.TimeField(label=_("Quiet hours until"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                help_text=_("In your time zone. Messages due in quiet hours wait until they end; "
                                            "the inbox receives them at once."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[channel_field_name(kind)] = forms.MultipleChoiceField(
                label=label, choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple)
        self.order_fields([channel_field_name(k) for k in Kind.values] + ["quiet_start", "quiet_end"])

    def channel_fields(self):
        return [self[channel_field_name(kind)] for kind in Kind.values]

    def channels(self):
        return {kind: self.cleaned_data.get(channel_field_name(kind)) or [] for kind in Kind.values}

    @staticmethod
    def field_for_error(key):
        """Service error keys ('channels.reminder') as this form's field names."""
        return key.replace("channels.", "channels_") if key.startswith("channels.") else key


class RobotForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    platform = forms.ChoiceField(label=_("Platform"), choices=ROBOT_PLATFORMS)
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("Webhook URL"), required=False, max_length=1000,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Copied whole from the robot's settings. It is never shown again; leave empty to keep it."),
    )
    secret = forms.CharField(
        label=_("Signing secret"), required=False, max_length=300,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("DingTalk (SEC…), Feishu and webhooks sign every message. Never shown again; leave empty "
                    "to keep it."),
    )
    kinds = forms.MultipleChoiceField(label=_("Kinds of message"), choices=Kind.choices,
                                      widget=forms.CheckboxSelectMultiple, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        from closeloop.org.models import Department

        self.fields["department"].queryset = Department.objects.filter(pk__in=[d.pk for d in departments])

    def robot_data(self):
        return dict(self.cleaned_data)


class AllowedHostForm(forms.Form):
    host = forms.CharField(label=pgettext_lazy("network address", "Host"), max_length=255,
                           help_text=_("A host name, an IP address or a network such as 10.1.0.0/16."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class OutboxFilterForm(forms.Form):
    """The outbox page's filters (a GET form): state, channel, and part of a recipient's name or address."""

    STATES = [("", _("Undelivered (failed and pending)")), ("failed", _("Failed")), ("pending", _("Pending")),
              ("sent", _("Sent")), ("all", _("All"))]

    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All channels")), *Channel.choices],
                                required=False)
    recipient = forms.CharField(label=_("Recipient"), max_length=100, required=False,
                                help_text=_("Part of a name, username or address."))

    def filters(self):
        """The valid filters as keyword arguments of `outbox_filtered` (an invalid one is left out)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data.get(name) or "" for name in ("state", "channel", "recipient")}
