"""Forms for action items. They only validate input; the services make the change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.actions.choices import ItemStatus
from closeloop.actions.rules import TRANSITIONS
from closeloop.actions.selectors.lists import ALL, DEFAULT_SORT, OPEN, SORTS, ItemQuery
from closeloop.lib.forms import DateField
from closeloop.lib.uploads import size_text
from closeloop.org.models import Person


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
    new_due = DateField(label=_("New due date"))
    reason = forms.CharField(label=_("Why it is delayed"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class ProgressForm(VersionForm):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class HandOverForm(VersionForm):
    """Who takes over an open item of someone who has left."""

    new_owner = forms.ModelChoiceField(label=_("New owner"), queryset=Person.objects.none())

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = (Person.objects.filter(organisation_id=organisation_id, is_active=True)
                                             .order_by("display_name", "username"))


class SmartCheckForm(forms.Form):
    """The fields of an action-item form being typed; every one may still be empty."""

    task = forms.CharField(required=False, max_length=2000)
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    due = DateField(required=False)
    deliverable = forms.CharField(required=False, max_length=2000)
    meeting = forms.IntegerField(required=False)

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(organisation_id=organisation_id, is_active=True)


class ItemFilterForm(forms.Form):
    """The filters and sort of a list; every field may stay empty (open items by due date)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    due_from = DateField(label=_("Due from"), required=False)
    due_to = DateField(label=_("Due until"), required=False)
    overdue = forms.ChoiceField(label=_("Overdue"), required=False, choices=[
        ("", _("Any")), ("yes", _("Overdue only")), ("no", _("Not overdue"))])
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    timeliness = forms.ChoiceField(label=_("When done"), required=False, choices=[
        ("", _("Any")), ("on_time", _("On time")), ("late", _("Late"))])

    def __init__(self, *args, owners=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(OPEN, _("Open items")), (ALL, _("All, closed included")),
                                         *ItemStatus.choices]
        self.fields["owner"].choices = [("", _("Anyone"))] + [(p.pk, str(p)) for p in owners]
        self.fields["department"].choices = [("", _("Any"))] + [(d.pk, str(d)) for d in departments]
        self.fields["sort"].choices = [(key, label) for key, (label, _order) in SORTS.items()]

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            self.add_error("due_to", _("The end of the window is before its start."))
        return data

    def query(self):
        """The ItemQuery of the valid fields (an invalid one counts as not given)."""
        data = self.cleaned_data if self.is_bound else {}
        overdue = {"yes": True, "no": False}.get(data.get("overdue") or "")
        return ItemQuery(status=data.get("status") or OPEN, owner_id=data.get("owner"),
                         department_id=data.get("department"), due_from=data.get("due_from"),
                         due_to=data.get("due_to"), overdue=overdue, sort=data.get("sort") or DEFAULT_SORT,
                         timeliness=data.get("timeliness") or None)


class ChangeAskForm(forms.Form):
    new_due = DateField(label=_("New due date"), required=False)
    new_task = forms.CharField(label=_("New task"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    new_deliverable = forms.CharField(label=_("New deliverable / acceptance standard"), required=False,
                                      max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Why the change is needed"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ChangeDecideForm(forms.Form):
    ACCEPT, REFUSE = "accept", "refuse"
    decision = forms.ChoiceField(widget=forms.HiddenInput, choices=[(ACCEPT, ACCEPT), (REFUSE, REFUSE)])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Needed when you refuse."))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Action plan (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    MAX_BYTES = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file (Excel 2007 or later, or WPS)."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s.") % {"limit": size_text(self.MAX_BYTES)})
        return upload


class ReviewStatusForm(forms.Form):
    """The status of an open item reviewed in a later meeting: any move its status allows, a delay with its
    reason and new date; the service checks what each move needs. The one review form, wherever items are
    reviewed (the series review; the live record's review list)."""

    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             help_text=_("Needed to delay or cancel."))
    new_due = DateField(label=_("New due date"), required=False,
                              help_text=_("Needed to delay."))
    note = forms.CharField(label=_("What was delivered / note"), required=False, max_length=2000)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(v, label) for v, label in ItemStatus.choices
                                         if v in TRANSITIONS.get(item.status, ())]
