"""What a leaver still owns, for the directory's hand-over list (plugged in from AppConfig.ready)."""

from django.urls import reverse

from closeloop.directory.handover import OpenWork

from .choices import OPEN_STATUSES
from .models import ActionItem


def open_action_items(person):
    items = ActionItem.objects.filter(owner=person, status__in=OPEN_STATUSES).order_by("due", "pk")
    return [OpenWork("action_item", item.task[:120], reverse("actions:detail", args=[item.pk])) for item in items]
