"""Forms for planning a meeting. They only validate input; the services make the change."""

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from closeloop.lib.choosers import SharedSelect
from closeloop.lib.forms import DateField, DateTimeField, FieldGroups
from closeloop.meetings.choices import MeetingState, MeetingType, ParticipantRole, Response
from closeloop.meetings.models import Material, Meeting, Participant, Series, Topic
from closeloop.org.models import Department, Person, Project

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _field(model, name, **kwargs):
    return model._meta.get_field(name).formfield(**kwargs)


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def _datetime_field(label):
    return DateTimeField(label=label)


def org_people(organisation_id):
    return list(
        Person.objects.filter(organisation_id=organisation_id, is_active=True)
        .select_related("department")
        .order_by("department__name", "display_name", "username")
    )


def grouped_by_department(people, blank_label=None):
    """Select choices with one <optgroup> per department, so a long list stays readable."""
    groups = {}
    for person in people:
        name = person.department.name if person.department_id else str(_("No department"))
        groups.setdefault(name, []).append((person.pk, str(person)))
    choices = [("", blank_label)] if blank_label is not None else []
    return choices + list(groups.items())


class PersonField(forms.ModelChoiceField):
    """A person chooser whose options are grouped (`set_groups`), or come from the page's shared list (`share`,
    closeloop.lib.choosers: the page carries the people once); validation still goes through the queryset."""

    def set_groups(self, choices):
        self.widget.choices = choices

    def share(self, source, people, blank):
        """`people`: (id, name, department name) rows, for the chosen option's name."""
        names = {}

        def label(value):
            if not names:
                names.update({str(pk): name for pk, name, _department in people})
            return names.get(str(value))

        self.widget = SharedSelect(source, blank=str(blank), label_of=label)


class MeetingForm(FieldGroups, forms.Form):
    groups = {"what": ("type", "title", "objective", "scope", "project", "series"), "when": ("start", "end"),
              "where": ("place", "online_link", "urgent", "confidential", "host", "recorder")}

    type = forms.ChoiceField(label=_label(Meeting, "type"), choices=MeetingType.choices)
    title = _field(Meeting, "title")
    objective = _field(Meeting, "objective", widget=forms.Textarea(attrs={"rows": 2}))
    scope = _field(Meeting, "scope", widget=forms.Textarea(attrs={"rows": 2}))
    start = _datetime_field(_label(Meeting, "start"))
    end = _datetime_field(_label(Meeting, "end"))
    place = _field(Meeting, "place")
    online_link = _field(Meeting, "online_link", assume_scheme="https")
    project = _field(Meeting, "project")
    series = _field(Meeting, "series")
    urgent = _field(Meeting, "urgent")
    confidential = _field(Meeting, "confidential")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(organisation_id=organisation_id)
        self.fields["series"].queryset = Series.objects.filter(organisation_id=organisation_id)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data

    def meeting_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version" and k in self.fields
                and k not in ("host", "recorder")}


class MeetingCreateForm(MeetingForm):
    host = PersonField(label=_("Host"), queryset=Person.objects.none())
    recorder = PersonField(label=_("Recorder"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, organisation_id, people, **kwargs):
        super().__init__(*args, organisation_id=organisation_id, **kwargs)
        del self.fields["version"]
        queryset = Person.objects.filter(organisation_id=organisation_id, is_active=True)
        for name, blank in (("host", None), ("recorder", _("— nobody yet —"))):
            self.fields[name].queryset = queryset
            self.fields[name].set_groups(grouped_by_department(people, blank_label=blank))

    def clean(self):
        data = super().clean()
        host, recorder = data.get("host"), data.get("recorder")
        if host and recorder and host == recorder:
            self.add_error("recorder", _("The recorder should be someone other than the host."))
        return data


class TopicForm(FieldGroups, forms.Form):
    groups = {"short": ("title", "kind", "presenter", "minutes", "presentation_minutes", "urgent"),
              "wide": ("required_outcome", "materials_note")}

    title = _field(Topic, "title")
    presenter = PersonField(label=_label(Topic, "presenter"), queryset=Person.objects.none(), required=False)
    minutes = _field(Topic, "minutes", min_value=1, max_value=600)
    presentation_minutes = _field(Topic, "presentation_minutes", min_value=0, max_value=600)
    kind = _field(Topic, "kind")
    required_outcome = _field(Topic, "required_outcome", widget=forms.Textarea(attrs={"rows": 2}))
    urgent = _field(Topic, "urgent")
    materials_note = _field(Topic, "materials_note", widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args, meeting, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["presenter"]
        field.queryset = Person.objects.filter(organisation_id=meeting.organisation_id, is_active=True)
        # Participants first, then the others in the organisation.
        field.share("people-participants-first", people, _("— nobody yet —"))

    def clean(self):
        data = super().clean()
        minutes, presentation = data.get("minutes"), data.get("presentation_minutes")
        if minutes and presentation and presentation > minutes:
            self.add_error("presentation_minutes", _("The presentation cannot be longer than the whole topic."))
        return data


class ParticipantForm(forms.Form):
    person = PersonField(label=_label(Participant, "person"), queryset=Person.objects.none())
    roles = forms.MultipleChoiceField(
        label=_label(Participant, "roles"), choices=ParticipantRole.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required = forms.BooleanField(label=_label(Participant, "required"), required=False, initial=True)

    def __init__(self, *args, meeting, people=None, participant=None, **kwargs):
        super().__init__(*args, **kwargs)
        if participant is not None:
            # Editing: the person stays, only roles and attendance change.
            del self.fields["person"]
            self.initial.setdefault("roles", participant.role_list)
            self.initial.setdefault("required", participant.required)
            return
        field = self.fields["person"]
        field.queryset = Person.objects.filter(organisation_id=meeting.organisation_id, is_active=True).exclude(
            pk__in=Participant.objects.filter(meeting=meeting).values("person_id"))
        field.share("people-not-participants", people or [], _("— choose a person —"))


class MaterialForm(forms.Form):
    file = forms.FileField(label=_label(Material, "file"))
    topic = forms.ModelChoiceField(label=_label(Material, "topic"), queryset=Topic.objects.none(), required=False,
                                   empty_label=_("— whole meeting —"))
    pages = forms.IntegerField(label=_label(Material, "pages"), min_value=1, max_value=9999, required=False)

    def __init__(self, *args, meeting, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics if topics is not None else Topic.objects.filter(meeting=meeting)
        self.fields["file"].widget.attrs["accept"] = ",".join(settings.MATERIAL_EXTENSIONS)


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Title, topic, person or department")}))
    state = forms.ChoiceField(label=_label(Meeting, "state"), required=False,
                              choices=[("", _("All states"))] + list(MeetingState.choices))
    type = forms.ChoiceField(label=_label(Meeting, "type"), required=False,
                             choices=[("", _("All types"))] + list(MeetingType.choices))
    project = forms.ModelChoiceField(label=_label(Meeting, "project"), queryset=Project.objects.none(), required=False,
                                     empty_label=_("All projects"))
    mine = forms.BooleanField(label=_("Only meetings I take part in"), required=False)
    my_role = forms.ChoiceField(
        label=_("My role"), required=False,
        choices=[("", _("Any or none")), ("any", _("Any role")), *ParticipantRole.choices])
    start_from = DateField(label=_("From"), required=False)
    start_to = DateField(label=_("Until"), required=False)
    host_department = forms.ModelChoiceField(label=_("Host's department"), queryset=Department.objects.none(),
                                             required=False, empty_label=_("Any"))

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(organisation_id=organisation_id)
        self.fields["host_department"].queryset = Department.objects.filter(organisation_id=organisation_id)

ANSWERS = [(Response.ACCEPTED, Response.ACCEPTED.label), (Response.DECLINED, _("Decline")),
           (Response.SUBSTITUTE, Response.SUBSTITUTE.label)]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person} ({person.department})" if person.department_id else str(person)


class RespondForm(forms.Form):
    response = forms.ChoiceField(label=_("Your answer"), choices=ANSWERS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you decline or send a substitute."),
    )
    substitute = PersonChoiceField(
        label=_("Substitute"), queryset=Person.objects.none(), required=False,
        help_text=_("Only when you send someone in your place."),
    )

    def __init__(self, *args, participant, **kwargs):
        if not args and "initial" not in kwargs and participant.response != Response.PENDING:
            kwargs["initial"] = {"response": participant.response, "reason": participant.response_reason,
                                 "substitute": participant.substitute_id}
        super().__init__(*args, **kwargs)
        self.participant = participant
        # The chooser offers only people of the meeting's organisation, never the participant themself.
        self.fields["substitute"].queryset = (
            Person.objects.filter(organisation_id=participant.meeting.organisation_id, is_active=True)
            .exclude(pk=participant.person_id).select_related("department")
            .order_by("department__name", "display_name", "username")
        )


class SubstituteRespondForm(forms.Form):
    """The substitute's own answer: they come, or they cannot either (with a reason)."""

    response = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect, choices=[
        (Response.ACCEPTED, _("I attend in their place")), (Response.DECLINED, _("I cannot attend either"))])
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed when you cannot attend."))


class BulkInviteForm(forms.Form):
    """Invite a whole group at once: a department, a project's members or an earlier meeting's participants."""

    SOURCES = [("department", _("A whole department")), ("project", _("A project's members")),
               ("meeting", _("The participants of an earlier meeting"))]
    source = forms.ChoiceField(label=_("Whom to invite"), choices=SOURCES, widget=forms.RadioSelect,
                               initial="department")
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)
    from_meeting = forms.ModelChoiceField(label=_("Earlier meeting"), queryset=Meeting.objects.none(),
                                          required=False)
    roles = forms.MultipleChoiceField(label=_("Their roles"), choices=ParticipantRole.choices,
                                      widget=forms.CheckboxSelectMultiple)
    required = forms.BooleanField(label=_("Attendance required"), required=False, initial=True)

    def __init__(self, *args, meeting, earlier_meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation_id=meeting.organisation_id)
        self.fields["project"].queryset = Project.objects.filter(organisation_id=meeting.organisation_id)
        self.fields["from_meeting"].queryset = earlier_meetings
        self.fields["from_meeting"].label_from_instance = lambda m: f"{m.start:%Y-%m-%d} {m.title}"

    def clean(self):
        data = super().clean()
        field = {"department": "department", "project": "project", "meeting": "from_meeting"}.get(
            data.get("source"))
        if field and not data.get(field):
            self.add_error(field, _("Choose one."))
        return data


class SeriesForm(forms.Form):
    """A series: its recurrence on working days, its host and recorder, default participants and topics."""

    name = forms.CharField(label=_label(Series, "name"), max_length=200)
    project = forms.ModelChoiceField(label=_label(Series, "project"), queryset=Project.objects.none(),
                                     required=False)
    meeting_type = forms.ChoiceField(label=_label(Series, "meeting_type"), choices=MeetingType.choices)
    weekday = forms.TypedChoiceField(label=_label(Series, "weekday"), coerce=int,
                                     choices=Series._meta.get_field("weekday").choices)
    interval_weeks = forms.IntegerField(label=_label(Series, "interval_weeks"), min_value=1, max_value=8,
                                        initial=1)
    start_time = forms.TimeField(label=_label(Series, "start_time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_label(Series, "duration_minutes"), min_value=5, max_value=480)
    place = forms.CharField(label=_label(Series, "place"), max_length=200, required=False)
    host = PersonField(label=_label(Series, "host"), queryset=Person.objects.none(), required=False)
    recorder = PersonField(label=_label(Series, "recorder"), queryset=Person.objects.none(), required=False)
    members = forms.ModelMultipleChoiceField(label=_label(Series, "members"), queryset=Person.objects.none(),
                                             required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    member_roles = forms.MultipleChoiceField(label=_label(Series, "member_roles"), choices=ParticipantRole.choices,
                                             required=False, widget=forms.CheckboxSelectMultiple)
    default_topics = forms.CharField(label=_label(Series, "default_topics"), required=False,
                                     help_text=Series._meta.get_field("default_topics").help_text,
                                     widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(organisation_id=organisation_id, is_active=True).order_by("display_name")
        for name in ("host", "recorder", "members"):
            self.fields[name].queryset = people
        self.fields["project"].queryset = Project.objects.filter(organisation_id=organisation_id)

    def series_data(self):
        data = dict(self.cleaned_data)
        data["member_roles"] = ",".join(data.get("member_roles") or [])
        return data
