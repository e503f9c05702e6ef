"""A project's page: its meetings, requests, open action items and minutes, each as far as the viewer may see it.

Projects themselves are the organisation's shared names (everyone in it may open their page); what the page lists
comes through each app's visibility selector, so nobody learns of a meeting, request or item they may not open.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from closeloop.actions.rules import FINAL_STATUSES
from closeloop.actions.selectors.items import items_visible_to
from closeloop.collab.selectors import requests_visible_to
from closeloop.meetings.selectors import meetings_visible_to
from closeloop.minutes.models import Minutes
from closeloop.org.models import Project


def projects_of(person):
    return (Project.objects.filter(organisation_id=person.organisation_id).select_related("lead", "department")
            .prefetch_related("departments").order_by("name"))


def project_for_user(person, pk):
    """The project if it is the viewer's organisation's, else Http404."""
    if not person.is_authenticated or not person.organisation_id:
        raise Http404
    try:
        return projects_of(person).prefetch_related("members").get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def person_can_edit_project(person, project):
    return person.is_org_admin or project.lead_id == person.pk


SECTIONS = ("meetings", "requests", "items", "minutes")


def project_overview(person, project):
    """{section: queryset} of what the page lists, each paged by the view (a project lives for years)."""
    meetings = meetings_visible_to(person).filter(project=project).order_by("-start", "-pk")
    newer = Minutes.objects.filter(meeting=OuterRef("meeting"), number__gt=OuterRef("number"))
    minutes = (Minutes.objects.filter(meeting__in=meetings.values("pk")).filter(~Exists(newer))
               .select_related("meeting").order_by("-meeting__start", "-pk"))
    items = (items_visible_to(person).filter(Q(project=project) | Q(meeting__project=project))
             .exclude(status__in=FINAL_STATUSES).select_related("owner", "department").order_by("due", "pk"))
    requests = requests_visible_to(person).filter(project=project).select_related("initiator").order_by("-pk")
    return {"meetings": meetings, "minutes": minutes, "items": items.distinct(), "requests": requests}
