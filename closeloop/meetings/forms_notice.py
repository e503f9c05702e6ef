"""The answer form of a participant: accept, decline with a reason, or send a substitute."""

from django import forms
from django.utils.translation import gettext_lazy as _

from closeloop.org.models import Person

from .choices import Response

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
