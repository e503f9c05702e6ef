"""The audit page's filter: who, what, when (a day range) and which kind of object."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from closeloop.audit.labels import action_label, object_label
from closeloop.lib.forms import DateField


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Who"), queryset=get_user_model().objects.none(), required=False,
                                   empty_label=_("Anyone"))
    action = forms.ChoiceField(label=_("What"), required=False)
    since = DateField(label=_("From"), required=False)
    until = DateField(label=_("Until"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)

    def __init__(self, *args, object_types, actions, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All types"))] + sorted(
            ((t, object_label(t)) for t in object_types), key=lambda choice: choice[1])
        self.fields["action"].choices = [("", _("Anything"))] + sorted(
            ((a, action_label(a, t)) for a, t in actions), key=lambda choice: choice[1])
        self.fields["actor"].queryset = get_user_model().objects.filter(organisation_id=organisation_id).order_by(
            "display_name", "username")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end comes before the start."))
        return data
