"""Forms of the settings pages: the policy and one's own profile."""

import zoneinfo

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from closeloop.org.choices import Language, Role, RuleMode
from closeloop.org.models import Department, Person, Policy

# Each rule: its heading, its values and the fields saying whether it warns or blocks.
POLICY_GROUPS = [
    (_("Notice lead time"), ["notice_lead_workdays", "notice_lead_urgent_workdays"], ["notice_lead_mode"]),
    (_("Pre-read materials"), ["preread_lead_workdays", "preread_max_pages"], ["preread_mode"]),
    (_("Topics per meeting"), ["topics_min", "topics_max"], ["topics_mode"]),
    (_("Length of one topic"), ["topic_max_minutes", "presentation_max_minutes"], ["topic_minutes_mode"]),
    (_("Length of the whole meeting"), ["meeting_max_minutes"], ["meeting_minutes_mode"]),
    (_("Buffer time"), ["buffer_min_minutes", "buffer_max_minutes"], ["buffer_mode"]),
    (_("Host, recorder and decision-maker present"), [], ["roles_mode"]),
    (_("Minutes"), ["minutes_draft_hours", "minutes_distribute_hours"], ["minutes_mode"]),
    (_("Action items are specific (SMART)"), ["vague_words"],
     ["smart_vague_mode", "smart_missing_mode", "smart_due_mode", "smart_owner_mode"]),
    (_("Closing the meeting"), [], ["close_loop_mode"]),
    (_("Answering a request"), ["request_answer_workdays"], ["request_mode"]),
    (_("Reminders, risk warnings and escalation"),
     ["reminder_workdays", "risk_warning_workdays", "overdue_escalation_workdays"], ["risk_mode"]),
    (_("Following up a disagreement"), ["disagreement_followup_hours"], ["disagreement_mode"]),
    (_("Retrospective"), ["retrospective_workdays"], ["retrospective_mode"]),
    (_("Follow-up meeting"), ["followup_interval_days", "followup_min_minutes", "followup_max_minutes"],
     ["followup_mode"]),
    (_("Delivering notifications"), ["outbox_max_attempts"], []),
]
NOT_RULES = {"id", "organisation", "version"}


def policy_groups():
    """POLICY_GROUPS plus, so that nothing is left uneditable, any newer Policy field under "Other rules"."""
    known = {name for _title, values, modes in POLICY_GROUPS for name in [*values, *modes]}
    values, modes = [], []
    for field in Policy._meta.concrete_fields:
        if field.name in known or field.name in NOT_RULES:
            continue
        (modes if field.choices == RuleMode.choices else values).append(field.name)
    extra = [(_("Other rules"), values, modes)] if values or modes else []
    return POLICY_GROUPS + extra


def policy_field_names():
    return [name for _title, values, modes in policy_groups() for name in [*values, *modes]]


class PolicyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for _title, values, modes in policy_groups():
            for name in values:
                model_field = Policy._meta.get_field(name)
                if isinstance(model_field, models.TextField):
                    self.fields[name] = model_field.formfield(widget=forms.Textarea(attrs={"rows": 4}))
                else:
                    self.fields[name] = model_field.formfield(min_value=0)
            for name in modes:
                self.fields[name] = forms.ChoiceField(
                    label=capfirst(Policy._meta.get_field(name).verbose_name), choices=RuleMode.choices,
                    widget=forms.RadioSelect,
                )

    def groups(self):
        """[(title, [bound value fields], [bound mode fields])] in the page's order."""
        return [(title, [self[n] for n in values], [self[n] for n in modes])
                for title, values, modes in policy_groups()]

    def policy_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def time_zone_choices():
    return [("", _("The organisation's time zone"))] + [(z, z) for z in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False, choices=time_zone_choices)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What uses it, e.g. “weekly report script”."))


# --- Administration (people, departments, projects) ----------------------------------------------

class OrgChoiceForm(forms.Form):
    """A form whose department and person choices are the organisation's own."""

    department_fields = ()
    person_fields = ()

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.department_fields:
            self.fields[name].queryset = Department.objects.filter(organisation=organisation)
        for name in self.person_fields:
            self.fields[name].queryset = Person.objects.filter(organisation=organisation, is_active=True).order_by(
                "display_name", "username")


def _department_field(label, required=False):
    return forms.ModelChoiceField(label=label, queryset=Department.objects.none(), required=required)


def _person_field(label, required=False):
    return forms.ModelChoiceField(label=label, queryset=Person.objects.none(), required=required)


class PersonForm(OrgChoiceForm):
    department_fields = ("department",)
    display_name = forms.CharField(label=_("Display name"), max_length=100)
    email = forms.EmailField(label=_("Email"), required=False)
    department = _department_field(_("Department"))
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False, choices=time_zone_choices)
    is_active = forms.BooleanField(label=_("Active (may sign in)"), required=False, initial=True)


class PersonCreateForm(PersonForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Initial password"), required=False, widget=forms.PasswordInput,
                               help_text=_("Leave empty when the person signs in through the company directory."))
    field_order = ["username", "display_name", "password"]


class DepartmentForm(OrgChoiceForm):
    department_fields = ("parent",)
    person_fields = ("head",)
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = _department_field(_("Parent department"))
    head = _person_field(_("Head"))
