"""Lets a page include the answer form with only `participant` in its context."""

from django import template

from closeloop.lib.choosers import SharedSelect
from closeloop.meetings.forms import RespondForm

register = template.Library()


@register.simple_tag
def respond_form_for(participant, shared=False):
    """`shared`: the page carries the people once (closeloop.lib.choosers) and the substitute chooser uses it."""
    form = RespondForm(participant=participant)
    if shared:
        substitute = participant.substitute

        def label(value):
            return str(substitute) if substitute is not None and str(substitute.pk) == str(value) else None

        form.fields["substitute"].widget = SharedSelect("people", blank="---------", label_of=label)
    return form
