"""Forms of the retrospective and progress pages. They only validate input; the services make the change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.lib.forms import DateField
from closeloop.meetings.forms import _datetime_field
from closeloop.org.models import Person

from .choices import ChangeAnswer, GoalResult
from .models import RetroPolicy

TEXT = forms.Textarea(attrs={"rows": 3})


class PlanForm(forms.Form):
    start = _datetime_field(_("Start"))
    end = _datetime_field(_("End"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class AssessmentForm(forms.Form):
    """The three texts and one row per goal (goal_N, result_N, evidence_N, reason_N), plus a blank row to add."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    went_well = forms.CharField(label=_("What went well (good practices)"), widget=TEXT, required=False)
    stuck = forms.CharField(label=_("Where it got stuck (bottlenecks)"), widget=TEXT, required=False)
    next_time = forms.CharField(label=_("What to change next time"), widget=TEXT, required=False)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        results = [("", "—")] + list(GoalResult.choices)
        for n in range(1, len(goals) + 2):
            goal = goals[n - 1] if n <= len(goals) else None
            self.fields[f"goal_{n}"] = forms.CharField(label=_("Goal %(n)s") % {"n": n}, required=False,
                                                       initial=goal.goal if goal else "", widget=forms.Textarea(
                                                           attrs={"rows": 2}))
            self.fields[f"result_{n}"] = forms.ChoiceField(label=_("Result"), choices=results, required=False,
                                                           initial=goal.result if goal else "")
            self.fields[f"evidence_{n}"] = forms.CharField(label=_("Evidence"), required=False,
                                                           initial=goal.evidence if goal else "",
                                                           widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"reason_{n}"] = forms.CharField(label=_("Reason when not reached"), required=False,
                                                         initial=goal.reason if goal else "",
                                                         widget=forms.Textarea(attrs={"rows": 2}))
            self.rows.append([self[f"{name}_{n}"] for name in ("goal", "result", "evidence", "reason")])

    def goals(self):
        data, rows, n = self.cleaned_data, [], 1
        while f"goal_{n}" in self.fields:
            rows.append({name: data.get(f"{name}_{n}") or "" for name in ("goal", "result", "evidence", "reason")})
            n += 1
        return rows


class ImprovementForm(forms.Form):
    measure = forms.CharField(label=_("Improvement measure"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none())
    due = DateField(label=_("Due date"))
    deliverable = forms.CharField(label=_("Deliverable"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(organisation=organisation, is_active=True).order_by(
            "display_name", "username")


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    done = forms.CharField(label=_("What was done"), widget=TEXT)
    next_steps = forms.CharField(label=_("Next steps"), widget=TEXT, required=False)
    risks = forms.CharField(label=_("Risks"), widget=TEXT, required=False,
                            help_text=_("Raise a risk at least one working day before the date it affects."))
    affected_due = DateField(label=_("Due date the risk affects"), required=False)


class ChangeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT)
    new_due = DateField(label=_("New wanted date"), required=False)
    new_what = forms.CharField(label=_("New scope (what is asked)"), widget=TEXT, required=False)
    new_standard = forms.CharField(label=_("New acceptance standard"), widget=TEXT, required=False)


class ChangeAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=ChangeAnswer.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RetroPolicyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = RetroPolicy
        fields = ["progress_cadence", "escalate_after_workdays"]


