"""Lets a page include the answer form with only `participant` in its context."""

from django import template

from closeloop.meetings.forms import RespondForm

register = template.Library()


@register.simple_tag
def respond_form_for(participant):
    return RespondForm(participant=participant)
