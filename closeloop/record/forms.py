"""Forms of the live record. They only parse input; the services make the change.

Person and department choosers validate against mappings loaded once per request ({pk string: object}; a write
reads only the ids it was sent) and render only their chosen option: the page's one shared list fills them
(closeloop.lib.choosers), so a page with many topics stays small and costs a fixed number of queries.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.actions.choices import ItemStatus
from closeloop.lib.choosers import SharedSelect, SharedSelectMultiple
from closeloop.lib.forms import DateField
from closeloop.meetings.forms import grouped_by_department
from closeloop.record.choices import Presence, ResolutionPath

BLANK = "—"


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects loaded beforehand; cleans to the object (or None when left blank)."""

    def __init__(self, *, objects=(), blank=True, **kwargs):
        kwargs.setdefault("required", not blank)
        super().__init__(**kwargs)
        self.set_objects(objects, blank=blank)

    def set_objects(self, objects, *, blank=True, grouped=False):
        """A short list rendered in full (a topic's decisions)."""
        self.objects = {str(o.pk): o for o in objects}
        if grouped:
            self.choices = grouped_by_department(objects, blank_label=BLANK if blank else None)
        else:
            self.choices = ([("", BLANK)] if blank else []) + [(str(o.pk), str(o)) for o in objects]

    def share(self, objects, source, *, blank=True):
        """A long list ({pk string: object}) that the page shares among its forms (see the module docstring)."""
        self.objects = objects
        self.widget = SharedSelect(source, blank=BLANK if blank else None, label_of=_label_in(objects))

    def valid_value(self, value):
        return str(value) in self.objects

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(str(value)) if value not in (None, "") else None


def _label_in(objects):
    def label(value):
        obj = objects.get(str(value))
        return str(obj) if obj is not None else None
    return label


class ObjectMultipleField(forms.MultipleChoiceField):
    def share(self, objects, source):
        self.objects = objects
        self.widget = SharedSelectMultiple(source, label_of=_label_in(objects))

    def valid_value(self, value):
        return str(value) in self.objects

    def clean(self, value):
        return [self.objects[str(v)] for v in super().clean(value)]


class RecordForm(forms.Form):
    """Fills the person choosers (`people`) and department choosers (`departments`) from preloaded lists."""

    person_fields = ()
    department_fields = ()

    def __init__(self, *args, people=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.person_fields:
            self.fields[name].share(people if people is not None else {}, "people")
        for name in self.department_fields:
            self.fields[name].share(departments if departments is not None else {}, "departments")


class AttendanceForm(RecordForm):
    person_fields = ("substitute",)
    person = ObjectChoiceField(label=_("Participant"), blank=False)
    presence = forms.ChoiceField(label=_("Presence"), choices=Presence.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
    substitute = ObjectChoiceField(label=_("Substitute"))

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].share(participants if participants is not None else {}, "participants", blank=False)


class NoteForm(RecordForm):
    department_fields = ("department",)
    text = forms.CharField(label=_("Viewpoint"), widget=forms.Textarea(attrs={"rows": 2}))
    department = ObjectChoiceField(label=_("Department"))


class DisagreementForm(RecordForm):
    person_fields = ("escalate_to", "owner")
    subject = forms.CharField(label=_("Point of disagreement"), widget=forms.Textarea(attrs={"rows": 2}))
    parties = forms.CharField(label=_("Parties"), required=False, max_length=300)
    positions = forms.CharField(label=_("Positions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    path = forms.ChoiceField(label=_("Resolution path"), required=False, widget=forms.RadioSelect,
                             choices=ResolutionPath.choices)
    escalate_to = ObjectChoiceField(label=_("Escalate to"))
    owner = ObjectChoiceField(label=_("Who brings the data"))
    data_needed = forms.CharField(label=_("Data needed"), required=False)
    due = DateField(label=_("By when"), required=False)
    owner_confirmed = forms.BooleanField(label=_("Confirmed by the owner"), required=False)


class DecisionForm(RecordForm):
    person_fields = ("decided_by",)
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    decided_by = ObjectChoiceField(label=_("Decided by"))
    no_objection = forms.BooleanField(label=_("Confirmed with no objection"), required=False)
    no_action_needed = forms.BooleanField(label=_("No action needed"), required=False)


class ItemForm(RecordForm):
    """An action item; field names match the SMART check's (task, owner, due, deliverable)."""

    person_fields = ("owner", "collaborators")
    department_fields = ("department",)
    task = forms.CharField(label=_("Task"), widget=forms.TextInput(attrs={"autocomplete": "off"}))
    owner = ObjectChoiceField(label=_("Owner"), required=False)
    department = ObjectChoiceField(label=_("Owner's department"), help_text=_("Defaults to the owner's."))
    collaborators = ObjectMultipleField(label=_("Collaborators"), required=False)
    deliverable = forms.CharField(label=_("Deliverable / acceptance standard"), required=False)
    due = DateField(label=_("Due date"), required=False)
    support_needed = forms.CharField(label=_("Support needed"), required=False)
    decision = ObjectChoiceField(label=_("Carries out the decision"))
    owner_confirmed = forms.BooleanField(label=_("Confirmed by the owner"), required=False)

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].set_objects(decisions)
        self.fields["collaborators"].widget.attrs["size"] = 3


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why no decision"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReviewStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[
        (s.value, s.label) for s in ItemStatus if s != ItemStatus.NOT_STARTED])
    reason = forms.CharField(label=_("Reason"), required=False)
    new_due = DateField(label=_("New due date"), required=False)
    note = forms.CharField(label=_("Note"), required=False)


class ReviewProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), required=False)


class RulingForm(forms.Form):
    ruling = forms.CharField(label=_("Your ruling"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("What is decided, and anything the parties must do next."))
