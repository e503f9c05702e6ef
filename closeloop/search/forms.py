from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY = 100


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY, strip=True)
