"""The audit page's filter: which kind of object, and who changed it."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    actor = forms.ModelChoiceField(label=_("Who"), queryset=get_user_model().objects.none(), required=False,
                                   empty_label=_("Anyone"))

    def __init__(self, *args, object_types, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All types"))] + [(t, t) for t in object_types]
        self.fields["actor"].queryset = get_user_model().objects.filter(organisation_id=organisation_id).order_by(
            "display_name", "username")
