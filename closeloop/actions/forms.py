"""Forms for action items. They only validate input; the services make the change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.org.models import Person

from .choices import ItemStatus
from .rules import TRANSITIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(forms.Form):
    # The version the person read: a save from an older one is refused rather than overwriting.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusForm(VersionForm):
    """Move the item on (a delay has its own form: it needs a new date)."""

    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("What was delivered / note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                           help_text=_("Needed when the item is done."))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000, help_text=_("Needed when the item is cancelled."))

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        targets = TRANSITIONS.get(item.status, ())
        self.fields["status"].choices = [(value, label) for value, label in ItemStatus.choices
                                         if value in targets and value != ItemStatus.DELAYED]


class DelayForm(VersionForm):
    new_due = forms.DateField(label=_("New due date"), widget=DATE)
    reason = forms.CharField(label=_("Why it is delayed"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class ProgressForm(VersionForm):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class SmartCheckForm(forms.Form):
    """The fields of an action-item form being typed; every one may still be empty."""

    task = forms.CharField(required=False, max_length=2000)
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    due = forms.DateField(required=False)
    deliverable = forms.CharField(required=False, max_length=2000)
    meeting = forms.IntegerField(required=False)

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(organisation_id=organisation_id, is_active=True)


class MineFilterForm(forms.Form):
    OPEN, OVERDUE, ALL = "open", "overdue", "all"
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[
        (OPEN, _("Open items")), (OVERDUE, _("Overdue")), (ALL, _("All, closed included"))])
