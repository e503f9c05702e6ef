from django import forms
from django.utils.translation import gettext_lazy as _


class RiskForm(forms.Form):
    note = forms.CharField(
        label=_("What puts the date at risk, and what support do you need?"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
