"""Forms for the minutes pages: the editor (one textarea per section) and the short reason/comment forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.minutes.choices import SECTIONS

# Long sections get tall boxes; the information fields stay short.
ROWS = {"summary": 14, "decisions": 6, "action_plan": 6, "attendees": 3, "absences": 3, "agenda": 3}


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SECTIONS:
            self.fields[key] = forms.CharField(
                label=label, required=False, strip=False,
                widget=forms.Textarea(attrs={"rows": ROWS.get(key, 1), "class": f"section section-{key}"}),
            )

    def content(self):
        return {key: self.cleaned_data.get(key) or "" for key, _label in SECTIONS}

    def section_fields(self):
        return [self[key] for key, _label in SECTIONS]


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3}))


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


class SignOffForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
