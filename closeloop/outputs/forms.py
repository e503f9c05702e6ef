"""The form for an item's scenario columns: only the fields its meeting's output asks for. Parsing only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.outputs import rules

FIELD_TYPES = {
    "problem": lambda: forms.CharField(label=_("Problem"), required=False, widget=forms.Textarea(attrs={"rows": 2})),
    "root_cause": lambda: forms.CharField(label=_("Root cause"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2})),
    "verification": lambda: forms.CharField(label=_("Verification standard"), required=False,
                                            widget=forms.Textarea(attrs={"rows": 2})),
    "milestone": lambda: forms.CharField(
        label=_("Milestone"), required=False, max_length=200,
        help_text=_("Name it when this item is a milestone, e.g. “M1 design frozen”.")),
    "need": lambda: forms.CharField(label=_("Request"), required=False, widget=forms.Textarea(attrs={"rows": 2})),
    "value": lambda: forms.CharField(label=_("Value"), required=False, widget=forms.Textarea(attrs={"rows": 2})),
    "resources": lambda: forms.CharField(label=_("Resources needed"), required=False),
    "priority": lambda: forms.IntegerField(label=_("Priority"), required=False, min_value=1, max_value=99,
                                           help_text=_("1 is the highest.")),
    "allocation": lambda: forms.CharField(label=_("Allocation decided"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2})),
    "goal": lambda: forms.CharField(label=_("Next phase goal"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2})),
    "adjustment": lambda: forms.CharField(label=_("Adjustment decided"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2})),
}


class ItemColumnsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, kind, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in rules.PROMPTED[kind]:
            if name == "requested_by":
                field = forms.ModelChoiceField(label=_("Requesting department"), required=False,
                                               queryset=departments, empty_label="—")
            else:
                field = FIELD_TYPES[name]()
            self.fields[name] = field

    def columns(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}
