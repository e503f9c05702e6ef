"""The archive's query strings, checked once for the page and the API: errors name the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.archive import rules
from closeloop.archive.search import KINDS
from closeloop.archive.selectors import ArchiveFilter
from closeloop.org.models import Department, Person

MAX_QUERY = 100


def _id_or_none(value, field):
    if value in (None, ""):
        return None
    if value == rules.NONE:
        return rules.NONE
    try:
        if int(value) > 0:
            return str(int(value))
    except (TypeError, ValueError):
        pass
    raise forms.ValidationError(_("Choose one from the list."), code=f"invalid_{field}")


class ArchiveFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)
    department = forms.CharField(label=_("Department"), required=False)
    project = forms.CharField(label=_("Project"), required=False)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1)

    def clean_department(self):
        return _id_or_none(self.cleaned_data.get("department"), "department")

    def clean_project(self):
        return _id_or_none(self.cleaned_data.get("project"), "project")

    def filters(self):
        data = self.cleaned_data
        return ArchiveFilter(year=data.get("year"), department=data.get("department"), project=data.get("project"))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), max_length=MAX_QUERY)
    kind = forms.ChoiceField(label=_("Only"), required=False, choices=[("", _("Everything")), *KINDS])
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autofocus": True, "autocomplete": "off"})


class ProjectForm(forms.Form):
    """A project: its name, lead department, participating departments, owner (lead) and members."""

    name = forms.CharField(label=_("Name"), max_length=200)
    department = forms.ModelChoiceField(label=_("Lead department"), queryset=None, required=False)
    departments = forms.ModelMultipleChoiceField(label=_("Participating departments"), queryset=None,
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    lead = forms.ModelChoiceField(label=_("Owner (project lead)"), queryset=None, required=False)
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=None, required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 8}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the copy edited; stale is refused

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(organisation=organisation)
        people = Person.objects.filter(organisation=organisation, is_active=True).order_by("display_name", "username")
        self.fields["department"].queryset = self.fields["departments"].queryset = departments
        self.fields["lead"].queryset = self.fields["members"].queryset = people
