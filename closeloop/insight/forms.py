from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.insight import rules
from closeloop.lib.forms import DateField
from closeloop.meetings.choices import MeetingType


class InsightForm(forms.Form):
    """The period (week, month, quarter around a day, or a custom range) and the filters of the figures."""

    period = forms.ChoiceField(label=_("Period"), required=False, choices=[
        (rules.WEEK, _("Week")), (rules.MONTH, _("Month")), (rules.QUARTER, _("Quarter")),
        (rules.CUSTOM, _("Custom"))])
    on = DateField(label=_("Around"), required=False)
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label=_("Meeting type"), required=False)

    def __init__(self, *args, departments=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + [(d.pk, d.name) for d in departments]
        self.fields["project"].choices = [("", _("All projects"))] + [(p.pk, p.name) for p in projects]
        self.fields["type"].choices = [("", _("All types"))] + list(MeetingType.choices)

    def clean(self):
        data = super().clean()
        if data.get("period") == rules.CUSTOM:
            if not data.get("start"):
                self.add_error("start", _("A custom period needs its first day."))
            if not data.get("end"):
                self.add_error("end", _("A custom period needs its last day."))
            if data.get("start") and data.get("end") and data["end"] < data["start"]:
                self.add_error("end", _("The last day is before the first."))
            if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 731:
                self.add_error("end", _("Choose at most two years."))
        return data

    def period_and_filters(self, today):
        """The Period and Filters chosen (the quarter of today when nothing valid was chosen)."""
        from .selectors import Filters

        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        kind = data.get("period") or rules.QUARTER
        if kind == rules.CUSTOM:
            period = rules.period_for(kind, today, data["start"], data["end"])
        else:
            period = rules.period_for(kind, data.get("on") or today)
        return period, Filters(data.get("department"), data.get("project"), data.get("type") or None)


class HourlyCostForm(forms.Form):
    """One title's rate; the service checks the range and the decimals and says so on the field."""

    title = forms.CharField(label=_("Title or grade"), required=False, max_length=100,
                            help_text=_("As written in people's title field; leave empty for people without one."))
    hourly_cost = forms.DecimalField(label=_("Cost per hour"), max_digits=10, decimal_places=2)
