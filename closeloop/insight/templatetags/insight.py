from django import template

from closeloop.insight.exports import cell_text

register = template.Library()


@register.filter
def figure(cell, unit):
    """A cell's value as the page prints it: rates in %, empty figures as —."""
    return cell_text(getattr(cell, "value", cell), unit)
