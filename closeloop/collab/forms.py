"""Forms for requests. They only validate input; the services make the change."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from closeloop.lib.forms import DateField
from closeloop.meetings.choices import MeetingType
from closeloop.meetings.forms import _datetime_field
from closeloop.org.models import Department, Person, Project

from .choices import Answer, BudgetCategory, Missing
from .models import CollabPolicy, Receipt, Request


def _field(model, name, **kwargs):
    return model._meta.get_field(name).formfield(**kwargs)


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several background files in one input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class RequestForm(forms.Form):
    subject = _field(Request, "subject")
    receiving_departments = forms.ModelMultipleChoiceField(
        label=_("Receiving departments"), queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    scenario = _field(Request, "scenario")
    priority = _field(Request, "priority")
    background = _field(Request, "background", widget=forms.Textarea(attrs={"rows": 3}))
    goal = _field(Request, "goal", widget=forms.Textarea(attrs={"rows": 2}))
    what = _field(Request, "what", widget=forms.Textarea(attrs={"rows": 3}))
    why = _field(Request, "why", widget=forms.Textarea(attrs={"rows": 2}))
    due = _field(Request, "due", form_class=DateField)
    acceptance_standard = _field(Request, "acceptance_standard", widget=forms.Textarea(attrs={"rows": 2}))
    wanted_start = _field(Request, "wanted_start", form_class=DateField)
    needs_leadership = _field(Request, "needs_leadership")
    project = _field(Request, "project")
    confidential = _field(Request, "confidential")
    viewers = forms.ModelMultipleChoiceField(label=_("People named on a confidential request"), required=False,
                                             queryset=Person.objects.none())
    materials = MultipleFileField(label=_("Background materials"), required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        org = person.organisation_id
        self.fields["receiving_departments"].queryset = (
            Department.objects.filter(organisation_id=org).exclude(pk=person.department_id).order_by("name"))
        self.fields["project"].queryset = Project.objects.filter(organisation_id=org)
        self.fields["viewers"].queryset = (Person.objects.filter(organisation_id=org, is_active=True)
                                           .order_by("display_name", "username"))


class RequestEditForm(RequestForm):
    """What is asked, changed after sending; `version` detects a save over someone else's. The receiving
    departments, confidentiality and named people stay as sent (their answers and visibility hang on them)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    EDITABLE = ["subject", "scenario", "priority", "background", "goal", "what", "why", "due", "acceptance_standard",
                "wanted_start", "needs_leadership", "project"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("receiving_departments", "confidential", "viewers"):
            del self.fields[name]
        self.fields["materials"].label = _("Add background materials")

    @classmethod
    def initial_for(cls, request):
        initial = {name: getattr(request, name) for name in cls.EDITABLE}
        initial["project"] = request.project_id
        return {**initial, "version": request.version}


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note or question"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    missing = forms.MultipleChoiceField(label=_("What is missing"), choices=Missing.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    proposed_date = DateField(label=_("Proposed new date"), required=False)
    resource_request = forms.CharField(label=_("Resources asked for"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    note = forms.CharField(label=_("Your answer to the question"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DelegateForm(forms.Form):
    delegate = forms.ModelChoiceField(label=_label(Receipt, "delegate"), required=False,
                                      queryset=Person.objects.none())

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = (Person.objects.filter(organisation_id=person.organisation_id,
                                                                  is_active=True).order_by("display_name"))


class PlanMeetingForm(forms.Form):
    type = forms.ChoiceField(label=_("Meeting type"), choices=MeetingType.choices,
                             initial=MeetingType.PROBLEM_ANALYSIS)
    title = forms.CharField(label=_("Meeting title"), max_length=200)
    start = _datetime_field(_("Start"))
    end = _datetime_field(_("End"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end must be after the start."))
        return data


class MemoForm(forms.Form):
    """The memo's clauses and each party's rights and duties; `version` detects a concurrent save."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import MEMO_CLAUSES

        for key, label in MEMO_CLAUSES:
            self.fields[key] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
        self.parties = parties
        for department in parties:
            self.fields[f"rights_{department.pk}"] = forms.CharField(
                label=_("%(d)s: rights") % {"d": department}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"duties_{department.pk}"] = forms.CharField(
                label=_("%(d)s: duties") % {"d": department}, required=False,
                widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, memo):
        content = memo.content or {}
        initial = {key: value for key, value in content.items() if key != "parties"}
        for pk, entry in (content.get("parties") or {}).items():
            initial[f"rights_{pk}"] = entry.get("rights", "")
            initial[f"duties_{pk}"] = entry.get("duties", "")
        initial["version"] = memo.version
        return initial

    def content(self):
        from .choices import MEMO_CLAUSE_KEYS

        data = self.cleaned_data
        content = {key: data.get(key, "") for key in MEMO_CLAUSE_KEYS}
        content["parties"] = {str(d.pk): {"rights": data.get(f"rights_{d.pk}", ""),
                                          "duties": data.get(f"duties_{d.pk}", "")} for d in self.parties}
        return content


class SignForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResourceForm(forms.Form):
    """A 资源申请表: people one per line as "role, count, period"."""

    title = forms.CharField(label=pgettext_lazy("resource request", "Title"), max_length=200)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    people = forms.CharField(label=_("People"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("One line per role: role, count, period — e.g. 促销员, 2, 7月"))
    equipment = forms.CharField(label=_("Equipment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    budget_amount = forms.DecimalField(label=_("Budget (CNY)"), min_value=0, decimal_places=2, required=False)
    budget_category = forms.ChoiceField(label=_("Budget category"), required=False,
                                        choices=[("", "—"), *BudgetCategory.choices])
    period_start = DateField(label=_("From"), required=False)
    period_end = DateField(label=_("Until"), required=False)
    decision = forms.ModelChoiceField(
        label=_("For the decision"), required=False, queryset=None,
        help_text=_("Optional: the decision of this request's meetings that needs these resources."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, req=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import request_decisions

        decisions = request_decisions(req) if req is not None else None
        if decisions is None or not decisions.exists():  # no meeting has decided anything yet
            del self.fields["decision"]
            return
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = lambda d: f"{d.record.meeting.title}: {d.text[:80]}"

    def clean_people(self):
        rows = []
        for n, line in enumerate((self.cleaned_data.get("people") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("\uff0c", ",").split(",")]
            try:
                count = int(parts[1]) if len(parts) > 1 else 1
            except ValueError:
                raise forms.ValidationError(_("Line %(n)s: the count must be a whole number.") % {"n": n}) from None
            rows.append({"role": parts[0], "count": count, "period": ", ".join(parts[2:])})
        return rows

    @staticmethod
    def initial_for(resource):
        return {"title": resource.title, "reason": resource.reason, "equipment": resource.equipment,
                "people": "\n".join(f"{p['role']}, {p['count']}, {p.get('period', '')}".rstrip(", ")
                                    for p in resource.people),
                "budget_amount": resource.budget_amount, "budget_category": resource.budget_category,
                "period_start": resource.period_start, "period_end": resource.period_end,
                "decision": resource.decision_id, "version": resource.version}


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CollabPolicyForm(forms.Form):
    materials_lead_workdays = _field(CollabPolicy, "materials_lead_workdays")
    materials_mode = _field(CollabPolicy, "materials_mode")
    escalate_after_workdays = _field(CollabPolicy, "escalate_after_workdays")
    finance_threshold = _field(CollabPolicy, "finance_threshold")
    management_threshold = _field(CollabPolicy, "management_threshold")
    finance_department = forms.ModelChoiceField(label=_label(CollabPolicy, "finance_department"), required=False,
                                                queryset=Department.objects.none())
    management = forms.ModelMultipleChoiceField(label=_label(CollabPolicy, "management"), required=False,
                                                queryset=Person.objects.none(),
                                                help_text=CollabPolicy._meta.get_field("management").help_text)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finance_department"].queryset = Department.objects.filter(organisation_id=organisation_id)
        self.fields["management"].queryset = Person.objects.filter(organisation_id=organisation_id, is_active=True)


class LinkMeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("An existing meeting"), queryset=None)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        from closeloop.meetings.selectors import meetings_visible_to

        self.fields["meeting"].queryset = meetings_visible_to(person).order_by("-start")
