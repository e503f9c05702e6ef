"""Forms of the working-calendar page: one day, an import file, the year shown."""

from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.lib.forms import DateField
from closeloop.workcal.imports import NAME_MAX, YEAR_MAX, YEAR_MIN

TOGGLE, CLEAR = "", "clear"


class DayForm(forms.Form):
    date = DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Make it"), required=False, choices=[
        (TOGGLE, _("the opposite of what it is now")), ("holiday", _("a holiday")),
        ("workday", _("a working day")), (CLEAR, _("what the sources say (remove the entry)")),
    ])
    name = forms.CharField(label=_("Name"), required=False, max_length=NAME_MAX)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or .ics)"))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX,
                              help_text=_("Leave empty to take it from the file; days of other years in an "
                                          ".ics file are left out."))
    replace = forms.BooleanField(label=_("Delete the year's existing days first"), required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
